use super::*;
use crate::payment::PaymentMethod;
use crate::testing::{cash, ctx, mixed_sale, tender};

/// ¥62,000 of goods at 10%, paid with `tenders`.
fn sale_of_62000(tenders: Vec<crate::payment::Tender>) -> Sale {
    use crate::cart::Cart;
    use crate::tax::TaxClass;
    let mut cart = Cart::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
    cart.lines.push(crate::testing::line("置き時計", 62_000, 1, TaxClass::Standard));
    Sale::ring_up(ctx(1), cart, tenders).unwrap()
}

fn issue(sale: &Sale, addressee: &str, purpose: &str) -> Result<FormalReceipt> {
    FormalReceipt::issue(&ctx(9), sale, addressee, purpose, 1, None)
}

#[test]
fn an_issue_is_trimmed_defaults_its_purpose_and_keeps_the_stamp_duty() {
    let sale = sale_of_62000(cash(62_000));
    let first = issue(&sale, "　株式会社テスト ", "").unwrap();
    assert_eq!(first.addressee, "株式会社テスト");
    assert_eq!(first.purpose, DEFAULT_PURPOSE);
    assert_eq!(first.stamp_duty, Yen::new(200));
    assert_eq!((first.id, first.sale_id, first.device_id), (ctx(9).id, sale.id, sale.device_id));
    assert_eq!(first.at.offset(), &crate::TOKYO);
    assert!(!first.is_reissue());
    let again = FormalReceipt::issue(&ctx(10), &sale, "", "飲食代", 2, Some("ko".into())).unwrap();
    assert!(again.is_reissue());
    assert_eq!((again.addressee.as_str(), again.purpose.as_str()), ("", "飲食代"));
    assert_eq!(again.check(&sale), Ok(()));
}

#[test]
fn a_card_payment_carries_no_stamp() {
    let sale = sale_of_62000(vec![tender(PaymentMethod::Card, "visa", 62_000)]);
    assert_eq!(issue(&sale, "", "").unwrap().stamp_duty, Yen::ZERO);
}

/// The field an issue of `sale` changed by `edit` is refused for.
fn refused(sale: &Sale, edit: impl FnOnce(&mut FormalReceipt)) -> String {
    let mut receipt = issue(sale, "株式会社テスト", "お品代").unwrap();
    edit(&mut receipt);
    receipt.check(sale).unwrap_err().field().to_string()
}

#[test]
fn check_names_the_field_it_refuses() {
    let sale = sale_of_62000(cash(70_000));
    assert_eq!(refused(&sale, |r| r.sale_id = Uuid::from_u128(5)), "sale_id");
    assert_eq!(refused(&sale, |r| r.device_id = Uuid::from_u128(5)), "device_id");
    assert_eq!(refused(&sale, |r| r.copy = 0), "copy");
    assert_eq!(refused(&sale, |r| r.addressee = "あ".repeat(41)), "addressee");
    assert_eq!(refused(&sale, |r| r.addressee = " 様".into()), "addressee");
    assert_eq!(refused(&sale, |r| r.purpose = String::new()), "purpose");
    assert_eq!(refused(&sale, |r| r.purpose = "品".repeat(31)), "purpose");
    assert_eq!(refused(&sale, |r| r.lang = Some("korean".into())), "lang");
    assert_eq!(refused(&sale, |r| r.stamp_duty = Yen::ZERO), "stamp_duty");
    assert_eq!(refused(&sale, |r| r.stamp_duty = Yen::new(400)), "stamp_duty");
    // The longest of each still passes.
    let mut longest = issue(&sale, &"あ".repeat(40), &"品".repeat(30)).unwrap();
    assert_eq!(longest.check(&sale), Ok(()));
    longest.lang = Some("zh-Hant".into());
    assert_eq!(longest.check(&sale), Ok(()));
}

#[test]
fn a_refund_gets_no_formal_receipt() {
    let sale = mixed_sale();
    let refund = sale.refund(ctx(2), &[(0, 1)], &[], None).unwrap();
    let err = issue(&refund, "", "").unwrap_err();
    assert_eq!(err.field().to_string(), "sale_id");
    assert_eq!(err.code(), crate::api::ErrorCode::Invalid);
}

#[test]
fn a_formal_receipt_reads_back_from_json_and_leaves_out_japanese() {
    let sale = sale_of_62000(cash(62_000));
    let receipt = issue(&sale, "株式会社テスト", "").unwrap();
    let json = serde_json::to_string(&receipt).unwrap();
    assert!(!json.contains("lang"), "{json}");
    assert_eq!(serde_json::from_str::<FormalReceipt>(&json).unwrap(), receipt);
}

proptest::proptest! {
    #[test]
    fn any_issue_of_a_sale_passes_its_check_and_keeps_the_rule_s_duty(
        price in 1i64..3_000_000,
        class in crate::testing::any_class(),
        card_per_mille in 0i64..=1000,
        copy in 1u32..5,
        addressee in "[ a-zA-Z株式会社テスト]{0,40}",
        purpose in "[ a-z品代飲食]{0,30}",
        wrong in 1i64..1_000,
    ) {
        use crate::cart::Cart;
        let mut cart = Cart::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        cart.lines.push(crate::testing::line("品", price, 1, class));
        let total = Sale::ring_up(ctx(1), cart.clone(), cash(price * 2)).unwrap().receipt.total.get();
        let card = total * card_per_mille / 1000;
        let mut tenders = vec![tender(PaymentMethod::Card, "visa", card)];
        tenders.push(crate::payment::Tender::new(PaymentMethod::Cash, Yen::new(total - card)));
        let sale = Sale::ring_up(ctx(1), cart, tenders).unwrap();

        let issued = FormalReceipt::issue(&ctx(9), &sale, &addressee, &purpose, copy, None).unwrap();
        proptest::prop_assert_eq!(issued.check(&sale), Ok(()));
        proptest::prop_assert_eq!(issued.stamp_duty, crate::stamp::judge(&sale).duty);
        proptest::prop_assert_eq!(issued.is_reissue(), copy >= 2);
        proptest::prop_assert_eq!(issued.addressee.as_str(), addressee.trim());
        let json = serde_json::to_string(&issued).unwrap();
        proptest::prop_assert_eq!(serde_json::from_str::<FormalReceipt>(&json).unwrap(), issued.clone());

        let mut other = issued;
        other.stamp_duty += Yen::new(wrong);
        let refused = other.check(&sale).unwrap_err().field();
        proptest::prop_assert_eq!(refused.as_str(), "stamp_duty");
    }
}
