use chrono::TimeZone;

use super::*;
use crate::tax::TaxClass;
use crate::testing::line;

fn ctx(n: u128) -> SaleContext {
    SaleContext {
        id: Uuid::from_u128(n),
        device_id: Uuid::from_u128(1000),
        // 2026-11-23 23:30 UTC is already the 24th in Tokyo.
        at: Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap(),
        staff: "山田".into(),
        shift_id: Uuid::from_u128(2000),
    }
}

fn cash(amount: i64) -> Vec<Tender> {
    vec![Tender { method: PaymentMethod::Cash, amount: Yen::new(amount) }]
}

fn mixed_sale() -> Sale {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    cart.lines.push(line("おにぎり", 160, 3, TaxClass::Food));
    cart.lines.push(line("ビール", 250, 2, TaxClass::Alcohol));
    cart.discount = Discount::Yen(Yen::new(100));
    Sale::ring_up(ctx(1), cart, cash(1000)).unwrap()
}

#[test]
fn a_cash_sale_gives_change_and_is_dated_in_tokyo() {
    let sale = mixed_sale();
    assert_eq!(sale.business_date, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    assert_eq!(sale.cart.date, sale.business_date, "the rates of the day of the sale");
    assert_eq!(sale.receipt.total.get(), 880);
    assert_eq!(sale.change.get(), 120);
    assert_eq!(sale.cash_in_drawer().get(), 880);
}

#[test]
fn short_tenders_and_empty_carts_are_refused() {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    assert_eq!(Sale::ring_up(ctx(1), cart.clone(), cash(0)).unwrap_err(), Error::EmptySale);
    cart.lines.push(line("弁当", 580, 1, TaxClass::Food));
    assert_eq!(
        Sale::ring_up(ctx(1), cart, cash(500)).unwrap_err(),
        Error::TenderShort { due: Yen::new(580), tendered: Yen::new(500) }
    );
}

#[test]
fn refunding_everything_reverses_the_sale_exactly() {
    let sale = mixed_sale();
    let refund = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[]).unwrap();
    assert_eq!(refund.receipt, sale.receipt.reversal());
    assert_eq!(refund.tenders, cash(-880));
    assert_eq!(refund.cash_in_drawer().get(), -880);
    assert!(refund.is_refund());
    assert_eq!(
        refund.kind,
        SaleKind::Refund { original: sale.id, original_receipt_no: 0, lines: vec![(0, 3), (1, 2)] }
    );
}

#[test]
fn a_partial_refund_is_at_the_original_rates_with_its_share_of_the_discount() {
    let sale = mixed_sale();
    let mut eat_in = sale.clone();
    eat_in.cart.dining = crate::tax::DiningMode::TakeOut;
    let refund = sale.refund(ctx(2), &[(1, 1)], &[]).unwrap();
    // One beer of 250 out of a 980 subtotal carries floor(100 × 250 / 980) = 25 of the discount.
    assert_eq!(refund.receipt.discount.get(), -25);
    assert_eq!(refund.receipt.total.get(), -225);
    assert_eq!(refund.receipt.rates.len(), 1);
    assert_eq!(refund.receipt.rates[0].rate, 10);
    assert_eq!(refund.cart.date, sale.cart.date, "the sale's date, so the sale's rates");

    // What is left can be refunded, but not more.
    let err = sale.refund(ctx(3), &[(1, 2)], std::slice::from_ref(&refund)).unwrap_err();
    assert_eq!(err, Error::RefundTooMuch { field: Field::line(1, "qty") });
    let rest = sale.refund(ctx(3), &[(1, 1), (0, 3)], &[refund]).unwrap();
    assert!(rest.receipt.total.is_negative());
    assert_eq!(sale.refund(ctx(4), &[], &[]).unwrap_err(), Error::NothingToRefund);
    assert_eq!(rest.refund(ctx(5), &[(0, 1)], &[]).unwrap_err(), Error::NotRefundable);
}
