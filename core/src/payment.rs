//! How a customer pays: the methods, the tenders of a sale, and the change rule. A new method
//! (card, QR, e-money) is a variant of [`PaymentMethod`] and its word in its [`Named`] table;
//! whether it gives change is decided by [`PaymentMethod::gives_change`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::Yen;
use crate::tax::Named;

/// How a customer pays. One sale can carry several tenders (part cash, part card).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Notes and coins in the drawer; the only method that gives change.
    Cash,
}

impl Named for PaymentMethod {
    const NAMES: &'static [(&'static str, Self)] = &[("cash", PaymentMethod::Cash)];
    const EXPECTED: &'static str = "cash";
}

impl PaymentMethod {
    /// True when change can be handed back from what was tendered this way.
    pub const fn gives_change(self) -> bool {
        matches!(self, PaymentMethod::Cash)
    }
}

/// One payment towards a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tender {
    /// How.
    pub method: PaymentMethod,
    /// How much was handed over (negative when money goes back on a refund).
    pub amount: Yen,
}

/// The change due when `tenders` pay `due`. Refused when they do not cover it, and when the
/// change is more than was tendered by methods that give change (no change from a card).
pub fn change_due(due: Yen, tenders: &[Tender]) -> Result<Yen> {
    // Checked, not saturated: a saturated sum of absurd tenders would pass as cover.
    let tendered = Yen::checked_sum(tenders.iter().map(|t| t.amount))
        .ok_or(Error::TooLarge { field: crate::error::Field::top("tenders") })?;
    let change = tendered
        .checked_sub(due)
        .filter(|change| !change.is_negative())
        .ok_or(Error::TenderShort { due, tendered })?;
    let changeable: Yen =
        tenders.iter().filter(|t| t.method.gives_change()).map(|t| t.amount).sum();
    if change > changeable {
        return Err(Error::ChangeWithoutCash { change });
    }
    Ok(change)
}

/// What each method tendered kept once `change` went back: the tenders per method, with the
/// change taken out of cash (the domain refuses change that cash could not give, see
/// [`change_due`]). Every method tendered is listed, in the order of [`PaymentMethod`].
pub fn kept(tenders: &[Tender], change: Yen) -> BTreeMap<PaymentMethod, Yen> {
    let mut kept: BTreeMap<PaymentMethod, Yen> = BTreeMap::new();
    for tender in tenders {
        *kept.entry(tender.method).or_default() += tender.amount;
    }
    if change != Yen::ZERO {
        *kept.entry(PaymentMethod::Cash).or_default() -= change;
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    fn cash(yen: i64) -> Tender {
        Tender { method: PaymentMethod::Cash, amount: Yen::new(yen) }
    }

    #[test]
    fn change_is_what_cash_tendered_beyond_the_total() {
        assert_eq!(change_due(Yen::new(980), &[cash(1000)]), Ok(Yen::new(20)));
        assert_eq!(change_due(Yen::new(980), &[cash(500), cash(480)]), Ok(Yen::ZERO));
        assert_eq!(
            change_due(Yen::new(980), &[cash(900)]),
            Err(Error::TenderShort { due: Yen::new(980), tendered: Yen::new(900) })
        );
        assert_eq!(change_due(Yen::ZERO, &[]), Ok(Yen::ZERO));
        assert_eq!(
            change_due(Yen::new(100), &[cash(i64::MAX), cash(i64::MAX), cash(102)]),
            Err(Error::TooLarge { field: Field::top("tenders") })
        );
    }

    #[test]
    fn cash_keeps_what_it_took_less_the_change() {
        let kept = kept(&[cash(1000)], Yen::new(20));
        assert_eq!(kept.into_iter().collect::<Vec<_>>(), [(PaymentMethod::Cash, Yen::new(980))]);
    }

    #[test]
    fn methods_have_words() {
        assert_eq!(PaymentMethod::Cash.word(), "cash");
        assert_eq!(PaymentMethod::parse("cash", Field::top("method")), Ok(PaymentMethod::Cash));
        assert_eq!(
            serde_json::to_value(PaymentMethod::Cash).ok(),
            Some(serde_json::json!(PaymentMethod::Cash.word()))
        );
    }
}
