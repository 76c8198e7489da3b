use uuid::Uuid;

use super::*;
use crate::money::Yen;
use crate::testing::{ctx, mixed_sale};

fn chain(records: Vec<Record>) -> Vec<OutboxEntry> {
    let device = Uuid::from_u128(1000);
    let mut prev = GENESIS.to_owned();
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| {
            let entry = OutboxEntry::new(
                Uuid::from_u128(i as u128 + 1),
                device,
                i as u64 + 1,
                &prev,
                record,
            );
            prev = entry.hash.clone();
            entry
        })
        .collect()
}

fn links(entries: &[OutboxEntry]) -> Vec<Link> {
    entries.iter().map(Link::from).collect()
}

fn three() -> Vec<OutboxEntry> {
    let sale = mixed_sale();
    let refund = sale.refund(ctx(2), &[(0, 1)], &[], None).unwrap();
    chain(vec![
        Record::Sale(Box::new(sale)),
        Record::Sale(Box::new(refund)),
        Record::ItemRemoved(Uuid::from_u128(77)),
    ])
}

#[test]
fn an_untouched_chain_verifies() {
    assert_eq!(verify_chain(&links(&three())), vec![]);
}

#[test]
fn the_hash_survives_a_trip_through_json() {
    // The device hashes before sending; the server hashes what it parsed.
    for entry in three() {
        let text = serde_json::to_string(&entry).unwrap();
        let parsed: OutboxEntry = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.compute_hash(), entry.hash);
    }
}

#[test]
fn an_edited_record_is_found() {
    let mut entries = three();
    if let Record::Sale(sale) = &mut entries[0].record {
        sale.receipt.total = Yen::new(1);
    }
    assert_eq!(verify_chain(&links(&entries)), vec![ChainBreak::Edited { seq: 1 }]);
}

#[test]
fn a_removed_record_is_a_gap_and_a_reordered_one_is_unlinked() {
    let entries = three();
    let removed = [entries[0].clone(), entries[2].clone()];
    assert_eq!(verify_chain(&links(&removed)), vec![ChainBreak::Gap { from: 2, to: 2 }]);

    // Swapping two records' contents and renumbering them leaves each hash valid for its own
    // content, but no longer a chain.
    let mut swapped = chain(vec![entries[1].record.clone(), entries[0].record.clone()]);
    swapped.swap(0, 1);
    for (i, e) in swapped.iter_mut().enumerate() {
        e.seq = i as u64 + 1;
        e.hash = e.compute_hash();
    }
    let found = verify_chain(&links(&swapped));
    assert!(found.contains(&ChainBreak::Unlinked { seq: 1 }), "{found:?}");
}

#[test]
fn a_sale_that_adds_up_passes_and_one_that_does_not_is_rejected() {
    let sale = mixed_sale();
    assert_eq!(check_sale(&sale, None, &[]), Ok(()));

    let mut cheaper = sale.clone();
    cheaper.receipt.total = Yen::new(800);
    assert_eq!(check_sale(&cheaper, None, &[]), Err(Rejection::TotalsMismatch));

    let mut more_change = sale.clone();
    more_change.change = Yen::new(500);
    assert_eq!(check_sale(&more_change, None, &[]), Err(Rejection::TotalsMismatch));

    let mut empty = sale;
    empty.cart.lines.clear();
    assert!(matches!(check_sale(&empty, None, &[]), Err(Rejection::Invalid { .. })));
}

#[test]
fn a_refund_is_checked_against_its_original_and_earlier_refunds() {
    let sale = mixed_sale();
    let first = sale.refund(ctx(2), &[(0, 1)], &[], None).unwrap();
    let second =
        sale.refund(ctx(3), &[(0, 2), (1, 2)], std::slice::from_ref(&first), None).unwrap();
    assert_eq!(check_sale(&first, Some(&sale), &[]), Ok(()));
    assert_eq!(check_sale(&second, Some(&sale), std::slice::from_ref(&first)), Ok(()));
    assert_eq!(check_sale(&second, None, &[]), Err(Rejection::UnknownOriginal));
    // Without the first refund, the second one would have been computed differently.
    assert_ne!(check_sale(&second, Some(&sale), &[]), Ok(()));
}

#[test]
fn retries_back_off_with_jitter_up_to_five_minutes() {
    assert_eq!(retry_delay_ms(0, 0), 1_000);
    assert_eq!(retry_delay_ms(0, 1000), 2_000);
    assert_eq!(retry_delay_ms(3, 1000), 16_000);
    assert_eq!(retry_delay_ms(40, 1000), 300_000);
    assert!(retry_delay_ms(40, 0) >= 150_000);
}

#[test]
fn a_rejection_reads_as_a_tagged_object() {
    let rejected = Rejected { id: Uuid::nil(), seq: 4, rejection: Rejection::TotalsMismatch };
    let json = serde_json::to_value(&rejected).unwrap();
    assert_eq!(json["reason"], "totals_mismatch");
    assert_eq!(json["seq"], 4);
}

fn rejected(entry: &OutboxEntry) -> Rejected {
    Rejected { id: entry.id, seq: entry.seq, rejection: Rejection::HashMismatch }
}

#[test]
fn only_entries_the_server_acked_or_rejected_leave_the_outbox() {
    let entries = three();
    let reply = SyncReply { acked: vec![entries[2].id], rejected: vec![rejected(&entries[0])] };
    let batch = SyncBatch { entries, waiting: 3 };
    assert_eq!(reply.answered(&batch), [1, 3]);
    assert!(SyncReply::default().answered(&batch).is_empty());
}

#[test]
fn an_entry_answered_twice_leaves_once_and_strangers_are_ignored() {
    let entries = three();
    let stranger = Rejected { id: Uuid::from_u128(99), seq: 99, rejection: Rejection::SeqTaken };
    let reply = SyncReply {
        acked: vec![entries[1].id, entries[1].id, Uuid::from_u128(98)],
        rejected: vec![rejected(&entries[1]), stranger],
    };
    let batch = SyncBatch { entries, waiting: 3 };
    assert_eq!(reply.answered(&batch), [2]);
}

/// A sale with change and a cash refund of it, as registers made them before tenders had
/// brands, ids and refund links (encoded by main before issue 11, verbatim).
const BEFORE_ISSUE_11: &str = include_str!("entries_before_issue_11.jsonl");

#[test]
fn entries_made_before_cashless_tenders_keep_their_bytes_and_hash() {
    let entries: Vec<OutboxEntry> =
        BEFORE_ISSUE_11.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(entries.len(), 2);
    for (line, entry) in BEFORE_ISSUE_11.lines().zip(&entries) {
        assert_eq!(serde_json::to_string(entry).unwrap(), line);
        assert_eq!(entry.compute_hash(), entry.hash);
    }
    assert!(verify_chain(&links(&entries)).is_empty());
    let [Record::Sale(sale), Record::Sale(refund)] = [&entries[0].record, &entries[1].record]
    else {
        panic!("a sale and its refund");
    };
    assert_eq!(check_sale(sale, None, &[]), Ok(()));
    // The refund names no tender: it went back through the sale's cash, and still passes.
    assert_eq!(refund.tenders[0].refunds, None);
    assert_eq!(check_sale(refund, Some(sale), &[]), Ok(()));
}

#[test]
fn an_unknown_method_in_a_batch_names_the_tender_s_method() {
    let line = BEFORE_ISSUE_11.lines().next().unwrap();
    let line = line.replace(r#""method":"cash""#, r#""method":"bitcoin""#);
    let batch = format!(r#"{{"entries":[{line}],"waiting":1}}"#);
    let mut reader = serde_json::Deserializer::from_str(&batch);
    let err = serde_path_to_error::deserialize::<_, SyncBatch>(&mut reader).unwrap_err();
    let field = crate::Field::path(&err.path().to_string());
    let error = crate::Error::from_json(err.into_inner(), field);
    assert_eq!(error.code(), ErrorCode::UnknownValue);
    assert_eq!(error.field().as_str(), "entries[0].record.data.tenders[0].method");
}

/// A cash sale of an item, a card-and-cash sale, a card refund of part of it and an item, as
/// main encoded them before receipts had languages and tokens (verbatim).
const BEFORE_ISSUE_12: &str = include_str!("entries_before_issue_12.jsonl");

#[test]
fn entries_made_before_receipt_languages_keep_their_bytes_and_hash() {
    let entries: Vec<OutboxEntry> =
        BEFORE_ISSUE_12.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(entries.len(), 4);
    for (line, entry) in BEFORE_ISSUE_12.lines().zip(&entries) {
        assert_eq!(serde_json::to_string(entry).unwrap(), line);
        assert_eq!(entry.compute_hash(), entry.hash);
    }
    assert!(verify_chain(&links(&entries)).is_empty());
    let [Record::Sale(cash), Record::Sale(mixed), Record::Sale(refund), Record::Item(item)] =
        [&entries[0].record, &entries[1].record, &entries[2].record, &entries[3].record]
    else {
        panic!("three sales and an item");
    };
    assert_eq!(check_sale(cash, None, &[]), Ok(()));
    assert_eq!(check_sale(mixed, None, &[]), Ok(()));
    assert_eq!(check_sale(refund, Some(mixed), &[]), Ok(()));
    assert_eq!(item.check(), Ok(()));
    // Read with today's fields at their defaults: no link, Japanese, no translations.
    for sale in [cash, mixed, refund] {
        assert_eq!((&sale.receipt_token, &sale.receipt_lang), (&None, &None));
        assert!(sale.cart.lines.iter().all(|l| l.names.is_empty() && l.kana.is_empty()));
    }
    assert!(item.names.is_empty());
}

/// The mixed sale rung up with `receipt`.
fn sale_with(receipt: ReceiptChoice) -> Sale {
    let sale = mixed_sale();
    let ctx = SaleContext { receipt, ..ctx(1) };
    Sale::ring_up(ctx, sale.cart, sale.tenders).unwrap()
}

fn token_of(device: Uuid) -> String {
    use crate::ereceipt::{ReceiptToken, device_receipt_key};
    ReceiptToken::mint(device, &device_receipt_key("device-token"), [9; 16])
}

fn refused(field: &str) -> Result<(), Rejection> {
    Err(Rejection::Invalid { code: ErrorCode::Invalid, field: field.to_owned() })
}

#[test]
fn a_sale_keeps_its_receipt_token_and_language_and_check_sale_reads_them() {
    let token = token_of(ctx(1).device_id);
    let sale = sale_with(ReceiptChoice { token: Some(token.clone()), lang: Some("ko".into()) });
    assert_eq!(sale.receipt_token.as_deref(), Some(token.as_str()));
    assert_eq!(sale.receipt_lang.as_deref(), Some("ko"));
    assert_eq!(check_sale(&sale, None, &[]), Ok(()));
    let json = serde_json::to_string(&sale).unwrap();
    assert!(json.ends_with(&format!(r#""receipt_token":"{token}","receipt_lang":"ko"}}"#)));
    assert_eq!(serde_json::from_str::<Sale>(&json).unwrap(), sale);

    // A refund has its own language (and no link of its own here), checked the same way.
    let refund_ctx = SaleContext {
        receipt: ReceiptChoice { token: None, lang: Some("zh-Hant".into()) },
        ..ctx(2)
    };
    let refund = sale.refund(refund_ctx, &[(0, 1)], &[], None).unwrap();
    assert_eq!(refund.receipt_lang.as_deref(), Some("zh-Hant"));
    assert_eq!(check_sale(&refund, Some(&sale), &[]), Ok(()));
}

#[test]
fn check_sale_refuses_a_bad_token_or_language_naming_the_field() {
    let mut sale = mixed_sale();
    for bad in [
        String::new(),
        "A".repeat(55),
        token_of(Uuid::from_u128(5)),
        token_of(ctx(1).device_id) + "A",
    ] {
        sale.receipt_token = Some(bad.clone());
        assert_eq!(check_sale(&sale, None, &[]), refused("receipt_token"), "{bad}");
    }
    sale.receipt_token = None;
    for bad in ["", "Korean", "zh_Hant", "zh-hant"] {
        sale.receipt_lang = Some(bad.to_owned());
        assert_eq!(check_sale(&sale, None, &[]), refused("receipt_lang"), "{bad}");
    }
    // The register refuses them as it rings up, too.
    let lang = ReceiptChoice { token: None, lang: Some("Korean".into()) };
    let err = Sale::ring_up(SaleContext { receipt: lang, ..ctx(1) }, mixed_sale().cart, vec![])
        .unwrap_err();
    assert_eq!(err.field().as_str(), "receipt_lang");
}

#[test]
fn a_formal_receipt_is_a_record_of_its_own_kind_in_the_chain() {
    let sale = mixed_sale();
    let issue =
        crate::formal::FormalReceipt::issue(&ctx(2), &sale, "株式会社テスト", "", 1, None).unwrap();
    let record = Record::FormalReceipt(Box::new(issue));
    assert_eq!(record.kind(), "formal_receipt");
    let entries = chain(vec![Record::Sale(Box::new(sale)), record]);
    let json = serde_json::to_string(&entries[1]).unwrap();
    assert!(json.contains(r#""record":{"type":"formal_receipt","data":{"#), "{json}");
    let back: OutboxEntry = serde_json::from_str(&json).unwrap();
    assert_eq!((back.compute_hash(), &back), (entries[1].hash.clone(), &entries[1]));
    assert!(verify_chain(&links(&entries)).is_empty());
}
