//! The cashier's shift and its closing report.
//!
//! A shift opens with a counted float, collects the sales rung up under its id and any cash put in
//! or taken out, and closes with a count of the drawer. It is one record from opening to close,
//! stored and synced as it stands. Its report ([`Shift::report`]) is the X report while it is open
//! and the Z report once it is closed.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::ledger::{Postings, TaxAmounts, TaxBucket};
use crate::money::MAX_AMOUNT;
use crate::money::Yen;
use crate::payment::{self, PaymentMethod, PaymentSettings, TenderKey};
use crate::sale::Sale;

/// A Japanese note or coin, as counted in the drawer. Serialized as its face value (`"10000"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Denomination {
    /// The 10,000 yen note.
    #[serde(rename = "10000")]
    Note10000,
    /// The 5,000 yen note.
    #[serde(rename = "5000")]
    Note5000,
    /// The 2,000 yen note.
    #[serde(rename = "2000")]
    Note2000,
    /// The 1,000 yen note.
    #[serde(rename = "1000")]
    Note1000,
    /// The 500 yen coin.
    #[serde(rename = "500")]
    Coin500,
    /// The 100 yen coin.
    #[serde(rename = "100")]
    Coin100,
    /// The 50 yen coin.
    #[serde(rename = "50")]
    Coin50,
    /// The 10 yen coin.
    #[serde(rename = "10")]
    Coin10,
    /// The 5 yen coin.
    #[serde(rename = "5")]
    Coin5,
    /// The 1 yen coin.
    #[serde(rename = "1")]
    Coin1,
}

impl Denomination {
    /// Every denomination, largest first: the order a drawer is counted in.
    pub const ALL: [Denomination; 10] = [
        Denomination::Note10000,
        Denomination::Note5000,
        Denomination::Note2000,
        Denomination::Note1000,
        Denomination::Coin500,
        Denomination::Coin100,
        Denomination::Coin50,
        Denomination::Coin10,
        Denomination::Coin5,
        Denomination::Coin1,
    ];

    /// The face value.
    pub const fn value(self) -> Yen {
        Yen::new(match self {
            Denomination::Note10000 => 10_000,
            Denomination::Note5000 => 5_000,
            Denomination::Note2000 => 2_000,
            Denomination::Note1000 => 1_000,
            Denomination::Coin500 => 500,
            Denomination::Coin100 => 100,
            Denomination::Coin50 => 50,
            Denomination::Coin10 => 10,
            Denomination::Coin5 => 5,
            Denomination::Coin1 => 1,
        })
    }

    /// True for notes, false for coins.
    pub const fn is_note(self) -> bool {
        self.value().get() >= 1_000
    }

    /// The position in [`Denomination::ALL`] (and in a [`DrawerCount`]).
    const fn index(self) -> usize {
        self as usize
    }
}

/// How many of each note and coin are in the drawer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawerCount {
    /// Counts in the order of [`Denomination::ALL`], largest first.
    counts: [u32; 10],
}

impl DrawerCount {
    /// An empty drawer.
    pub fn new() -> Self {
        DrawerCount::default()
    }

    /// Sets how many of `denomination` were counted.
    pub fn set(&mut self, denomination: Denomination, count: u32) {
        self.counts[denomination.index()] = count;
    }

    /// How many of `denomination` were counted.
    pub fn count(&self, denomination: Denomination) -> u32 {
        self.counts[denomination.index()]
    }

    /// The money in the drawer.
    pub fn total(&self) -> Yen {
        // At most 10 × u32::MAX × 10,000 yen, far inside i64.
        Denomination::ALL
            .iter()
            .map(|d| Yen::new(d.value().get() * i64::from(self.count(*d))))
            .sum()
    }
}

/// Whether cash goes into the drawer or out of it outside a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CashMoveKind {
    /// Put in (入金): more change from the bank, say.
    In,
    /// Taken out (出金): paying a delivery, a trip to the shops.
    Out,
}

/// Cash put into or taken out of the drawer, with the reason given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashMove {
    /// Made on the device.
    pub id: Uuid,
    /// When, in Tokyo time.
    pub at: DateTime<FixedOffset>,
    /// In or out.
    pub kind: CashMoveKind,
    /// How much; never negative, the kind gives the direction.
    pub amount: Yen,
    /// Why, as the cashier typed it.
    pub reason: String,
    /// Who.
    pub staff: String,
}

impl CashMove {
    /// The amount with the sign of its effect on the drawer.
    pub fn signed(&self) -> Yen {
        match self.kind {
            CashMoveKind::In => self.amount,
            CashMoveKind::Out => self.amount.negated(),
        }
    }
}

/// A cashier's shift: the float it started with, the cash moved since, and the closing count once
/// closed. Sales belong to it through their `shift_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    /// Made on the device; sales rung up in the shift carry it.
    pub id: Uuid,
    /// The device whose drawer this is.
    pub device_id: Uuid,
    /// When it opened, in Tokyo time.
    pub opened_at: DateTime<FixedOffset>,
    /// Who opened it.
    pub opened_by: String,
    /// The float counted into the drawer at the start.
    pub opening_float: DrawerCount,
    /// Cash put in and taken out, in the order it happened.
    pub moves: Vec<CashMove>,
    /// The closing count; `None` while the shift is open.
    pub closing: Option<Closing>,
}

/// The count at the end of a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closing {
    /// When the shift closed, in Tokyo time.
    pub at: DateTime<FixedOffset>,
    /// Who closed it.
    pub by: String,
    /// What was in the drawer.
    pub counted: DrawerCount,
}

impl Shift {
    /// Opens a shift at `at` with `opening_float` counted into the drawer by `staff`.
    pub fn open(
        id: Uuid,
        device_id: Uuid,
        at: DateTime<Utc>,
        staff: &str,
        opening_float: DrawerCount,
    ) -> Shift {
        Shift {
            id,
            device_id,
            opened_at: at.with_timezone(&crate::TOKYO),
            opened_by: staff.to_owned(),
            opening_float,
            moves: Vec::new(),
            closing: None,
        }
    }

    /// True until the shift is closed.
    pub fn is_open(&self) -> bool {
        self.closing.is_none()
    }

    /// Records cash put in or taken out. Refused on a closed shift; the amount must not be
    /// negative; the reason is kept as typed, trimmed.
    ///
    /// A cash-out larger than the drawer should hold is accepted: the record must say what
    /// really left the drawer, and the closing count shows any gap. The app can warn first by
    /// comparing with [`ShiftReport::expected_cash`] of an X report.
    pub fn add_move(
        &mut self,
        id: Uuid,
        at: DateTime<Utc>,
        staff: &str,
        kind: CashMoveKind,
        amount: Yen,
        reason: &str,
    ) -> Result<&CashMove> {
        self.refuse_if_closed()?;
        let field = || Field::top("amount");
        if amount.is_negative() {
            return Err(Error::Negative { field: field() });
        }
        if amount > MAX_AMOUNT {
            return Err(Error::TooLarge { field: field() });
        }
        let index = self.moves.len();
        self.moves.push(CashMove {
            id,
            at: at.with_timezone(&crate::TOKYO),
            kind,
            amount,
            reason: reason.trim().to_owned(),
            staff: staff.to_owned(),
        });
        Ok(&self.moves[index])
    }

    /// Closes the shift at `at` with the drawer counted by `staff`. Refused if already closed,
    /// so a Z report can never be overwritten.
    pub fn close(&mut self, at: DateTime<Utc>, staff: &str, counted: DrawerCount) -> Result<()> {
        self.refuse_if_closed()?;
        let at = at.with_timezone(&crate::TOKYO);
        self.closing = Some(Closing { at, by: staff.to_owned(), counted });
        Ok(())
    }

    /// The shift's report: the Z report with the closing count once closed (`at` is then not
    /// used: the report runs to the close), otherwise the X report at `at` with no count.
    /// `sales` may hold records of other shifts; they are left out. `settings` give the fees.
    pub fn report(
        &self,
        sales: &[Sale],
        at: DateTime<Utc>,
        settings: &PaymentSettings,
    ) -> ShiftReport {
        match &self.closing {
            Some(closing) => ShiftReport::build(
                ReportKind::Z,
                self,
                sales,
                closing.at,
                Some(&closing.counted),
                settings,
            ),
            None => self.x_report(sales, at, None, settings),
        }
    }

    /// The X report at `at`, with the over/short against `counted` if the drawer was counted
    /// (a check during the day). `sales` may hold records of other shifts; they are left out.
    /// `settings` give the fees.
    pub fn x_report(
        &self,
        sales: &[Sale],
        at: DateTime<Utc>,
        counted: Option<&DrawerCount>,
        settings: &PaymentSettings,
    ) -> ShiftReport {
        let to = at.with_timezone(&crate::TOKYO);
        ShiftReport::build(ReportKind::X, self, sales, to, counted, settings)
    }

    fn refuse_if_closed(&self) -> Result<()> {
        match self.closing {
            Some(_) => Err(Error::ShiftClosed),
            None => Ok(()),
        }
    }
}

/// Which report: during the shift or at its close.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// During the shift (点検): the shift stays open.
    X,
    /// At the close (精算).
    Z,
}

/// One tax rate's takings over the shift, refunds netted out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLine {
    /// Rate in whole percent.
    pub rate: u8,
    /// True for the reduced rate.
    pub reduced: bool,
    /// Including tax, after all discounts.
    pub gross: Yen,
    /// Excluding tax, after all discounts.
    pub net: Yen,
    /// The tax, as the sum of the receipts' per-rate tax.
    pub tax: Yen,
}

/// What came in by one payment method and brand, refunds netted out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderLine {
    /// How.
    pub method: PaymentMethod,
    /// The brand word, or `""`.
    pub brand: String,
    /// Tendered less change (for cash: what went into the drawer; for vouchers: with excess).
    pub amount: Yen,
    /// The provider's fee on it, an estimate from the shop's rates ([`payment::fee`]).
    pub fee: Yen,
    /// What the provider is expected to pay in (入金見込み): `amount − fee`.
    pub deposit: Yen,
    /// True when it must be checked against the provider's statement (要照合).
    pub to_reconcile: bool,
}

/// One category's sales over the shift, refunds netted out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLine {
    /// The category as rung up; empty for goods without one.
    pub category: String,
    /// Items sold less items refunded.
    pub qty: i64,
    /// Line amounts: after line discounts, before receipt discounts, priced as the cart was.
    pub amount: Yen,
}

/// The X or Z report of a shift. Amounts of refunds are negative, as on their receipts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftReport {
    /// X or Z.
    pub kind: ReportKind,
    /// The shift reported on.
    pub shift_id: Uuid,
    /// When the shift opened.
    pub from: DateTime<FixedOffset>,
    /// When the report was made (the close, for a Z report).
    pub to: DateTime<FixedOffset>,
    /// Takings per tax rate, highest rate first and the standard before the reduced at the same
    /// rate.
    pub rates: Vec<RateLine>,
    /// Non-taxable takings (非課税), shown apart.
    pub exempt: Yen,
    /// Takings per payment method and brand, in the order of [`TenderKey`].
    pub tenders: Vec<TenderLine>,
    /// Over-tender by vouchers kept (included in the voucher lines of `tenders`).
    pub excess: Yen,
    /// Sales per category by name, the goods without a category last.
    pub categories: Vec<CategoryLine>,
    /// How many refunds were made.
    pub refund_count: u32,
    /// What they gave back (negative).
    pub refund_amount: Yen,
    /// Yen taken off lines, less what refunds took back.
    pub line_discounts: Yen,
    /// Yen taken off whole receipts, less what refunds took back.
    pub receipt_discounts: Yen,
    /// Receipts issued, sales and refunds alike.
    pub receipts: u32,
    /// The lowest receipt number issued, if any.
    pub first_receipt_no: Option<u64>,
    /// The highest receipt number issued, if any.
    pub last_receipt_no: Option<u64>,
    /// What the sales came to, before refunds (総売上).
    pub gross_sales: Yen,
    /// What the sales came to, less refunds (純売上): the rates' gross plus the non-taxable.
    pub net_sales: Yen,
    /// The float the shift opened with.
    pub opening_float: Yen,
    /// Cash the sales put in the drawer, net of change.
    pub cash_sales: Yen,
    /// Cash the refunds paid out of the drawer (negative).
    pub cash_refunds: Yen,
    /// Cash put in outside sales.
    pub cash_in: Yen,
    /// Cash taken out outside sales.
    pub cash_out: Yen,
    /// `opening_float + cash_sales + cash_refunds + cash_in − cash_out`.
    pub expected_cash: Yen,
    /// The drawer as counted, if it was.
    pub counted: Option<DrawerCount>,
    /// What the count came to.
    pub counted_cash: Option<Yen>,
    /// `counted_cash − expected_cash`: positive when over, negative when short.
    pub over_short: Option<Yen>,
}

impl ShiftReport {
    /// The report of `kind` on `shift` up to `to`, with the drawer `counted` if it was, from
    /// `sales` (records of other shifts are left out) and the fees of `settings`.
    pub fn build(
        kind: ReportKind,
        shift: &Shift,
        sales: &[Sale],
        to: DateTime<FixedOffset>,
        counted: Option<&DrawerCount>,
        settings: &PaymentSettings,
    ) -> ShiftReport {
        let mut rates: BTreeMap<TaxBucket, TaxAmounts> = BTreeMap::new();
        let mut methods: BTreeMap<TenderKey, Yen> = BTreeMap::new();
        // Keyed so that the empty category sorts last.
        let mut categories: BTreeMap<(bool, &str), (i64, Yen)> = BTreeMap::new();
        let mut r = ShiftReport {
            kind,
            shift_id: shift.id,
            from: shift.opened_at,
            to,
            rates: Vec::new(),
            exempt: Yen::ZERO,
            tenders: Vec::new(),
            excess: Yen::ZERO,
            categories: Vec::new(),
            refund_count: 0,
            refund_amount: Yen::ZERO,
            line_discounts: Yen::ZERO,
            receipt_discounts: Yen::ZERO,
            receipts: 0,
            first_receipt_no: None,
            last_receipt_no: None,
            gross_sales: Yen::ZERO,
            net_sales: Yen::ZERO,
            opening_float: shift.opening_float.total(),
            cash_sales: Yen::ZERO,
            cash_refunds: Yen::ZERO,
            cash_in: Yen::ZERO,
            cash_out: Yen::ZERO,
            expected_cash: Yen::ZERO,
            counted: counted.cloned(),
            counted_cash: counted.map(DrawerCount::total),
            over_short: None,
        };

        for sale in sales.iter().filter(|s| s.shift_id == shift.id) {
            let receipt = &sale.receipt;
            let postings = Postings::of(sale);
            for (bucket, amounts) in postings.taxes {
                match bucket {
                    TaxBucket::Rate { .. } => *rates.entry(bucket).or_default() += amounts,
                    TaxBucket::Exempt => r.exempt += amounts.gross,
                }
            }
            for (key, amount) in postings.methods {
                *methods.entry(key).or_default() += amount;
            }
            r.excess += postings.excess;
            for item in postings.items {
                let (qty, amount) =
                    categories.entry((item.category.is_empty(), item.category)).or_default();
                *qty = qty.saturating_add(item.qty);
                *amount += item.amount;
                r.line_discounts += item.discount;
            }
            r.receipt_discounts += receipt.discount;

            let cash = sale.cash_in_drawer();
            r.receipts = r.receipts.saturating_add(1);
            let no = sale.receipt_no;
            r.first_receipt_no = Some(r.first_receipt_no.map_or(no, |first| first.min(no)));
            r.last_receipt_no = Some(r.last_receipt_no.map_or(no, |last| last.max(no)));
            if sale.is_refund() {
                r.refund_count = r.refund_count.saturating_add(1);
                r.refund_amount += receipt.total;
                r.cash_refunds += cash;
            } else {
                r.gross_sales += receipt.total;
                r.cash_sales += cash;
            }
        }
        r.net_sales = r.gross_sales + r.refund_amount;
        r.rates = rates
            .into_iter()
            .filter_map(|(bucket, TaxAmounts { gross, net, tax })| match bucket {
                TaxBucket::Rate { percent, reduced } => {
                    Some(RateLine { rate: percent, reduced, gross, net, tax })
                }
                TaxBucket::Exempt => None,
            })
            .collect();
        r.tenders = methods
            .into_iter()
            .map(|(key, amount)| {
                let fee = payment::fee(settings, &key, amount);
                TenderLine {
                    method: key.method,
                    to_reconcile: payment::to_reconcile(key.method),
                    brand: key.brand,
                    amount,
                    fee,
                    deposit: amount - fee,
                }
            })
            .collect();
        r.categories = categories
            .into_iter()
            .map(|((_, category), (qty, amount))| CategoryLine {
                category: category.to_owned(),
                qty,
                amount,
            })
            .collect();

        for m in &shift.moves {
            match m.kind {
                CashMoveKind::In => r.cash_in += m.amount,
                CashMoveKind::Out => r.cash_out += m.amount,
            }
        }
        r.expected_cash = r.opening_float + r.cash_sales + r.cash_refunds + r.cash_in - r.cash_out;
        r.over_short = r.counted_cash.map(|c| c - r.expected_cash);
        r
    }
}

#[cfg(test)]
mod tests;
