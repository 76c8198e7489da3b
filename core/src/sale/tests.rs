use super::*;
use crate::receipt::Receipt;
use crate::tax::TaxClass;
use crate::testing::{cash, ctx, line, mixed_sale, tender};

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
        (shape, part, more) in (0usize..4, 0.0f64..=1.0, 0.0f64..=1.0),
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
        let due = Receipt::compute(&cart, &crate::tax::RateTable::japan()).unwrap().total.get();
        let sale = Sale::ring_up(context, cart, paid_by(shape, due, part, more)).unwrap();
        let kept = sale.tenders_kept();
        proptest::prop_assert_eq!(kept.iter().copied().sum::<Yen>(), sale.receipt.total);

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
            // The default plan is one the server's check takes.
            proptest::prop_assert_eq!(crate::sync::check_sale(&refund, Some(&sale), &refunds), Ok(()));
            proptest::prop_assert!(refund.tenders.iter().all(|t| t.method != PaymentMethod::Voucher));
            refunds.push(refund);
            // Tax-included refunds carry exact cumulative amounts, so they can never overpay.
            // (Tax-excluded ones round each refund's added tax, which the last refund settles.)
            if !excluded {
                let back: i64 = refunds.iter().map(|r| -r.receipt.total.get()).sum();
                proptest::prop_assert!(back <= sale.receipt.total.get(), "never more back than was paid");
                let left = sale.tenders_left(&refunds);
                proptest::prop_assert!(left.iter().all(|l| !l.is_negative()), "never more back than a tender kept: {:?}", left);
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

/// Tenders paying `due` in one of four ways, split by `part` and `more` (0 to 1): all cash; card
/// and cash with change; card and a voucher with excess; static QR, voucher and cash.
fn paid_by(shape: usize, due: i64, part: f64, more: f64) -> Vec<Tender> {
    // Only the generator uses floats, to split the total anywhere.
    let share = |of: i64, by: f64| (of as f64 * by).floor() as i64;
    let first = share(due, part);
    let cash = |yen| Tender::new(PaymentMethod::Cash, Yen::new(yen));
    match shape {
        0 => vec![cash(crate::money::MAX_AMOUNT.get())],
        1 => vec![tender(PaymentMethod::Card, "visa", first), cash(due - first + 1_000)],
        2 => vec![
            tender(PaymentMethod::Card, "jcb", first),
            tender(PaymentMethod::Voucher, "gift", due - first + 300),
        ],
        _ => {
            let second = share(due - first, more);
            vec![
                tender(PaymentMethod::QrStatic, "paypay", first),
                tender(PaymentMethod::Voucher, "coupon", second),
                cash(due - first - second),
            ]
        }
    }
}

fn back(method: PaymentMethod, brand: Option<&str>, yen: i64, through: u16) -> Tender {
    Tender {
        brand: brand.map(str::to_owned),
        refunds: Some(through),
        ..Tender::new(method, Yen::new(yen))
    }
}

/// The mixed sale (¥880) paid ¥500 by a VISA card and `cash` yen in cash.
fn card_and_cash(cash: i64) -> Sale {
    let tenders =
        vec![tender(PaymentMethod::Card, "visa", 500), tender(PaymentMethod::Cash, "", cash)];
    Sale::ring_up(ctx(1), mixed_sale().cart, tenders).unwrap()
}

#[test]
fn money_goes_back_through_the_tenders_it_came_by() {
    // ¥880: ¥500 on a card, ¥1,000 cash with ¥620 change.
    let sale = card_and_cash(1000);
    assert_eq!((sale.change.get(), sale.excess.get()), (620, 0));
    assert_eq!(sale.tenders_kept(), [Yen::new(500), Yen::new(380)]);
    let all = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], None).unwrap();
    let plan = [
        back(PaymentMethod::Card, Some("visa"), -500, 0),
        back(PaymentMethod::Cash, None, -380, 1),
    ];
    assert_eq!(all.tenders, plan);
    assert_eq!(all.cash_in_drawer().get(), -380);

    // The cashier may send it all back as cash instead? No: ¥500 was never in the drawer.
    let as_cash = Some(vec![back(PaymentMethod::Cash, None, -880, 1)]);
    let err = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], as_cash).unwrap_err();
    assert_eq!(err, Error::RefundTenderTooMuch { field: Field::top("tenders[0].amount") });
    // Nor through the card by cash, nor through a tender the sale does not have.
    for (tender, field) in [
        (back(PaymentMethod::Cash, None, -500, 0), "tenders[0].refunds"),
        (back(PaymentMethod::Card, Some("jcb"), -500, 0), "tenders[0].refunds"),
        (back(PaymentMethod::Card, Some("visa"), -500, 2), "tenders[0].refunds"),
        (
            Tender { refunds: None, ..back(PaymentMethod::Card, Some("visa"), -500, 0) },
            "tenders[0].refunds",
        ),
    ] {
        let tenders = Some(vec![tender, back(PaymentMethod::Cash, None, -380, 1)]);
        let err = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], tenders).unwrap_err();
        assert_eq!(err, Error::RefundWrongTender { field: Field::top(field) });
    }
    // The tenders give back exactly the refund's total.
    let short = Some(vec![back(PaymentMethod::Card, Some("visa"), -500, 0)]);
    assert_eq!(
        sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], short).unwrap_err(),
        Error::TenderShort { due: Yen::new(880), tendered: Yen::new(500) }
    );
    let positive = Some(vec![back(PaymentMethod::Cash, None, 880, 1)]);
    let err = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], positive).unwrap_err();
    assert_eq!(err.field(), Field::top("tenders[0].amount"));
    // Card refunds carry the terminal's approval; a card number is refused with its field.
    let mut approved = plan.to_vec();
    approved[0].approval = Some("A12345".into());
    let ok = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], Some(approved.clone())).unwrap();
    assert_eq!(ok.tenders, approved);
    approved[0].last4 = Some("4111111111111111".into());
    let err = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], Some(approved)).unwrap_err();
    assert_eq!(err.field(), Field::top("tenders[0].last4"));
}

#[test]
fn what_is_left_of_a_tender_counts_every_earlier_refund() {
    let sale = card_and_cash(380);
    // One beer (¥225) back on the card, then the rest: ¥275 left on the card.
    let first = Some(vec![back(PaymentMethod::Card, Some("visa"), -225, 0)]);
    let first = sale.refund(ctx(2), &[(1, 1)], &[], first).unwrap();
    assert_eq!(sale.tenders_left(std::slice::from_ref(&first)), [Yen::new(275), Yen::new(380)]);
    let rest = Some(vec![back(PaymentMethod::Card, Some("visa"), -655, 0)]);
    let err = sale.refund(ctx(3), &[(0, 3), (1, 1)], std::slice::from_ref(&first), rest);
    assert_eq!(
        err.unwrap_err(),
        Error::RefundTenderTooMuch { field: Field::top("tenders[0].amount") }
    );
    let rest = sale.refund(ctx(3), &[(0, 3), (1, 1)], std::slice::from_ref(&first), None).unwrap();
    assert_eq!(
        rest.tenders,
        [
            back(PaymentMethod::Card, Some("visa"), -275, 0),
            back(PaymentMethod::Cash, None, -380, 1)
        ]
    );
    let both = [first, rest];
    assert_eq!(sale.tenders_left(&both), [Yen::ZERO, Yen::ZERO]);
}

#[test]
fn a_voucher_s_excess_is_kept_and_never_given_back() {
    let cart = mixed_sale().cart;
    let sale =
        Sale::ring_up(ctx(1), cart, vec![tender(PaymentMethod::Voucher, "gift", 1000)]).unwrap();
    assert_eq!((sale.change.get(), sale.excess.get()), (0, 120));
    assert_eq!(sale.cash_in_drawer(), Yen::ZERO);
    let json = serde_json::to_value(&sale).unwrap();
    assert_eq!(json["excess"], 120);
    assert_eq!(serde_json::from_value::<Sale>(json).unwrap(), sale);
    let all = sale.refund(ctx(2), &[(0, 3), (1, 2)], &[], None).unwrap();
    // Given back as cash, ¥880 and not the ¥1,000 of the voucher.
    assert_eq!(all.tenders, [back(PaymentMethod::Cash, None, -880, 0)]);
    assert_eq!(all.excess, Yen::ZERO);
    assert!(serde_json::to_value(&all).unwrap().get("excess").is_none(), "left out when zero");
}

#[test]
fn a_sale_s_tenders_carry_no_refund_link() {
    let linked = Tender { refunds: Some(0), ..tender(PaymentMethod::Cash, "", 1000) };
    let err = Sale::ring_up(ctx(1), mixed_sale().cart, vec![linked]).unwrap_err();
    assert_eq!(err.field(), Field::top("tenders[0].refunds"));
    let qr =
        Tender { brand: Some("paypay".into()), ..Tender::new(PaymentMethod::Qr, Yen::new(880)) };
    let err =
        Sale::ring_up(ctx(1), mixed_sale().cart, vec![tender(PaymentMethod::Cash, "", 0), qr])
            .unwrap_err();
    assert_eq!(
        err,
        Error::Invalid {
            field: Field::top("tenders[1].id"),
            detail: "a QR payment needs its payment id".into()
        }
    );
}
