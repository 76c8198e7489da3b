use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::cart::Cart;
use crate::payment::{PaymentMethod, Tender};
use crate::tax::{PricingMode, TaxClass};
use crate::testing::{cash, ctx, line, tender};

use PaymentMethod::{Card, Cash, Qr, Voucher};

/// A sale of one line of `price` yen in `class`, paid with `tenders`, in a tax-included shop.
fn sale(price: i64, class: TaxClass, tenders: Vec<Tender>) -> Sale {
    sale_priced(PricingMode::TaxIncluded, price, class, tenders)
}

fn sale_priced(pricing: PricingMode, price: i64, class: TaxClass, tenders: Vec<Tender>) -> Sale {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    cart.lines.push(line("品", price, 1, class));
    let mut context = ctx(1);
    context.shop.pricing = pricing;
    Sale::ring_up(context, cart, tenders).unwrap()
}

fn pay(method: PaymentMethod, yen: i64) -> Tender {
    let brand = match method {
        Cash => "",
        Card => "visa",
        Voucher => "gift",
        _ => "paypay",
    };
    tender(method, brand, yen)
}

/// (received, base, duty) of a stamp.
fn figures(stamp: &Stamp) -> (i64, i64, i64) {
    (stamp.received.get(), stamp.base.get(), stamp.duty.get())
}

#[test]
fn a_62000_yen_cash_sale_needs_the_200_yen_stamp() {
    let sale = sale(62_000, TaxClass::Standard, cash(62_000));
    assert_eq!(sale.receipt.tax.get(), 5_636);
    let stamp = judge(&sale);
    assert_eq!(figures(&stamp), (62_000, 56_364, 200));
    assert!(stamp.not_stampable.is_empty());
}

#[test]
fn a_card_payment_needs_none_and_is_listed() {
    let stamp = judge(&sale(62_000, TaxClass::Standard, vec![pay(Card, 62_000)]));
    assert_eq!(figures(&stamp), (0, 0, 0));
    assert_eq!(stamp.not_stampable, vec![(Card, Yen::new(62_000))]);
}

#[test]
fn reduced_rate_food_is_judged_without_its_8_percent() {
    let sale = sale(62_000, TaxClass::Food, cash(62_000));
    assert_eq!(sale.receipt.tax.get(), 4_592);
    assert_eq!(figures(&judge(&sale)), (62_000, 57_408, 200));
}

#[test]
fn the_threshold_is_judged_without_tax_and_is_inclusive() {
    assert_eq!(
        figures(&judge(&sale(54_000, TaxClass::Standard, cash(54_000)))),
        (54_000, 49_091, 0)
    );
    assert_eq!(
        figures(&judge(&sale(55_000, TaxClass::Standard, cash(55_000)))),
        (55_000, 50_000, 200)
    );
    assert_eq!(figures(&judge(&sale(54_000, TaxClass::Food, cash(54_000)))), (54_000, 50_000, 200));
}

#[test]
fn a_tax_excluded_sale_is_judged_on_its_net() {
    let sale = sale_priced(PricingMode::TaxExcluded, 50_000, TaxClass::Standard, cash(55_000));
    assert_eq!((sale.receipt.total.get(), sale.receipt.tax.get()), (55_000, 5_000));
    assert_eq!(figures(&judge(&sale)), (55_000, 50_000, 200));
}

#[test]
fn a_split_payment_is_judged_on_its_cash_part() {
    let split = |cash, card| {
        judge(&sale(62_000, TaxClass::Standard, vec![pay(Cash, cash), pay(Card, card)]))
    };
    let stamp = split(40_000, 22_000);
    assert_eq!(figures(&stamp), (40_000, 36_364, 0), "share 3,636");
    assert_eq!(stamp.not_stampable, vec![(Card, Yen::new(22_000))]);
    let stamp = split(57_000, 5_000);
    assert_eq!(figures(&stamp), (57_000, 51_819, 200), "share 5,181");
    assert_eq!(stamp.not_stampable, vec![(Card, Yen::new(5_000))]);
}

#[test]
fn cash_is_judged_on_what_was_kept_after_change() {
    let sale = sale(62_000, TaxClass::Standard, cash(70_000));
    assert_eq!(sale.change.get(), 8_000);
    assert_eq!(figures(&judge(&sale)), (62_000, 56_364, 200));
}

#[test]
fn vouchers_count_as_securities_and_their_excess_does_not() {
    let stamp = judge(&sale(60_000, TaxClass::Standard, vec![pay(Voucher, 60_000)]));
    assert_eq!(figures(&stamp), (60_000, 54_546, 200));
    // ¥60,000 of vouchers for a ¥54,000 sale: the ¥6,000 excess was not received for it.
    let sale = sale(54_000, TaxClass::Standard, vec![pay(Voucher, 60_000)]);
    assert_eq!(sale.excess.get(), 6_000);
    assert_eq!(figures(&judge(&sale)), (54_000, 49_091, 0));
}

#[test]
fn a_qr_payment_counts() {
    let stamp = judge(&sale(62_000, TaxClass::Standard, vec![pay(Qr, 62_000)]));
    assert_eq!(figures(&stamp), (62_000, 56_364, 200));
}

#[test]
fn the_second_band_starts_above_one_million_without_tax() {
    let stamp = judge(&sale(1_100_000, TaxClass::Standard, cash(1_100_000)));
    assert_eq!(figures(&stamp), (1_100_000, 1_000_000, 200));
    let stamp = judge(&sale(1_100_012, TaxClass::Standard, cash(1_100_012)));
    assert_eq!(figures(&stamp), (1_100_012, 1_000_011, 400));
}

#[test]
fn non_taxable_goods_are_judged_on_their_whole_amount() {
    let sale = sale(50_000, TaxClass::Exempt, cash(50_000));
    assert_eq!(sale.receipt.tax.get(), 0);
    assert_eq!(figures(&judge(&sale)), (50_000, 50_000, 200));
}

#[test]
fn a_refund_carries_no_stamp() {
    let original = sale(62_000, TaxClass::Standard, cash(62_000));
    let refund = original.refund(ctx(2), &[(0, 1)], &[], None).unwrap();
    assert_eq!(judge(&refund), Stamp::default());
}

#[test]
fn only_card_is_not_stampable() {
    for method in PaymentMethod::ALL {
        assert_eq!(stampable(method), method != Card, "{method:?}");
    }
}

#[test]
fn duty_at_every_band_edge() {
    let edges = [
        (0, 0),
        (49_999, 0),
        (50_000, 200),
        (1_000_000, 200),
        (1_000_001, 400),
        (2_000_000, 400),
        (2_000_001, 600),
        (3_000_000, 600),
        (3_000_001, 1_000),
        (5_000_000, 1_000),
        (5_000_001, 2_000),
        (10_000_000, 2_000),
        (10_000_001, 4_000),
        (20_000_000, 4_000),
        (20_000_001, 6_000),
        (30_000_000, 6_000),
        (30_000_001, 10_000),
        (50_000_000, 10_000),
        (50_000_001, 20_000),
        (100_000_000, 20_000),
        (100_000_001, 40_000),
        (200_000_000, 40_000),
        (200_000_001, 60_000),
        (300_000_000, 60_000),
        (300_000_001, 100_000),
        (500_000_000, 100_000),
        (500_000_001, 150_000),
        (1_000_000_000, 150_000),
        (1_000_000_001, 200_000),
        (crate::money::MAX_AMOUNT.get(), 200_000),
    ];
    for (amount, expected) in edges {
        assert_eq!(duty(Yen::new(amount)).get(), expected, "duty on ¥{amount}");
    }
    assert_eq!(duty(Yen::new(-60_000)), Yen::ZERO);
}

proptest! {
    #[test]
    fn duty_never_falls_as_the_amount_grows(a in 0i64..2_000_000_000, more in 0i64..2_000_000_000) {
        prop_assert!(duty(Yen::new(a)) <= duty(Yen::new(a + more)));
    }

    #[test]
    fn more_cash_and_less_card_never_lowers_the_duty(
        total in 1i64..3_000_000,
        class in crate::testing::any_class(),
        (cash_part, more) in (0u32..=1000, 0u32..=1000),
    ) {
        // Fractions of the total, in thousandths, paid in cash; the rest by card.
        let part = |per_mille: u32| total * i64::from(per_mille) / 1000;
        let (low, high) = (part(cash_part.min(more)), part(cash_part.max(more)));
        let judged = |cash: i64| {
            let mut tenders = vec![pay(Cash, cash)];
            if cash < total {
                tenders.push(pay(Card, total - cash));
            }
            judge(&sale(total, class, tenders))
        };
        let (less, most) = (judged(low), judged(high));
        prop_assert!(less.base <= most.base);
        prop_assert!(less.duty <= most.duty);
        prop_assert!(most.base <= most.received);
    }
}
