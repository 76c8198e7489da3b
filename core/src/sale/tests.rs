use super::*;
use crate::receipt::Receipt;
use crate::tax::TaxClass;
use crate::testing::{cash, ctx, line, mixed_sale};

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
fn lines_picks_and_tenders_are_capped() {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    cart.lines = (0..=MAX_LINES).map(|_| line("飴", 10, 1, TaxClass::Food)).collect();
    assert_eq!(
        Sale::ring_up(ctx(1), cart, cash(100_000)).unwrap_err(),
        Error::TooMany { field: Field::top("lines"), limit: MAX_LINES }
    );
    let sale = mixed_sale();
    let picks = vec![(0, 0); MAX_PICKS + 1];
    assert_eq!(
        sale.refund(ctx(2), &picks, &[], None).unwrap_err(),
        Error::TooMany { field: Field::top("lines"), limit: MAX_PICKS }
    );
    let many = vec![Tender::new(PaymentMethod::Cash, Yen::new(10)); MAX_TENDERS + 1];
    assert_eq!(
        Sale::ring_up(ctx(1), sale.cart.clone(), many).unwrap_err(),
        Error::TooMany { field: Field::top("tenders"), limit: MAX_TENDERS }
    );
}

#[test]
fn tenders_below_zero_or_beyond_the_limit_are_refused() {
    let cart = mixed_sale().cart;
    let tenders = |amounts: &[i64]| -> Vec<Tender> {
        amounts.iter().map(|a| Tender::new(PaymentMethod::Cash, Yen::new(*a))).collect()
    };
    assert_eq!(
        Sale::ring_up(ctx(1), cart.clone(), tenders(&[2000, -100])).unwrap_err(),
        Error::Negative { field: Field::top("tenders[1].amount") }
    );
    assert_eq!(
        Sale::ring_up(ctx(1), cart.clone(), tenders(&[i64::MAX, i64::MAX, 102])).unwrap_err(),
        Error::TooLarge { field: Field::top("tenders[0].amount") }
    );
    let most = crate::money::MAX_AMOUNT.get();
    assert!(Sale::ring_up(ctx(1), cart, tenders(&[most])).is_ok());
}

#[test]
fn a_refund_of_a_full_sale_finishes_it_in_two_steps() {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    cart.lines = (0..MAX_LINES).map(|n| line(&format!("品{n}"), 101, 2, TaxClass::Food)).collect();
    cart.discount = Discount::Yen(Yen::new(333));
    let sale = Sale::ring_up(ctx(1), cart, cash(1_000_000)).unwrap();
    let all_but_one: Vec<(usize, u32)> = (0..MAX_LINES - 1).map(|n| (n, 2)).collect();
    let first = sale.refund(ctx(2), &all_but_one, &[], None).unwrap();
    let last =
        sale.refund(ctx(3), &[(MAX_LINES - 1, 2)], std::slice::from_ref(&first), None).unwrap();
    assert_eq!(first.receipt.total + last.receipt.total, -sale.receipt.total);
    assert_eq!(first.receipt.tax + last.receipt.tax, -sale.receipt.tax);
}

#[test]
fn refunding_everything_reverses_the_sale_exactly() {
    let sale = mixed_sale();
    let refund = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], None).unwrap();
    assert_eq!(refund.receipt, sale.receipt.reversal());
    // Back through the sale's one cash tender.
    let back = Tender { refunds: Some(0), ..Tender::new(PaymentMethod::Cash, Yen::new(-880)) };
    assert_eq!(refund.tenders, [back]);
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
    let refund = sale.refund(ctx(2), &[(1, 1)], &[], None).unwrap();
    // One beer of 250 out of a 980 subtotal carries floor(100 × 250 / 980) = 25 of the discount.
    assert_eq!(refund.receipt.discount.get(), -25);
    assert_eq!(refund.receipt.total.get(), -225);
    assert_eq!(refund.receipt.rates.len(), 1);
    assert_eq!(refund.receipt.rates[0].rate, 10);
    assert_eq!(refund.cart.date, sale.cart.date, "the sale's date, so the sale's rates");

    // What is left can be refunded, but not more.
    let err = sale.refund(ctx(3), &[(1, 2)], std::slice::from_ref(&refund), None).unwrap_err();
    assert_eq!(err, Error::RefundTooMuch { field: Field::line(1, "qty") });
    let rest = sale.refund(ctx(3), &[(1, 1), (0, 3)], &[refund], None).unwrap();
    assert!(rest.receipt.total.is_negative());
    assert_eq!(sale.refund(ctx(4), &[], &[], None).unwrap_err(), Error::NothingToRefund);
    assert_eq!(rest.refund(ctx(5), &[(0, 1)], &[], None).unwrap_err(), Error::NotRefundable);
}

proptest::proptest! {
    #[test]
    fn refunds_in_any_order_never_exceed_the_sale_and_add_up_to_its_reversal(
        lines in proptest::collection::vec(crate::testing::any_line(), 1..5),
        discount in 0.0f64..=0.5,
        order in proptest::collection::vec((0usize..5, 1u32..4), 1..12),
        eat_in in proptest::bool::ANY,
        excluded in proptest::bool::ANY,
        rounding in proptest::sample::select(vec![crate::tax::Rounding::Floor, crate::tax::Rounding::HalfUp, crate::tax::Rounding::Ceil]),
    ) {
        let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        cart.lines = lines.into_iter().map(|l| CartLine { qty: l.qty.max(1), ..l }).collect();
        if eat_in {
            cart.dining = crate::tax::DiningMode::EatIn;
        }
        if excluded {
            cart.pricing = crate::tax::PricingMode::TaxExcluded;
        }
        cart.rounding = rounding;
        let subtotal: i64 = cart.lines.iter().map(|l| l.before_discount().get() - l.discount.off(l.before_discount()).get()).sum();
        cart.discount = Discount::Yen(Yen::new((subtotal as f64 * discount).floor() as i64));
        let mut context = ctx(1);
        (context.shop.pricing, context.shop.rounding) = (cart.pricing, cart.rounding);
        let sale = Sale::ring_up(context, cart, cash(crate::money::MAX_AMOUNT.get())).unwrap();

        // Refund in the generated order, whatever is left of each picked line, then the rest.
        let mut refunds: Vec<Sale> = Vec::new();
        let mut left: Vec<u32> = sale.cart.lines.iter().map(|l| l.qty).collect();
        let mut picks: Vec<Vec<(usize, u32)>> = order
            .into_iter()
            .filter_map(|(line, qty)| {
                let line = line % left.len();
                let qty = qty.min(left[line]);
                (qty > 0).then(|| { left[line] -= qty; vec![(line, qty)] })
            })
            .collect();
        let rest: Vec<(usize, u32)> = left.iter().enumerate().filter(|(_, q)| **q > 0).map(|(i, q)| (i, *q)).collect();
        if !rest.is_empty() {
            picks.push(rest);
        }
        for (n, pick) in picks.iter().enumerate() {
            let refund = sale.refund(ctx(100 + n as u128), pick, &refunds, None).unwrap();
            refunds.push(refund);
            // Tax-included refunds carry exact cumulative amounts, so they can never overpay.
            // (Tax-excluded ones round each refund's added tax, which the last refund settles.)
            if !excluded {
                let back: i64 = refunds.iter().map(|r| -r.receipt.total.get()).sum();
                proptest::prop_assert!(back <= sale.receipt.total.get(), "never more back than was paid");
            }
        }
        let reversal = sale.receipt.reversal();
        let sum = |f: &dyn Fn(&Receipt) -> i64| refunds.iter().map(|r| f(&r.receipt)).sum::<i64>();
        proptest::prop_assert_eq!(sum(&|r| r.total.get()), reversal.total.get());
        proptest::prop_assert_eq!(sum(&|r| r.tax.get()), reversal.tax.get());
        proptest::prop_assert_eq!(sum(&|r| r.exempt.get()), reversal.exempt.get());
        for rate in &reversal.rates {
            let of = |f: fn(&crate::receipt::RateTotal) -> i64| sum(&|r| r.rates.iter().filter(|t| (t.rate, t.reduced) == (rate.rate, rate.reduced)).map(f).sum());
            proptest::prop_assert_eq!(
                (of(|t| t.gross.get()), of(|t| t.net.get()), of(|t| t.tax.get())),
                (rate.gross.get(), rate.net.get(), rate.tax.get())
            );
        }
    }
}
