use std::collections::BTreeMap;

use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::ereceipt::{ReceiptToken, device_receipt_key};
use akinai_core::payment::brands;
use akinai_core::sale::{ReceiptChoice, SaleContext};
use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::tax::{Named, Rounding, TaxClass};
use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;

fn lang(tag: &str) -> Lang {
    Lang::all().iter().copied().find(|l| l.tag() == tag).expect("a language of the build")
}

fn ctx(n: u128) -> SaleContext {
    SaleContext {
        id: Uuid::from_u128(n),
        device_id: Uuid::from_u128(1000),
        at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 5, 0).single().expect("a time"),
        staff: "山田".into(),
        shift_id: Uuid::from_u128(2000),
        shop: ShopSettings {
            name: "商い堂".into(),
            address: "東京都台東区浅草1-2-3".into(),
            phone: "03-1234-5678".into(),
            registration_number: RegistrationNumber::parse("T1234567890123").expect("valid"),
            pricing: PricingMode::TaxIncluded,
            rounding: Rounding::Floor,
            receipt_footer: "またお越しください".into(),
        },
        receipt: ReceiptChoice::default(),
    }
}

fn line(name: &str, kana: &str, price: i64, qty: u32, class: TaxClass) -> CartLine {
    CartLine {
        item_id: None,
        category: String::new(),
        name: name.into(),
        unit_price: Yen::new(price),
        qty,
        tax_class: class,
        discount: Discount::NONE,
        names: BTreeMap::new(),
        kana: kana.into(),
    }
}

fn sale_of(lines: Vec<CartLine>, tenders: Vec<Tender>) -> Sale {
    let mut cart = Cart::new(chrono::NaiveDate::MIN);
    cart.lines = lines;
    Sale::ring_up(ctx(1), cart, tenders).expect("a valid sale")
}

fn cash(yen: i64) -> Tender {
    Tender::new(PaymentMethod::Cash, Yen::new(yen))
}

/// おにぎり translated into English and Korean, 手ぬぐい not at all, paid in cash.
fn snack_sale() -> Sale {
    let mut onigiri = line("おにぎり 鮭", "おにぎり", 160, 2, TaxClass::Food);
    onigiri.names.insert("en".into(), "Rice ball (salmon)".into());
    onigiri.names.insert("ko".into(), "주먹밥 (연어)".into());
    let tenugui = line("手ぬぐい", "てぬぐい", 1_200, 1, TaxClass::Standard);
    sale_of(vec![onigiri, tenugui], vec![cash(2_000)])
}

/// The row of `rows` that `is` picks (by its class).
fn row(rows: &[DocRow], is: impl Fn(&DocRow) -> bool) -> &DocRow {
    rows.iter().find(|r| is(r)).expect("the row is there")
}

#[test]
fn a_korean_receipt_keeps_the_japanese_legal_labels() {
    let doc = document(&snack_sale(), lang("ko"));
    let total = row(&doc.totals, |r| r.class == "total");
    assert_eq!(total.label, Label { ja: "合計".into(), local: Some("합계".into()) });
    assert_eq!(total.value, "JP¥1,520");
    assert_eq!(doc.issuer.registration.0.ja, "登録番号");
    assert_eq!(doc.issuer.registration.1, "T1234567890123");
    assert_eq!(doc.title.ja, "領収書");
    assert_eq!(doc.notes, vec![lang("ko").legal("reduced-note")]);
    let rate = &doc.totals.iter().filter(|r| r.class == "rate").nth(1).expect("8% row").label;
    assert_eq!(rate.ja, "8%対象 ※");
    assert_eq!(doc.lines[0].name, "주먹밥 (연어)");
    assert_eq!(doc.lines[0].name_ja.as_deref(), Some("おにぎり 鮭"));
    assert!(doc.lines[0].reduced);
    assert_eq!(row(&doc.meta, |r| r.class == "date").value, "2026년 12월 3일 18:05");
}

#[test]
fn a_line_without_a_translation_reads_in_romaji() {
    let sale = snack_sale();
    let doc = document(&sale, Lang::EN);
    assert_eq!(doc.lines[1].name, "手ぬぐい (tenugui)");
    assert_eq!(doc.lines[1].name_ja, None);
    assert_eq!(doc.lines[0].name, "Rice ball (salmon)");
    // Japanese shows the name as the shop wrote it.
    assert_eq!(line_name(&sale.cart.lines[1], Lang::JA), ("手ぬぐい".into(), None));
    // A name already in Latin letters needs no reading; no reading, nothing to add.
    let coffee = line("Coffee", "こーひー", 400, 1, TaxClass::Food);
    assert_eq!(line_name(&coffee, lang("zh-Hans")), ("Coffee".into(), None));
    let no_kana = line("饅頭", "", 400, 1, TaxClass::Food);
    assert_eq!(line_name(&no_kana, lang("zh-Hant")), ("饅頭".into(), None));
}

#[test]
fn an_english_receipt_formats_its_amounts() {
    let mut onigiri = line("おにぎり", "おにぎり", 1_600, 2, TaxClass::Food);
    onigiri.discount = Discount::Yen(Yen::new(200));
    let sale = sale_of(vec![onigiri], vec![cash(5_000)]);
    let doc = document(&sale, Lang::EN);
    assert_eq!(doc.lines[0].qty, "¥1,600 × 2");
    assert_eq!(doc.lines[0].amount, "¥3,000");
    assert_eq!(doc.lines[0].discount.as_ref().map(|d| d.value.as_str()), Some("-¥200"));
    assert_eq!(row(&doc.totals, |r| r.class == "total").value, "¥3,000");
    assert_eq!(row(&doc.totals, |r| r.class == "rate-tax").label.ja, "内消費税");
    assert_eq!(row(&doc.totals, |r| r.class == "rate-tax").value, "¥222");
    assert_eq!(row(&doc.tenders, |r| r.class == "tendered").value, "¥5,000");
    assert_eq!(row(&doc.tenders, |r| r.class == "change").value, "¥2,000");
    assert!(doc.tenders.iter().all(|r| r.class != "tender"), "cash alone is just お預かり");
    assert_eq!(doc.footer, "またお越しください");
    assert_eq!(doc.token, None);
}

#[test]
fn tenders_say_brand_last_digits_and_approval() {
    let mut card = Tender::new(PaymentMethod::Card, Yen::new(1_000));
    card.brand = Some("visa".into());
    card.last4 = Some("4242".into());
    card.approval = Some("A1B2".into());
    let mut qr = Tender::new(PaymentMethod::QrStatic, Yen::new(520));
    qr.brand = Some("paypay".into());
    let sale = snack_sale();
    let sale = sale_of(sale.cart.lines, vec![card, qr]);
    let doc = document(&sale, Lang::JA);
    let rows: Vec<_> = doc.tenders.iter().map(|r| (r.label.joined(), r.value.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("カード VISA".to_owned(), "¥1,000"),
            ("****4242 承認番号 A1B2".to_owned(), ""),
            ("店頭QR PayPay".to_owned(), "¥520"),
            ("要照合".to_owned(), ""),
            ("お預かり".to_owned(), "¥1,520"),
            ("お釣り".to_owned(), "¥0"),
        ]
    );
    let details = doc.tenders.iter().filter(|r| r.class == "tender-details").count();
    assert_eq!(details, 2, "the details are rows of their own");
}

#[test]
fn a_refund_names_its_sale_and_a_paired_sale_its_link() {
    let mut paired = ctx(1);
    let key = device_receipt_key("device token");
    let token = ReceiptToken::mint(paired.device_id, &key, [7; 16]);
    paired.receipt = ReceiptChoice { token: Some(token.clone()), lang: Some("ko".into()) };
    let mut cart = Cart::new(chrono::NaiveDate::MIN);
    cart.lines = snack_sale().cart.lines;
    let mut sale = Sale::ring_up(paired, cart, vec![cash(2_000)]).expect("a sale");
    sale.receipt_no = 41;
    assert_eq!(document(&sale, Lang::JA).token.as_deref(), Some(token.as_str()));
    assert_eq!(language(&sale), lang("ko"));
    assert_eq!(language(&snack_sale()), Lang::JA);
    let refund = sale.refund(ctx(2), &[(1, 1)], &[], None).expect("a refund");
    let doc = document(&refund, Lang::EN);
    assert_eq!(doc.kind, DocKind::Refund { original_no: 41 });
    assert_eq!(doc.title, Label { ja: "返品".into(), local: Some("Refund".into()) });
    assert_eq!(row(&doc.meta, |r| r.class == "refund-of").label.ja, "元レシート No. 000041");
    assert_eq!(row(&doc.totals, |r| r.class == "total").value, "-¥1,200");
    assert!(doc.tenders.iter().all(|r| r.class != "change"), "a refund hands nothing back");
}

fn formal_of(sale: &Sale, addressee: &str, copy: u32, lang: Option<&str>) -> FormalReceipt {
    FormalReceipt::issue(&ctx(9), sale, addressee, "", copy, lang.map(str::to_owned))
        .expect("a valid 領収書")
}

#[test]
fn a_traditional_chinese_formal_receipt_with_its_stamp() {
    let sale =
        sale_of(vec![line("着物", "きもの", 62_000, 1, TaxClass::Standard)], vec![cash(62_000)]);
    let issue = formal_of(&sale, "株式会社テスト", 1, Some("zh-Hant"));
    assert_eq!(formal_language(&issue), lang("zh-Hant"));
    let doc = formal(&sale, &issue, formal_language(&issue));
    assert_eq!(doc.kind, DocKind::Formal { reissue: false });
    assert_eq!(doc.title, Label { ja: "領収書".into(), local: Some("收據".into()) });
    assert_eq!(doc.addressee.as_deref(), Some("株式会社テスト 様"));
    assert_eq!(doc.amount.as_deref(), Some("¥62,000-"));
    let purpose = doc.purpose.as_ref().expect("a purpose");
    assert_eq!(purpose.ja, "但し お品代 として");
    assert_eq!(purpose.local.as_deref(), Some("用途：お品代"));
    assert_eq!(doc.stamp.as_deref(), Some("¥200"));
    assert_eq!(doc.notes.last(), Some(&lang("zh-Hant").legal("formal-received")));
    assert_eq!(row(&doc.totals, |r| r.class == "rate-tax").value, "¥5,636");
    assert_eq!(doc.lines[0].name, "着物 (kimono)");
    assert!(doc.tenders.iter().all(|r| r.class != "change"));
    assert_eq!(doc.token, None);
}

#[test]
fn a_card_formal_receipt_says_so_and_has_no_stamp() {
    let mut card = Tender::new(PaymentMethod::Card, Yen::new(62_000));
    card.brand = Some("visa".into());
    let sale = sale_of(vec![line("着物", "きもの", 62_000, 1, TaxClass::Standard)], vec![card]);
    let issue = formal_of(&sale, "", 1, None);
    assert_eq!(formal_language(&issue), Lang::JA);
    let doc = formal(&sale, &issue, Lang::JA);
    assert_eq!(doc.addressee.as_deref(), Some("上様"));
    assert_eq!(doc.stamp, None);
    assert!(
        doc.notes.contains(&Label {
            ja: "うちクレジットカード決済 ¥62,000".into(), local: None
        })
    );
    let en = formal(&sale, &formal_of(&sale, "", 1, None), Lang::EN);
    assert!(
        en.notes.iter().any(|n| n.local.as_deref() == Some("of which paid by credit card ¥62,000"))
    );
}

#[test]
fn a_reprinted_formal_receipt_is_marked_reissued() {
    let sale = snack_sale();
    let first = formal(&sale, &formal_of(&sale, "", 1, None), Lang::JA);
    assert!(first.meta.iter().all(|r| r.class != "reissue"));
    let again = formal(&sale, &formal_of(&sale, "", 2, None), Lang::JA);
    assert_eq!(again.kind, DocKind::Formal { reissue: true });
    assert_eq!(row(&again.meta, |r| r.class == "reissue").label.ja, "再発行");
    assert_eq!(row(&again.meta, |r| r.class == "date").value, "2026年12月3日");
}

#[test]
fn every_method_and_brand_has_a_name_in_every_language() {
    for &lang in Lang::all() {
        for (word, method) in PaymentMethod::NAMES {
            let plain = method_name(lang, *method, "");
            assert!(!plain.contains("payment-"), "{lang:?} {word}: {plain}");
            for brand in brands(*method) {
                let name = method_name(lang, *method, brand);
                assert!(!name.contains("brand-"), "{lang:?} {word} {brand}: {name}");
            }
        }
    }
    assert_eq!(method_name(Lang::JA, PaymentMethod::Card, "visa"), "カード VISA");
    assert_eq!(method_name(Lang::JA, PaymentMethod::QrStatic, "paypay"), "店頭QR PayPay");
}
