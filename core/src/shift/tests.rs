use chrono::{NaiveDate, TimeZone};
use proptest::prelude::*;

use super::*;
use crate::cart::{Cart, CartLine, Discount};
use crate::receipt::Receipt;
use crate::sale::SaleContext;
use crate::tax::{DiningMode, PricingMode, RateTable, Rounding, TaxClass};
use crate::testing::{any_line, cash, line_in as line, tender};

const SHIFT: Uuid = Uuid::from_u128(2000);
const DEVICE: Uuid = Uuid::from_u128(1000);

/// 2026-11-24 at `h:m` in Tokyo.
fn tokyo(h: u32, m: u32) -> DateTime<Utc> {
    crate::TOKYO.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap().with_timezone(&Utc)
}

fn ctx(n: u128, at: DateTime<Utc>, shift_id: Uuid) -> SaleContext {
    SaleContext {
        id: Uuid::from_u128(n),
        device_id: DEVICE,
        at,
        staff: "山田".into(),
        shift_id,
        shop: crate::testing::shop(),
        receipt: Default::default(),
    }
}

fn cart(lines: Vec<CartLine>) -> Cart {
    Cart { lines, ..Cart::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()) }
}

/// Rings up `cart` paid with `tendered` cash and gives it receipt number `no`, as storing it would.
fn sold(n: u128, at: DateTime<Utc>, shift: Uuid, cart: Cart, tendered: i64, no: u64) -> Sale {
    // The shop's pricing and rounding are the ones the cart was made with.
    let mut context = ctx(n, at, shift);
    (context.shop.pricing, context.shop.rounding) = (cart.pricing, cart.rounding);
    let mut sale = Sale::ring_up(context, cart, cash(tendered)).unwrap();
    sale.receipt_no = no;
    sale
}

fn drawer(counts: &[(Denomination, u32)]) -> DrawerCount {
    let mut drawer = DrawerCount::new();
    for (denomination, count) in counts {
        drawer.set(*denomination, *count);
    }
    drawer
}

fn float() -> DrawerCount {
    use Denomination::*;
    // 5,000 + 9,000 + 3,000 + 2,000 + 500 + 500 = 20,000 yen.
    drawer(&[(Note5000, 1), (Note1000, 9), (Coin500, 6), (Coin100, 20), (Coin50, 10), (Coin10, 50)])
}

fn open() -> Shift {
    Shift::open(SHIFT, DEVICE, tokyo(9, 0), "山田", float())
}

/// The day's records: four sales, a refund of one beer, and a sale of another shift.
fn day() -> Vec<Sale> {
    let onigiri = sold(
        1,
        tokyo(9, 15),
        SHIFT,
        cart(vec![line("食品", "おにぎり", 160, 2, TaxClass::Food)]),
        1000,
        101,
    );
    let lunch = sold(
        2,
        tokyo(10, 0),
        SHIFT,
        cart(vec![
            line("食品", "弁当", 580, 1, TaxClass::Food),
            line("飲料", "お茶", 150, 1, TaxClass::Food),
        ]),
        1000,
        102,
    );
    let mut mixed = cart(vec![
        CartLine {
            discount: Discount::Yen(Yen::new(100)),
            ..line("食品", "弁当", 580, 2, TaxClass::Food)
        },
        line("飲料", "ビール", 300, 2, TaxClass::Alcohol),
        CartLine {
            discount: Discount::Percent(10),
            ..line("雑貨", "箸", 200, 1, TaxClass::Standard)
        },
    ]);
    mixed.discount = Discount::Yen(Yen::new(100));
    let mixed = sold(3, tokyo(11, 30), SHIFT, mixed, 2000, 103);
    let stamps = sold(
        4,
        tokyo(13, 0),
        SHIFT,
        cart(vec![
            line("", "切手", 84, 5, TaxClass::Exempt),
            line("雑貨", "ノート", 300, 1, TaxClass::Standard),
        ]),
        720,
        104,
    );
    let mut beer_back = mixed.refund(ctx(5, tokyo(14, 0), SHIFT), &[(1, 1)], &[], None).unwrap();
    beer_back.receipt_no = 105;
    let elsewhere = sold(
        6,
        tokyo(8, 0),
        Uuid::from_u128(2001),
        cart(vec![line("食品", "弁当", 1000, 1, TaxClass::Food)]),
        1000,
        100,
    );
    vec![elsewhere, onigiri, lunch, mixed, stamps, beer_back]
}

fn moved(shift: &mut Shift) {
    shift
        .add_move(
            Uuid::from_u128(11),
            tokyo(10, 30),
            "山田",
            CashMoveKind::In,
            Yen::new(3000),
            "釣銭補充",
        )
        .unwrap();
    shift
        .add_move(
            Uuid::from_u128(12),
            tokyo(12, 0),
            "佐藤",
            CashMoveKind::Out,
            Yen::new(1200),
            " 牛乳の買い出し ",
        )
        .unwrap();
}

fn rate_lines(r: &ShiftReport) -> Vec<(u8, bool, i64, i64, i64)> {
    r.rates.iter().map(|l| (l.rate, l.reduced, l.gross.get(), l.net.get(), l.tax.get())).collect()
}

#[test]
fn a_day_at_the_register_closes_ten_yen_short() {
    let mut shift = open();
    moved(&mut shift);
    assert_eq!(shift.moves[1].reason, "牛乳の買い出し");
    assert_eq!(shift.moves[1].at, crate::TOKYO.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap());
    let sales = day();
    // The mixed sale: 1,060 at 8% and 780 at 10%, with 58 and 42 of the 100 yen off.
    assert_eq!(sales[3].receipt.total.get(), 1740);
    assert_eq!(sales[3].change.get(), 260);
    // One beer back carries floor(100 × 300 / 1,840) = 16 yen of the receipt discount.
    assert_eq!(sales[5].receipt.total.get(), -284);

    use Denomination::*;
    // 25,016 yen: 10 yen short of the 25,026 expected.
    let counted = drawer(&[
        (Note10000, 1),
        (Note5000, 1),
        (Note1000, 8),
        (Coin500, 3),
        (Coin100, 4),
        (Coin50, 2),
        (Coin10, 1),
        (Coin5, 1),
        (Coin1, 1),
    ]);
    shift.close(tokyo(19, 0), "佐藤", counted.clone()).unwrap();
    assert!(!shift.is_open());
    // A Z report runs to the close, whenever it is printed.
    let z = shift.report(&sales, tokyo(23, 0), &PaymentSettings::default());

    assert_eq!(z.kind, ReportKind::Z);
    assert_eq!(z.shift_id, SHIFT);
    assert_eq!(z.from, crate::TOKYO.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
    assert_eq!(z.to, crate::TOKYO.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap());
    // 10%: 738 + 300 − 284; 8%: 320 + 730 + 1,002.
    assert_eq!(rate_lines(&z), vec![(10, false, 754, 685, 69), (8, true, 2052, 1901, 151)]);
    assert_eq!(z.exempt.get(), 420);
    let cash = TenderLine {
        method: PaymentMethod::Cash,
        brand: String::new(),
        amount: Yen::new(3226),
        fee: Yen::ZERO,
        deposit: Yen::new(3226),
        to_reconcile: false,
    };
    assert_eq!(z.tenders, vec![cash]);
    let categories: Vec<(&str, i64, i64)> =
        z.categories.iter().map(|c| (c.category.as_str(), c.qty, c.amount.get())).collect();
    assert_eq!(
        categories,
        vec![("雑貨", 2, 480), ("食品", 5, 1960), ("飲料", 2, 450), ("", 5, 420)]
    );
    assert_eq!((z.refund_count, z.refund_amount.get()), (1, -284));
    assert_eq!((z.line_discounts.get(), z.receipt_discounts.get()), (120, 84));
    assert_eq!((z.receipts, z.first_receipt_no, z.last_receipt_no), (5, Some(101), Some(105)));
    assert_eq!((z.gross_sales.get(), z.net_sales.get()), (3510, 3226));
    assert_eq!(
        (z.opening_float.get(), z.cash_sales.get(), z.cash_refunds.get()),
        (20_000, 3510, -284)
    );
    assert_eq!((z.cash_in.get(), z.cash_out.get(), z.expected_cash.get()), (3000, 1200, 25_026));
    assert_eq!(z.counted, Some(counted));
    assert_eq!((z.counted_cash, z.over_short), (Some(Yen::new(25_016)), Some(Yen::new(-10))));
}

#[test]
fn an_x_report_leaves_over_short_alone_unless_the_drawer_is_counted() {
    let mut shift = open();
    moved(&mut shift);
    let sales = day();
    assert!(shift.is_open());
    let x = shift.report(&sales, tokyo(15, 0), &PaymentSettings::default());
    assert_eq!(x, shift.x_report(&sales, tokyo(15, 0), None, &PaymentSettings::default()));
    assert_eq!(x.kind, ReportKind::X);
    assert_eq!(x.to, crate::TOKYO.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap());
    assert_eq!(x.expected_cash.get(), 25_026);
    assert_eq!((&x.counted, x.counted_cash, x.over_short), (&None, None, None));

    let counted = drawer(&[(Denomination::Note10000, 3)]);
    let x = shift.x_report(&sales, tokyo(15, 0), Some(&counted), &PaymentSettings::default());
    assert_eq!((x.counted_cash, x.over_short), (Some(Yen::new(30_000)), Some(Yen::new(4974))));

    // The X and Z reports of the same figures differ only in kind and time.
    shift.close(tokyo(19, 0), "山田", counted).unwrap();
    let z = shift.report(&sales, tokyo(19, 0), &PaymentSettings::default());
    assert_eq!(ShiftReport { kind: ReportKind::Z, to: z.to, ..x }, z);
}

#[test]
fn sales_of_other_shifts_are_left_out() {
    let shift = open();
    let other: Vec<Sale> = day().into_iter().filter(|s| s.shift_id != SHIFT).collect();
    assert_eq!(other.len(), 1);
    let x = shift.x_report(&other, tokyo(15, 0), None, &PaymentSettings::default());
    assert_eq!((x.receipts, x.first_receipt_no, x.gross_sales), (0, None, Yen::ZERO));
    assert!(x.rates.is_empty() && x.tenders.is_empty() && x.categories.is_empty());
    assert_eq!(x.expected_cash.get(), 20_000);
}

#[test]
fn a_drawer_count_totals_by_denomination() {
    assert_eq!(float().total().get(), 20_000);
    let mut all = DrawerCount::new();
    for d in Denomination::ALL {
        all.set(d, 1);
    }
    assert_eq!(all.total().get(), 18_666);
    all.set(Denomination::Note2000, 3);
    assert_eq!(all.count(Denomination::Note2000), 3);
    assert_eq!(all.total().get(), 22_666);
    assert_eq!(DrawerCount::new().total(), Yen::ZERO);
    assert!(Denomination::Note1000.is_note() && !Denomination::Coin500.is_note());
    let mut max = DrawerCount::new();
    for d in Denomination::ALL {
        max.set(d, u32::MAX);
    }
    assert_eq!(max.total().get(), 18_666 * i64::from(u32::MAX));
}

#[test]
fn cash_moves_refuse_negative_and_huge_amounts() {
    let mut shift = open();
    let mut add = |amount| {
        shift
            .add_move(Uuid::nil(), tokyo(10, 0), "山田", CashMoveKind::Out, Yen::new(amount), "x")
            .map(|m| m.signed())
    };
    assert_eq!(add(-1), Err(Error::Negative { field: Field::top("amount") }));
    assert_eq!(add(i64::MAX), Err(Error::TooLarge { field: Field::top("amount") }));
    assert_eq!(add(500), Ok(Yen::new(-500)));
    assert_eq!(shift.moves.len(), 1, "nothing half-written");
}

#[test]
fn a_closed_shift_takes_no_more_cash_and_no_second_close() {
    let mut shift = open();
    shift.close(tokyo(19, 0), "山田", float()).unwrap();
    let before = shift.clone();
    let err = shift
        .add_move(Uuid::nil(), tokyo(19, 5), "山田", CashMoveKind::In, Yen::new(100), "x")
        .unwrap_err();
    assert_eq!(err.field(), Field::top("shift"));
    let err = shift.close(tokyo(20, 0), "佐藤", DrawerCount::new()).unwrap_err();
    assert_eq!(err.field(), Field::top("shift"));
    assert_eq!(shift, before, "nothing half-written");
}

#[test]
fn shifts_and_reports_survive_storage() {
    let mut shift = open();
    moved(&mut shift);
    let json = serde_json::to_string(&shift).unwrap();
    assert!(json.contains(r#""kind":"out""#) && json.contains(r#""closing":null"#));
    assert_eq!(serde_json::from_str::<Shift>(&json).unwrap(), shift);
    shift.close(tokyo(19, 0), "佐藤", float()).unwrap();
    let json = serde_json::to_string(&shift).unwrap();
    assert_eq!(serde_json::from_str::<Shift>(&json).unwrap(), shift);
    let z = shift.report(&day(), tokyo(19, 0), &PaymentSettings::default());
    let json = serde_json::to_string(&z).unwrap();
    assert_eq!(serde_json::from_str::<ShiftReport>(&json).unwrap(), z);
    assert_eq!(serde_json::to_string(&Denomination::Note10000).unwrap(), r#""10000""#);
}

fn any_cart() -> impl Strategy<Value = Cart> {
    let pricing = prop_oneof![Just(PricingMode::TaxIncluded), Just(PricingMode::TaxExcluded)];
    let rounding = prop_oneof![Just(Rounding::Floor), Just(Rounding::HalfUp), Just(Rounding::Ceil)];
    let dining = prop_oneof![Just(DiningMode::TakeOut), Just(DiningMode::EatIn)];
    (pricing, rounding, dining, prop::collection::vec(any_line(), 1..5), 0.0f64..=1.0).prop_map(
        |(pricing, rounding, dining, lines, off)| {
            let subtotal: i64 = lines
                .iter()
                .map(|l| l.before_discount().get() - l.discount.off(l.before_discount()).get())
                .sum();
            let discount = Discount::Yen(Yen::new((subtotal as f64 * off).floor() as i64));
            Cart { pricing, rounding, dining, discount, ..cart(lines) }
        },
    )
}

/// A sale: its cart, the cash handed over beyond the total, whether it belongs to another shift,
/// and up to two refunds of (line, qty) picks, taken modulo what the sale has.
type Day = (Cart, i64, bool, Vec<Vec<(usize, u32)>>);

fn any_sale() -> impl Strategy<Value = Day> {
    let picks = prop::collection::vec((0usize..5, 0u32..10), 0..3);
    (any_cart(), 0i64..10_000, prop::bool::weighted(0.1), prop::collection::vec(picks, 0..3))
}

fn any_move() -> impl Strategy<Value = (bool, i64)> {
    (any::<bool>(), 0i64..100_000)
}

fn any_count() -> impl Strategy<Value = DrawerCount> {
    prop::array::uniform10(0u32..100).prop_map(|counts| DrawerCount { counts })
}

/// Rings up the day: returns every record, this shift's and others'.
fn ring_up_day(days: Vec<Day>) -> Vec<Sale> {
    let mut records = Vec::new();
    let mut n = 0u128;
    let mut next = || {
        n += 1;
        n
    };
    for (cart, extra, elsewhere, refunds) in days {
        let shift = if elsewhere { Uuid::from_u128(2001) } else { SHIFT };
        let total = Receipt::compute(&cart, &RateTable::japan()).unwrap().total.get();
        let sale = sold(next(), tokyo(10, 0), shift, cart, total + extra, 0);
        let mut earlier: Vec<Sale> = Vec::new();
        for picks in refunds {
            let picks: Vec<(usize, u32)> = picks
                .into_iter()
                .map(|(i, qty)| {
                    let i = i % sale.cart.lines.len();
                    (i, qty % (sale.cart.lines[i].qty + 1))
                })
                .collect();
            // Picks that ask for nothing or too much are refused; the day goes on without them.
            if let Ok(refund) =
                sale.refund(ctx(next(), tokyo(11, 0), shift), &picks, &earlier, None)
            {
                earlier.push(refund);
            }
        }
        records.push(sale);
        records.extend(earlier);
    }
    for (no, record) in records.iter_mut().enumerate() {
        record.receipt_no = no as u64 + 1;
    }
    records
}

proptest! {
    #[test]
    fn the_report_adds_up(
        days in prop::collection::vec(any_sale(), 0..12),
        moves in prop::collection::vec(any_move(), 0..5),
        opening in any_count(),
        counted in any_count(),
    ) {
        let sales = ring_up_day(days);
        let mut shift = Shift::open(SHIFT, DEVICE, tokyo(9, 0), "山田", opening.clone());
        for (i, (into, amount)) in moves.iter().enumerate() {
            let kind = if *into { CashMoveKind::In } else { CashMoveKind::Out };
            shift.add_move(Uuid::from_u128(i as u128), tokyo(12, 0), "山田", kind, Yen::new(*amount), "")
                .unwrap();
        }
        let mut closed = shift.clone();
        closed.close(tokyo(19, 0), "山田", counted.clone()).unwrap();
        let z = closed.report(&sales, tokyo(19, 0), &PaymentSettings::default());
        let mine: Vec<&Sale> = sales.iter().filter(|s| s.shift_id == SHIFT).collect();
        let totals: i64 = mine.iter().map(|s| s.receipt.total.get()).sum();

        // (a) the rates and the non-taxable part carry every receipt.
        let gross: i64 = z.rates.iter().map(|l| l.gross.get()).sum();
        prop_assert_eq!(gross + z.exempt.get(), totals);
        prop_assert_eq!(z.net_sales.get(), totals);
        for l in &z.rates {
            prop_assert_eq!(l.gross.get(), l.net.get() + l.tax.get());
        }
        // (b) so do the payment methods.
        prop_assert_eq!(z.tenders.iter().map(|m| m.amount.get()).sum::<i64>(), totals);
        // (c) the drawer.
        let drawer: i64 = mine.iter().map(|s| s.cash_in_drawer().get()).sum();
        let moved: i64 = shift.moves.iter().map(|m| m.signed().get()).sum();
        prop_assert_eq!(z.expected_cash.get(), opening.total().get() + drawer + moved);
        prop_assert_eq!(z.cash_sales.get() + z.cash_refunds.get(), drawer);
        // (d) over/short.
        prop_assert_eq!(z.over_short, Some(Yen::new(counted.total().get() - z.expected_cash.get())));

        // And the rest: refunds, receipts, and categories against the receipts' lines.
        prop_assert_eq!(z.receipts as usize, mine.len());
        prop_assert_eq!(z.refund_count as usize, mine.iter().filter(|s| s.is_refund()).count());
        prop_assert_eq!(z.gross_sales.get() + z.refund_amount.get(), totals);
        let subtotals: i64 = mine.iter().map(|s| s.receipt.subtotal.get()).sum();
        prop_assert_eq!(z.categories.iter().map(|c| c.amount.get()).sum::<i64>(), subtotals);
        let discounts: i64 = mine.iter().map(|s| s.receipt.discount.get()).sum();
        prop_assert_eq!(z.receipt_discounts.get(), discounts);
        prop_assert!(z.categories.iter().all(|c| c.qty >= 0), "never more given back than sold");
        let x = shift.x_report(&sales, tokyo(19, 0), None, &PaymentSettings::default());
        prop_assert_eq!(x.over_short, None);
        prop_assert_eq!(x.expected_cash, z.expected_cash);
    }
}

#[test]
fn the_report_lists_each_method_and_brand_with_fee_and_deposit_and_the_drawer_only_cash() {
    let ring = |n, tenders| {
        let goods = cart(vec![line("食品", "弁当", 1000, 1, TaxClass::Food)]);
        let mut sale = Sale::ring_up(ctx(n, tokyo(10, 0), SHIFT), goods, tenders).unwrap();
        sale.receipt_no = n as u64;
        sale
    };
    let sales = vec![
        ring(
            1,
            vec![tender(PaymentMethod::Card, "visa", 600), tender(PaymentMethod::Cash, "", 1000)],
        ),
        ring(2, vec![tender(PaymentMethod::Card, "visa", 1000)]),
        ring(3, vec![tender(PaymentMethod::QrStatic, "paypay", 1000)]),
        ring(4, vec![tender(PaymentMethod::Voucher, "gift", 1500)]),
    ];
    let settings = crate::testing::fees(&[
        (PaymentMethod::Card, "", 324),
        (PaymentMethod::QrStatic, "paypay", 198),
    ]);
    let x = open().x_report(&sales, tokyo(12, 0), None, &settings);
    let lines: Vec<(PaymentMethod, &str, i64, i64, i64, bool)> = x
        .tenders
        .iter()
        .map(|l| {
            (
                l.method,
                l.brand.as_str(),
                l.amount.get(),
                l.fee.get(),
                l.deposit.get(),
                l.to_reconcile,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (PaymentMethod::Cash, "", 400, 0, 400, false),
            // 3.24% of 1,600 is 51.84: the fee of the period's total, rounded down.
            (PaymentMethod::Card, "visa", 1600, 51, 1549, false),
            (PaymentMethod::QrStatic, "paypay", 1000, 19, 981, true),
            (PaymentMethod::Voucher, "gift", 1500, 0, 1500, false),
        ]
    );
    assert_eq!(x.excess.get(), 500);
    assert_eq!(x.gross_sales.get(), 4000);
    // Only cash goes into the drawer: the float and ¥400.
    assert_eq!(x.expected_cash.get(), 20_400);
}
