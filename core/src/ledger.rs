//! What one sale or refund adds to the books: per tax rate (the non-taxable part apart), per
//! payment method net of change, and per line with signed quantities. The shift report and the
//! server's per-day sums add these postings up, so they cannot disagree.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::money::Yen;
use crate::payment::{self, TenderKey};
use crate::sale::Sale;

/// Where an amount goes for tax: a rate, or the non-taxable part (非課税), which DESIGN.md
/// shows apart and which is never "a rate of 0%" (a law could set a real 0% rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaxBucket {
    /// Taxed at a rate.
    Rate {
        /// Whole percent.
        percent: u8,
        /// True for the reduced rate.
        reduced: bool,
    },
    /// Non-taxable.
    Exempt,
}

impl Ord for TaxBucket {
    /// The order a report lists them in: highest rate first, the standard before the reduced at
    /// the same rate, and the non-taxable part last.
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |bucket: &TaxBucket| match *bucket {
            TaxBucket::Rate { percent, reduced } => (false, std::cmp::Reverse(percent), reduced),
            TaxBucket::Exempt => (true, std::cmp::Reverse(0), false),
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for TaxBucket {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A record's amounts in one tax bucket, after all discounts; negative for refunds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaxAmounts {
    /// Including tax.
    pub gross: Yen,
    /// Excluding tax.
    pub net: Yen,
    /// The tax (none for the non-taxable part).
    pub tax: Yen,
}

impl std::ops::AddAssign for TaxAmounts {
    fn add_assign(&mut self, other: TaxAmounts) {
        self.gross += other.gross;
        self.net += other.net;
        self.tax += other.tax;
    }
}

/// One line of a record as the books count it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemPosting<'a> {
    /// The catalog item, if it came from the catalog.
    pub item_id: Option<Uuid>,
    /// The name as printed.
    pub name: &'a str,
    /// The category as rung up; empty for goods without one.
    pub category: &'a str,
    /// Items sold, negative when given back.
    pub qty: i64,
    /// After the line discount, before the receipt discount; negative on refunds.
    pub amount: Yen,
    /// Yen taken off the line; negative when a refund takes it back.
    pub discount: Yen,
}

/// What one sale or refund adds to the books.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Postings<'a> {
    /// Per tax bucket, in [`TaxBucket`] order; the non-taxable part only when not zero.
    pub taxes: BTreeMap<TaxBucket, TaxAmounts>,
    /// What each method and brand tendered kept, net of change (for cash: what went into the
    /// drawer); a voucher's line includes its excess.
    pub methods: BTreeMap<TenderKey, Yen>,
    /// Over-tender by vouchers the shop kept (included in the voucher lines of `methods`).
    pub excess: Yen,
    /// The lines, in the receipt's order.
    pub items: Vec<ItemPosting<'a>>,
}

impl<'a> Postings<'a> {
    /// The postings of `sale`.
    pub fn of(sale: &'a Sale) -> Postings<'a> {
        let receipt = &sale.receipt;
        let mut taxes: BTreeMap<TaxBucket, TaxAmounts> = receipt
            .rates
            .iter()
            .map(|t| {
                let bucket = TaxBucket::Rate { percent: t.rate, reduced: t.reduced };
                (bucket, TaxAmounts { gross: t.gross, net: t.net, tax: t.tax })
            })
            .collect();
        if receipt.exempt != Yen::ZERO {
            let amounts = TaxAmounts { gross: receipt.exempt, net: receipt.exempt, tax: Yen::ZERO };
            taxes.insert(TaxBucket::Exempt, amounts);
        }
        // A refund's cart holds the lines given back, index for index with its receipt.
        let sign = if sale.is_refund() { -1 } else { 1 };
        let items = sale
            .cart
            .lines
            .iter()
            .zip(&receipt.lines)
            .map(|(line, printed)| ItemPosting {
                item_id: line.item_id,
                name: &printed.name,
                category: &line.category,
                qty: sign * i64::from(printed.qty),
                amount: printed.amount,
                discount: printed.discount,
            })
            .collect();
        Postings {
            taxes,
            methods: payment::kept(&sale.tenders, sale.change),
            excess: sale.excess,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::cart::Cart;
    use crate::testing::{any_line, cash, ctx, mixed_sale};

    #[test]
    fn a_bucket_on_the_wire_says_its_kind() -> serde_json::Result<()> {
        let reduced = TaxBucket::Rate { percent: 8, reduced: true };
        let text = r#"{"kind":"rate","percent":8,"reduced":true}"#;
        assert_eq!(serde_json::to_string(&reduced)?, text);
        assert_eq!(serde_json::from_str::<TaxBucket>(text)?, reduced);
        assert_eq!(serde_json::to_string(&TaxBucket::Exempt)?, r#"{"kind":"exempt"}"#);
        assert_eq!(serde_json::from_str::<TaxBucket>(r#"{"kind":"exempt"}"#)?, TaxBucket::Exempt);
        Ok(())
    }

    #[test]
    fn a_sale_posts_per_rate_per_method_and_per_line() {
        let sale = mixed_sale();
        let postings = Postings::of(&sale);
        let rates: Vec<_> = postings.taxes.iter().map(|(b, a)| (*b, a.gross)).collect();
        assert_eq!(
            rates,
            [
                (TaxBucket::Rate { percent: 10, reduced: false }, sale.receipt.rates[0].gross),
                (TaxBucket::Rate { percent: 8, reduced: true }, sale.receipt.rates[1].gross),
            ]
        );
        assert_eq!(postings.methods.get(&TenderKey::cash()), Some(&sale.receipt.total));
        let items: Vec<_> = postings.items.iter().map(|i| (i.name, i.qty)).collect();
        assert_eq!(items, [("おにぎり", 3), ("ビール", 2)]);
    }

    #[test]
    fn the_non_taxable_part_is_its_own_bucket_after_every_rate() {
        let mut buckets = vec![
            TaxBucket::Exempt,
            TaxBucket::Rate { percent: 8, reduced: true },
            TaxBucket::Rate { percent: 0, reduced: false },
            TaxBucket::Rate { percent: 10, reduced: false },
            TaxBucket::Rate { percent: 8, reduced: false },
        ];
        buckets.sort();
        assert_eq!(
            buckets,
            [
                TaxBucket::Rate { percent: 10, reduced: false },
                TaxBucket::Rate { percent: 8, reduced: false },
                TaxBucket::Rate { percent: 8, reduced: true },
                TaxBucket::Rate { percent: 0, reduced: false },
                TaxBucket::Exempt,
            ]
        );
    }

    proptest! {
        #[test]
        fn postings_add_up_to_the_receipt_and_a_full_refund_nets_to_zero(
            lines in prop::collection::vec(any_line(), 1..5),
            extra in 0i64..10_000,
        ) {
            let mut cart = Cart::new(crate::tokyo_date(ctx(1).at));
            cart.lines = lines;
            let Ok(receipt) = crate::receipt::Receipt::compute(&cart, &crate::tax::RateTable::japan()) else {
                return Ok(());
            };
            let sale = crate::sale::Sale::ring_up(ctx(1), cart, cash(receipt.total.get() + extra))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let sold = Postings::of(&sale);
            let gross: Yen = sold.taxes.values().map(|a| a.gross).sum();
            prop_assert_eq!(gross, sale.receipt.total);
            let tax: Yen = sold.taxes.values().map(|a| a.tax).sum();
            prop_assert_eq!(tax, sale.receipt.tax);
            let kept: Yen = sold.methods.values().copied().sum();
            let tendered: Yen = sale.tenders.iter().map(|t| t.amount).sum();
            prop_assert_eq!(kept, tendered - sale.change);
            prop_assert_eq!(sold.methods.get(&TenderKey::cash()).copied(), Some(sale.cash_in_drawer()));

            let everything: Vec<(usize, u32)> =
                sale.cart.lines.iter().map(|l| l.qty).enumerate().collect();
            let Ok(refund) = sale.refund(ctx(2), &everything, &[], None) else {
                // Nothing to give back when every line is for none.
                prop_assert!(sale.cart.lines.iter().all(|l| l.qty == 0));
                return Ok(());
            };
            let back = Postings::of(&refund);
            let mut taxes = sold.taxes.clone();
            for (bucket, amounts) in &back.taxes {
                *taxes.entry(*bucket).or_default() += *amounts;
            }
            prop_assert!(taxes.values().all(|a| *a == TaxAmounts::default()));
            let methods: Yen = sold.methods.values().chain(back.methods.values()).copied().sum();
            prop_assert_eq!(methods, Yen::ZERO);
            for (a, b) in sold.items.iter().zip(&back.items) {
                prop_assert_eq!((a.qty + b.qty, a.amount + b.amount, a.discount + b.discount), (0, Yen::ZERO, Yen::ZERO));
            }
        }
    }
}
