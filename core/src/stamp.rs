//! The revenue-stamp rule (収入印紙, 印紙税法 第17号の1文書) for a receipt: how much of a sale
//! counts, and the stamp duty the 領収書 must carry.
//!
//! What the research found (the sources are in the shared research notes, section 2.2):
//! receipts for ¥50,000 or more need a stamp, ¥200 up to ¥1,000,000; the amount is judged
//! without tax when the receipt states the tax separately (ours always does); money paid by
//! credit card needs none when the receipt says it was paid by card.
//!
//! **Grey zones, UNVERIFIED as tax rulings (check with your tax accountant):**
//! - a sale paid partly by card is judged on the other part, as registers do (STORES, Airレジ);
//! - the tax-excluded share of such a part is our own proportional rule (see [`judge`]);
//! - e-money and transit IC cards are not covered by the research: counted as stampable,
//!   because a needless ¥200 box costs less than the 3× 過怠税 of a missing stamp;
//! - QR payments depend on the provider's contract; PayPay's type is unknown: counted;
//! - an instant-debit card rung up as `card` is wrongly exempt (the receipt says credit card);
//! - the bands above ¥1,000,000 come from secondary sources, not the NTA page itself.
//!
//! [`stampable`] is the one place that decides which methods count.

use crate::money::Yen;
use crate::payment::PaymentMethod;
use crate::sale::{Sale, SaleKind};

/// Receipts for less than this (tax excluded) need no stamp.
pub const STAMP_FREE_BELOW: Yen = Yen::new(50_000);

/// The bands above the free threshold: (up to and including this amount, duty). Above the last
/// band the duty is [`TOP_DUTY`]. Bands above ¥1,000,000 are UNVERIFIED against NTA No.7141
/// (three secondary sources agree).
const BANDS: [(i64, i64); 13] = [
    (1_000_000, 200),
    (2_000_000, 400),
    (3_000_000, 600),
    (5_000_000, 1_000),
    (10_000_000, 2_000),
    (20_000_000, 4_000),
    (30_000_000, 6_000),
    (50_000_000, 10_000),
    (100_000_000, 20_000),
    (200_000_000, 40_000),
    (300_000_000, 60_000),
    (500_000_000, 100_000),
    (1_000_000_000, 150_000),
];

/// The duty on receipts above ¥1,000,000,000.
const TOP_DUTY: i64 = 200_000;

/// The stamp duty on a receipt for `amount` (tax excluded): 0 below [`STAMP_FREE_BELOW`].
pub fn duty(amount: Yen) -> Yen {
    if amount < STAMP_FREE_BELOW {
        return Yen::ZERO;
    }
    let duty =
        BANDS.iter().find(|(up_to, _)| amount.get() <= *up_to).map_or(TOP_DUTY, |(_, duty)| *duty);
    Yen::new(duty)
}

/// True when money paid this way counts towards the stamp. Only card is left out, and only
/// because our receipts state the card payment (which the exemption needs). E-money, transit
/// IC and QR count: UNVERIFIED, see the module's notes.
pub const fn stampable(method: PaymentMethod) -> bool {
    match method {
        PaymentMethod::Card => false,
        PaymentMethod::Cash
        | PaymentMethod::Voucher
        | PaymentMethod::Qr
        | PaymentMethod::QrStatic
        | PaymentMethod::EMoney
        | PaymentMethod::TransitIc => true,
    }
}

/// What a sale's 領収書 says about the stamp.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// What the stampable tenders kept (after change and voucher excess), tax included.
    pub received: Yen,
    /// Its tax-excluded part, which the duty is judged on.
    pub base: Yen,
    /// The stamp duty: 0 when no stamp box is shown.
    pub duty: Yen,
    /// What the other methods kept, one entry per method in report order, printed as
    /// "うち…決済" so that the card part needs no stamp.
    pub not_stampable: Vec<(PaymentMethod, Yen)>,
}

/// The stamp of `sale`'s 領収書. The stampable part is what its stampable tenders kept; its tax
/// share is the receipt's tax in proportion, rounded down (so the base rounds up, and the box
/// shows in the edge case). Refunds and sales of ¥0 carry no stamp.
pub fn judge(sale: &Sale) -> Stamp {
    let total = sale.receipt.total;
    if sale.kind != SaleKind::Sale || total <= Yen::ZERO {
        return Stamp::default();
    }
    let kept = sale.tenders_kept();
    let mut received = Yen::ZERO;
    let mut not_stampable: Vec<(PaymentMethod, Yen)> = Vec::new();
    for (tender, kept) in sale.tenders.iter().zip(kept) {
        if stampable(tender.method) {
            received += kept;
        } else if kept > Yen::ZERO {
            match not_stampable.iter_mut().find(|(method, _)| *method == tender.method) {
                Some((_, sum)) => *sum += kept,
                None => not_stampable.push((tender.method, kept)),
            }
        }
    }
    not_stampable.sort_by_key(|(method, _)| *method);
    // Tax and amounts are below MAX_AMOUNT (10^18), so their product needs i128; the share is
    // at most the tax, so it fits back in i64.
    let share = i128::from(sale.receipt.tax.get().max(0)) * i128::from(received.get().max(0))
        / i128::from(total.get());
    let share = Yen::new(i64::try_from(share).unwrap_or(i64::MAX));
    let base = (received - share).max(Yen::ZERO);
    Stamp { received, base, duty: duty(base), not_stampable }
}

#[cfg(test)]
mod tests;
