use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::cart::{CartLine, Discount};
use crate::tax::JAPAN;
use crate::testing::{any_line, line};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn receipt(cart: &Cart) -> Receipt {
    Receipt::compute(cart, &RateTable::japan()).unwrap()
}

/// (rate, gross, net, tax) of each rate, highest first.
fn rates(r: &Receipt) -> Vec<(u8, i64, i64, i64)> {
    r.rates.iter().map(|t| (t.rate, t.gross.get(), t.net.get(), t.tax.get())).collect()
}

#[test]
fn two_rice_balls_to_take_out() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("おにぎり", 160, 2, TaxClass::Food));
    let r = receipt(&cart);
    assert_eq!(rates(&r), vec![(8, 320, 297, 23)]);
    assert_eq!((r.tax.get(), r.total.get()), (23, 320));
    assert!(r.lines[0].reduced && r.has_reduced());
}

#[test]
fn tax_is_rounded_once_per_rate_not_per_line() {
    // Three 100-yen items at 8% included: per line floor(7.4) × 3 = 21, per rate floor(22.2) = 22.
    let mut cart = Cart::new(date());
    for name in ["a", "b", "c"] {
        cart.lines.push(line(name, 100, 1, TaxClass::Food));
    }
    assert_eq!(rates(&receipt(&cart)), vec![(8, 300, 278, 22)]);
}

#[test]
fn a_receipt_discount_is_split_between_the_rates() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("弁当", 1000, 1, TaxClass::Food));
    cart.lines.push(line("箸置き", 500, 1, TaxClass::Standard));
    cart.discount = Discount::Yen(Yen::new(100));
    let r = receipt(&cart);
    // 100 × 1000/1500 = 66.6 -> 66, 100 × 500/1500 = 33.3 -> 33; the yen left goes to the larger.
    assert_eq!(r.rates.iter().map(|t| t.discount.get()).collect::<Vec<_>>(), vec![33, 67]);
    assert_eq!(rates(&r), vec![(10, 467, 425, 42), (8, 933, 864, 69)]);
    assert_eq!(
        (r.subtotal.get(), r.discount.get(), r.total.get(), r.tax.get()),
        (1500, 100, 1400, 111)
    );
}

#[test]
fn on_a_tie_the_left_over_yen_goes_to_the_standard_rate() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("パン", 500, 1, TaxClass::Food));
    cart.lines.push(line("皿", 500, 1, TaxClass::Standard));
    cart.discount = Discount::Yen(Yen::new(1));
    let r = receipt(&cart);
    assert_eq!(
        r.rates.iter().map(|t| (t.rate, t.discount.get())).collect::<Vec<_>>(),
        vec![(10, 1), (8, 0)]
    );
}

#[test]
fn eating_in_rerates_food_but_not_newspapers() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("ラーメン", 880, 1, TaxClass::Food));
    cart.lines.push(line("新聞", 150, 1, TaxClass::Reduced));
    cart.lines.push(line("ビール", 550, 1, TaxClass::Alcohol));
    assert_eq!(rates(&receipt(&cart)), vec![(10, 550, 500, 50), (8, 1030, 954, 76)]);
    cart.dining = DiningMode::EatIn;
    let r = receipt(&cart);
    assert_eq!(rates(&r), vec![(10, 1430, 1300, 130), (8, 150, 139, 11)]);
    assert!(!r.lines[0].reduced && r.lines[1].reduced);
}

#[test]
fn tax_excluded_prices_have_tax_added_per_rate() {
    let mut cart = Cart::new(date());
    cart.pricing = PricingMode::TaxExcluded;
    cart.lines.push(line("コーヒー豆", 1000, 1, TaxClass::Food));
    cart.lines.push(line("マグ", 1505, 1, TaxClass::Standard));
    let r = receipt(&cart);
    assert_eq!(rates(&r), vec![(10, 1655, 1505, 150), (8, 1080, 1000, 80)]);
    assert_eq!(r.total.get(), 2735);
    cart.rounding = Rounding::HalfUp;
    assert_eq!(rates(&receipt(&cart))[0], (10, 1656, 1505, 151));
}

#[test]
fn non_taxable_goods_are_shown_apart_and_share_the_discount() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("切手", 100, 3, TaxClass::Exempt));
    cart.lines.push(line("お茶", 300, 1, TaxClass::Food));
    cart.discount = Discount::Yen(Yen::new(60));
    let r = receipt(&cart);
    assert_eq!((r.exempt.get(), r.exempt_discount.get()), (270, 30));
    assert_eq!(rates(&r), vec![(8, 270, 250, 20)]);
    assert_eq!(r.total.get(), 540);
    assert!(r.lines[0].exempt && r.lines[0].rate == 0 && !r.lines[0].reduced);
}

#[test]
fn a_rate_discounted_to_nothing_still_shows() {
    let mut cart = Cart::new(date());
    let mut free = line("試供品", 200, 1, TaxClass::Standard);
    free.discount = Discount::Yen(Yen::new(200));
    cart.lines.push(free);
    cart.lines.push(line("団子", 120, 1, TaxClass::Food));
    let r = receipt(&cart);
    assert_eq!(rates(&r), vec![(10, 0, 0, 0), (8, 120, 112, 8)]);
}

#[test]
fn a_sale_on_an_old_date_uses_the_rates_of_that_day() {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2019, 9, 30).unwrap());
    cart.lines.push(line("おにぎり", 108, 1, TaxClass::Food));
    let r = receipt(&cart);
    assert_eq!(rates(&r), vec![(8, 108, 100, 8)]);
    assert!(!r.has_reduced(), "there was no reduced rate before October 2019");
}

#[test]
fn a_void_reverses_at_the_original_rates() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("おにぎり", 160, 2, TaxClass::Food));
    cart.lines.push(line("ビール", 300, 1, TaxClass::Alcohol));
    let sale = receipt(&cart);
    let void = sale.reversal();
    assert_eq!(rates(&void), vec![(10, -300, -273, -27), (8, -320, -297, -23)]);
    assert_eq!(void.total.get(), -620);
    // Even if the law changes afterwards, the reversal keeps the sale's rates.
    let later = RateTable::from_periods(
        JAPAN
            .iter()
            .copied()
            .chain([crate::tax::RatePeriod {
                from: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                standard: 10,
                reduced: Some(0),
            }])
            .collect(),
    );
    assert_eq!(Receipt::compute(&cart, &later).unwrap(), sale);
}

#[test]
fn percentage_discounts_round_down_to_the_yen() {
    let mut cart = Cart::new(date());
    cart.lines
        .push(CartLine {
            discount: Discount::Percent(15), ..line("弁当", 598, 1, TaxClass::Food)
        });
    cart.lines.push(line("箸", 100, 1, TaxClass::Standard));
    cart.discount = Discount::Percent(10);
    let r = receipt(&cart);
    // 15% of 598 = 89.7 -> 89 off; then 10% of the 609 subtotal = 60.9 -> 60 off the receipt.
    assert_eq!(r.lines[0].discount.get(), 89);
    assert_eq!((r.subtotal.get(), r.discount.get(), r.total.get()), (609, 60, 549));
    cart.discount = Discount::Percent(101);
    assert_eq!(
        Receipt::compute(&cart, &RateTable::japan()).unwrap_err().field(),
        Field::top("discount")
    );
}

#[test]
fn ringing_up_the_same_item_again_counts_it_up() {
    let id = uuid::Uuid::from_u128(7);
    let mut cart = Cart::new(date());
    let rice = CartLine { item_id: Some(id), ..line("おにぎり", 160, 1, TaxClass::Food) };
    cart.add(rice.clone());
    cart.add(rice.clone());
    assert_eq!((cart.lines.len(), cart.lines[0].qty), (1, 2));
    cart.set_line_discount(0, Discount::Yen(Yen::new(20)));
    cart.add(rice);
    assert_eq!(cart.lines.len(), 2, "a discounted line is left as it is");
    cart.set_qty(0, 0);
    assert_eq!((cart.lines.len(), cart.lines[0].qty), (1, 1));
}

#[test]
fn the_left_over_yen_move_on_when_the_largest_part_is_full() {
    let shares = split_discount(Yen::new(2), &[Yen::new(1), Yen::new(1), Yen::new(1)]);
    assert_eq!(shares, vec![Yen::new(1), Yen::new(1), Yen::ZERO]);
}

#[test]
fn bad_carts_are_refused_naming_the_field() {
    let mut cart = Cart::new(date());
    cart.lines.push(line("a", 100, 1, TaxClass::Food));
    cart.lines.push(CartLine {
        discount: Discount::Yen(Yen::new(101)),
        ..line("b", 100, 1, TaxClass::Food)
    });
    let err = Receipt::compute(&cart, &RateTable::japan()).unwrap_err();
    assert_eq!(err.field(), Field::line(1, "discount"));

    cart.lines.pop();
    cart.discount = Discount::Yen(Yen::new(101));
    let err = Receipt::compute(&cart, &RateTable::japan()).unwrap_err();
    assert_eq!(
        err,
        Error::DiscountTooLarge {
            field: Field::top("discount"),
            discount: Yen::new(101),
            applies_to: Yen::new(100),
        }
    );

    cart.discount = Discount::NONE;
    cart.lines.push(line("huge", i64::MAX / 2, 3, TaxClass::Standard));
    let err = Receipt::compute(&cart, &RateTable::japan()).unwrap_err();
    assert_eq!(err.field(), Field::line(1, "unit_price"));
}

fn any_cart() -> impl Strategy<Value = Cart> {
    let dates = prop_oneof![
        Just(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        Just(NaiveDate::from_ymd_opt(2019, 10, 1).unwrap()),
        Just(NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()),
    ];
    let pricing = prop_oneof![Just(PricingMode::TaxIncluded), Just(PricingMode::TaxExcluded)];
    let rounding = prop_oneof![Just(Rounding::Floor), Just(Rounding::HalfUp), Just(Rounding::Ceil)];
    let dining = prop_oneof![Just(DiningMode::TakeOut), Just(DiningMode::EatIn)];
    (dates, pricing, rounding, dining, prop::collection::vec(any_line(), 0..8), 0.0f64..=1.0)
        .prop_map(|(date, pricing, rounding, dining, lines, off)| {
            let subtotal: i64 = lines
                .iter()
                .map(|l| l.before_discount().get() - l.discount.off(l.before_discount()).get())
                .sum();
            let discount = Discount::Yen(Yen::new((subtotal as f64 * off).floor() as i64));
            Cart { date, pricing, rounding, dining, lines, discount }
        })
}

proptest! {
    #[test]
    fn per_rate_totals_always_sum_to_the_total(cart in any_cart()) {
        let r = receipt(&cart);
        let gross: i64 = r.rates.iter().map(|t| t.gross.get()).sum();
        prop_assert_eq!(r.total.get(), gross + r.exempt.get());
        prop_assert_eq!(r.tax.get(), r.rates.iter().map(|t| t.tax.get()).sum::<i64>());
        for t in &r.rates {
            prop_assert_eq!(t.gross.get(), t.net.get() + t.tax.get());
            prop_assert!(t.tax.get() >= 0 && t.net.get() >= 0);
        }
        // What the lines come to, less the discount, is what the rates and the exempt part carry.
        let carried: i64 = r.rates.iter().map(|t| match cart.pricing {
            PricingMode::TaxIncluded => t.gross.get(),
            PricingMode::TaxExcluded => t.net.get(),
        }).sum();
        prop_assert_eq!(carried + r.exempt.get(), r.subtotal.get() - r.discount.get());
        prop_assert_eq!(r.subtotal.get(), r.lines.iter().map(|l| l.amount.get()).sum::<i64>());
    }

    #[test]
    fn tax_is_rounded_once_per_rate(cart in any_cart()) {
        let r = receipt(&cart);
        for t in &r.rates {
            let amount: i64 = r.lines.iter()
                .filter(|l| !l.exempt && l.rate == t.rate && l.reduced == t.reduced)
                .map(|l| l.amount.get()).sum::<i64>() - t.discount.get();
            prop_assert_eq!(t.tax, tax_on(Yen::new(amount), t.rate, cart.pricing, cart.rounding));
        }
        let mut seen: Vec<(u8, bool)> = r.rates.iter().map(|t| (t.rate, t.reduced)).collect();
        seen.dedup();
        prop_assert_eq!(seen.len(), r.rates.len(), "one entry per rate");
    }

    #[test]
    fn discount_shares_sum_exactly_to_the_discount(cart in any_cart()) {
        let r = receipt(&cart);
        let shares: i64 = r.rates.iter().map(|t| t.discount.get()).sum::<i64>() + r.exempt_discount.get();
        prop_assert_eq!(shares, r.discount.get());
    }

    #[test]
    fn a_split_is_proportional_and_never_overdraws_a_part(
        parts in prop::collection::vec(0i64..1_000_000, 1..5),
        off in 0.0f64..=1.0,
    ) {
        let sum: i64 = parts.iter().sum();
        let discount = (sum as f64 * off).floor() as i64;
        let parts: Vec<Yen> = parts.into_iter().map(Yen::new).collect();
        let shares = split_discount(Yen::new(discount), &parts);
        prop_assert_eq!(shares.iter().map(|s| s.get()).sum::<i64>(), discount);
        for (share, part) in shares.iter().zip(&parts) {
            let floor = if sum == 0 { 0 } else { discount * part.get() / sum };
            prop_assert!(*share >= Yen::new(floor) && share <= part);
        }
    }

    #[test]
    fn refunds_mirror_sales(cart in any_cart()) {
        let sale = receipt(&cart);
        let refund = sale.reversal();
        prop_assert_eq!(sale.total.get() + refund.total.get(), 0);
        prop_assert_eq!(sale.tax.get() + refund.tax.get(), 0);
        prop_assert_eq!(sale.exempt.get() + refund.exempt.get(), 0);
        for (s, r) in sale.rates.iter().zip(&refund.rates) {
            prop_assert_eq!((s.rate, s.reduced), (r.rate, r.reduced));
            prop_assert_eq!((s.gross.get() + r.gross.get(), s.net.get() + r.net.get(), s.tax.get() + r.tax.get()), (0, 0, 0));
        }
        for (s, r) in sale.lines.iter().zip(&refund.lines) {
            prop_assert_eq!((s.rate, s.reduced, s.amount.get() + r.amount.get()), (r.rate, r.reduced, 0));
        }
        prop_assert_eq!(refund.reversal(), sale);
    }

    #[test]
    fn eat_in_never_reduces_food(cart in any_cart()) {
        let eat_in = receipt(&Cart { dining: DiningMode::EatIn, ..cart });
        for line in eat_in.lines.iter().filter(|l| l.tax_class == TaxClass::Food) {
            prop_assert!(!line.reduced);
        }
    }
}
