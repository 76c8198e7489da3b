//! How a customer pays: the methods and their brands, the tenders of a sale, the change rule,
//! and the shop's payment settings (fees, the QR provider). Whether a method gives change is
//! decided by [`PaymentMethod::gives_change`]; a voucher's over-tender is kept as excess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::money::Yen;
use crate::tax::Named;

/// How a customer pays. One sale can carry several tenders (part cash, part card). The order is
/// the order reports list them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Notes and coins in the drawer; the only method that gives change.
    Cash,
    /// A credit or debit card, charged on the card terminal.
    Card,
    /// Prepaid or post-paid e-money (iD, QUICPay, nanaco, WAON, Edy), on the terminal.
    EMoney,
    /// A transit IC card (Suica, PASMO, ICOCA), on the terminal.
    TransitIc,
    /// A QR code payment made through the provider's API (PayPay): the server confirms it.
    Qr,
    /// A QR code payment to the shop's printed code, confirmed by looking at the customer's
    /// screen: to be reconciled with the provider's statement.
    QrStatic,
    /// A gift voucher or coupon: no change; what it pays beyond the total is kept as excess.
    Voucher,
}

impl Named for PaymentMethod {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("cash", PaymentMethod::Cash),
        ("card", PaymentMethod::Card),
        ("e_money", PaymentMethod::EMoney),
        ("transit_ic", PaymentMethod::TransitIc),
        ("qr", PaymentMethod::Qr),
        ("qr_static", PaymentMethod::QrStatic),
        ("voucher", PaymentMethod::Voucher),
    ];
    const EXPECTED: &'static str = "cash, card, e_money, transit_ic, qr, qr_static, voucher";
}

impl PaymentMethod {
    /// Every method, in report order.
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::EMoney,
        PaymentMethod::TransitIc,
        PaymentMethod::Qr,
        PaymentMethod::QrStatic,
        PaymentMethod::Voucher,
    ];

    /// True when change can be handed back from what was tendered this way.
    pub const fn gives_change(self) -> bool {
        matches!(self, PaymentMethod::Cash)
    }

    /// True for the methods paid on the card terminal, whose tenders may carry the card's last
    /// four digits and the approval number printed by the terminal.
    pub const fn on_terminal(self) -> bool {
        matches!(self, PaymentMethod::Card | PaymentMethod::EMoney | PaymentMethod::TransitIc)
    }
}

/// The brands a method's tenders may name, as words; cash has none.
pub fn brands(method: PaymentMethod) -> &'static [&'static str] {
    match method {
        PaymentMethod::Cash => &[],
        PaymentMethod::Card => {
            &["visa", "mastercard", "jcb", "amex", "diners", "discover", "unionpay", "other"]
        }
        PaymentMethod::EMoney => &["id", "quicpay", "nanaco", "waon", "edy", "other"],
        PaymentMethod::TransitIc => &["suica", "pasmo", "icoca", "other"],
        PaymentMethod::Qr => &["paypay"],
        PaymentMethod::QrStatic => {
            &["paypay", "rakuten_pay", "d_barai", "au_pay", "merpay", "other"]
        }
        PaymentMethod::Voucher => &["gift", "coupon"],
    }
}

/// One payment towards a sale, or money given back on a refund. Optional fields are left out of
/// the JSON when empty, so a cash tender encodes as it always did (records are hashed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tender {
    /// How.
    pub method: PaymentMethod,
    /// How much was handed over (negative when money goes back on a refund).
    pub amount: Yen,
    /// For `qr` only, and required there: the provider's merchantPaymentId on a sale, its
    /// merchantRefundId on a refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// A word of [`brands`] for the method; required for every method but cash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The card's last four digits, exactly 4 ASCII digits (card, e-money and transit IC only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
    /// The terminal's approval number, 1 to 10 ASCII letters or digits (same methods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// On a refund: the index of the original sale's tender this one gives money back through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<u16>,
}

impl Tender {
    /// A tender of `amount` by `method` with nothing else said about it.
    pub fn new(method: PaymentMethod, amount: Yen) -> Tender {
        Tender { method, amount, id: None, brand: None, last4: None, approval: None, refunds: None }
    }

    /// The key it is counted under in the books.
    pub fn key(&self) -> TenderKey {
        TenderKey { method: self.method, brand: self.brand.clone().unwrap_or_default() }
    }

    /// Refuses a tender whose fields do not fit its method: `index` names it in the field path
    /// (`tenders[2].brand`). Amounts are checked by the sale or refund that holds it.
    pub fn check_shape(&self, index: usize) -> Result<()> {
        let field = |name: &str| Field::top(&format!("tenders[{index}].{name}"));
        let invalid = |name: &str, detail: &str| Error::Invalid {
            field: field(name),
            detail: detail.to_owned(),
        };
        match (&self.brand, self.method) {
            (Some(_), PaymentMethod::Cash) => {
                return Err(invalid("brand", "cash has no brand"));
            }
            (None, PaymentMethod::Cash) => {}
            (None, _) => return Err(invalid("brand", "a brand is needed for this method")),
            (Some(brand), method) if !brands(method).contains(&brand.as_str()) => {
                return Err(Error::UnknownValue {
                    field: field("brand"),
                    value: brand.clone(),
                    expected: brands_expected(method),
                });
            }
            (Some(_), _) => {}
        }
        match (self.id, self.method) {
            (None, PaymentMethod::Qr) => {
                return Err(invalid("id", "a QR payment needs its payment id"));
            }
            (Some(_), method) if method != PaymentMethod::Qr => {
                return Err(invalid("id", "only a QR payment made through the API has an id"));
            }
            _ => {}
        }
        if let Some(last4) = &self.last4 {
            if !self.method.on_terminal() {
                return Err(invalid("last4", "only card, e-money and transit IC tenders have one"));
            }
            if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("last4", "exactly the last 4 digits, never the card number"));
            }
        }
        if let Some(approval) = &self.approval {
            if !self.method.on_terminal() {
                return Err(invalid(
                    "approval",
                    "only card, e-money and transit IC tenders have one",
                ));
            }
            if approval.is_empty()
                || approval.len() > 10
                || !approval.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(invalid("approval", "1 to 10 letters or digits"));
            }
        }
        Ok(())
    }
}

/// The brand words of `method`, comma-separated, for [`Error::UnknownValue`].
fn brands_expected(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "",
        PaymentMethod::Card => "visa, mastercard, jcb, amex, diners, discover, unionpay, other",
        PaymentMethod::EMoney => "id, quicpay, nanaco, waon, edy, other",
        PaymentMethod::TransitIc => "suica, pasmo, icoca, other",
        PaymentMethod::Qr => "paypay",
        PaymentMethod::QrStatic => "paypay, rakuten_pay, d_barai, au_pay, merpay, other",
        PaymentMethod::Voucher => "gift, coupon",
    }
}

/// Where the money over the total goes when a sale is settled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settle {
    /// Cash handed back.
    pub change: Yen,
    /// Over-tender by vouchers that is not given back (商品券のお釣りなし).
    pub excess: Yen,
}

/// How `tenders` settle `due`. What is tendered beyond the total goes back as change up to the
/// cash tendered; the rest is excess, allowed only up to what vouchers tendered. So a card, QR
/// or e-money tender never produces change or excess. Refused when the tenders do not cover
/// `due`, and when their sum overflows.
pub fn change_due(due: Yen, tenders: &[Tender]) -> Result<Settle> {
    // Checked, not saturated: a saturated sum of absurd tenders would pass as cover.
    let tendered = Yen::checked_sum(tenders.iter().map(|t| t.amount))
        .ok_or(Error::TooLarge { field: Field::top("tenders") })?;
    let over = tendered
        .checked_sub(due)
        .filter(|over| !over.is_negative())
        .ok_or(Error::TenderShort { due, tendered })?;
    let sum_of = |method: PaymentMethod| -> Yen {
        tenders.iter().filter(|t| t.method == method).map(|t| t.amount).sum()
    };
    let change = over.min(sum_of(PaymentMethod::Cash).max(Yen::ZERO));
    let excess = over - change;
    if excess > sum_of(PaymentMethod::Voucher) {
        return Err(Error::ChangeWithoutCash { change: over });
    }
    Ok(Settle { change, excess })
}

/// What the books count a tender under: its method and brand (`""` for none).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderKey {
    /// How.
    pub method: PaymentMethod,
    /// The brand word, or `""`.
    pub brand: String,
}

impl TenderKey {
    /// Cash, which has no brand.
    pub fn cash() -> TenderKey {
        TenderKey { method: PaymentMethod::Cash, brand: String::new() }
    }
}

/// What each tender key kept once `change` went back: the tenders per key, with the change
/// taken out of cash (the domain refuses change that cash could not give, see [`change_due`]).
/// A voucher keeps its excess. Every key tendered is listed, in [`TenderKey`] order.
pub fn kept(tenders: &[Tender], change: Yen) -> BTreeMap<TenderKey, Yen> {
    let mut kept: BTreeMap<TenderKey, Yen> = BTreeMap::new();
    for tender in tenders {
        *kept.entry(tender.key()).or_default() += tender.amount;
    }
    if change != Yen::ZERO {
        *kept.entry(TenderKey::cash()).or_default() -= change;
    }
    kept
}

/// True for tenders nobody confirmed with the provider, which the shop must check against the
/// provider's statement (要照合).
pub fn to_reconcile(method: PaymentMethod) -> bool {
    matches!(method, PaymentMethod::QrStatic)
}

/// The shop's payment settings: kept by the server apart from the shop's settings (which every
/// sale copies and hashes) and sent to the registers in [`crate::sync::Changes`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSettings {
    /// Fee rates per method and brand, for the expected deposit (入金見込み).
    #[serde(default)]
    pub fees: Vec<FeeRate>,
    /// The QR provider configured on the server (`paypay`), if any: without one the register
    /// cannot take `qr` tenders.
    #[serde(default)]
    pub qr_provider: Option<String>,
    /// The methods the register offers, in report order.
    #[serde(default = "all_methods")]
    pub enabled: Vec<PaymentMethod>,
}

fn all_methods() -> Vec<PaymentMethod> {
    PaymentMethod::ALL.to_vec()
}

impl Default for PaymentSettings {
    /// No fees, no provider, every method offered.
    fn default() -> Self {
        PaymentSettings { fees: Vec::new(), qr_provider: None, enabled: all_methods() }
    }
}

/// The most fee rates a shop's settings hold.
pub const MAX_FEES: usize = 100;

impl PaymentSettings {
    /// Refuses settings the books cannot use, naming the field: more than [`MAX_FEES`] rates
    /// (`fees`), a rate above 100% (`fees[i].basis_points`), a brand the method does not have
    /// (`fees[i].brand`), a second rate for the same method and brand (`fees[i]`), or a QR
    /// provider other than `paypay` (`qr_provider`).
    pub fn check(&self) -> Result<()> {
        if self.fees.len() > MAX_FEES {
            return Err(Error::TooMany { field: Field::top("fees"), limit: MAX_FEES });
        }
        for (index, rate) in self.fees.iter().enumerate() {
            let field = |name: &str| Field::top(&format!("fees[{index}]{name}"));
            if rate.basis_points > 10_000 {
                return Err(Error::Invalid {
                    field: field(".basis_points"),
                    detail: "at most 10000 (100%)".to_owned(),
                });
            }
            if !rate.brand.is_empty() && !brands(rate.method).contains(&rate.brand.as_str()) {
                return Err(Error::UnknownValue {
                    field: field(".brand"),
                    value: rate.brand.clone(),
                    expected: brands_expected(rate.method),
                });
            }
            let same = |other: &FeeRate| other.method == rate.method && other.brand == rate.brand;
            if self.fees[..index].iter().any(same) {
                return Err(Error::Invalid {
                    field: field(""),
                    detail: "a second rate for the same method and brand".to_owned(),
                });
            }
        }
        match self.qr_provider.as_deref() {
            None | Some("paypay") => Ok(()),
            Some(other) => Err(Error::UnknownValue {
                field: Field::top("qr_provider"),
                value: other.to_owned(),
                expected: "paypay",
            }),
        }
    }
}

/// A fee rate the provider charges on what a method (and brand) took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeRate {
    /// The method.
    pub method: PaymentMethod,
    /// The brand word, or `""` for every brand of the method without a rate of its own.
    #[serde(default)]
    pub brand: String,
    /// Hundredths of a percent: 325 is 3.25%; at most 10000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub basis_points: u16,
}

/// The fee on `amount` taken under `key`: the rate of the exact method and brand, else the
/// method's rate for any brand, else none; rounded down to the yen. Applied to a period's total
/// (not per sale) as providers charge it.
pub fn fee(settings: &PaymentSettings, key: &TenderKey, amount: Yen) -> Yen {
    let rate =
        |brand: &str| settings.fees.iter().find(|f| f.method == key.method && f.brand == brand);
    let Some(rate) = rate(&key.brand).or_else(|| rate("")) else {
        return Yen::ZERO;
    };
    let fee =
        (i128::from(amount.get()) * i128::from(rate.basis_points.min(10_000))).div_euclid(10_000);
    // |fee| <= |amount| since the rate is capped at 100%, so it fits.
    Yen::new(i64::try_from(fee).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;
    use crate::testing::tender;

    fn cash(yen: i64) -> Tender {
        Tender::new(PaymentMethod::Cash, Yen::new(yen))
    }

    #[test]
    fn change_is_what_cash_tendered_beyond_the_total() {
        let change = |yen| Ok(Settle { change: Yen::new(yen), excess: Yen::ZERO });
        assert_eq!(change_due(Yen::new(980), &[cash(1000)]), change(20));
        assert_eq!(change_due(Yen::new(980), &[cash(500), cash(480)]), change(0));
        assert_eq!(
            change_due(Yen::new(980), &[cash(900)]),
            Err(Error::TenderShort { due: Yen::new(980), tendered: Yen::new(900) })
        );
        assert_eq!(change_due(Yen::ZERO, &[]), change(0));
        assert_eq!(
            change_due(Yen::new(100), &[cash(i64::MAX), cash(i64::MAX), cash(102)]),
            Err(Error::TooLarge { field: Field::top("tenders") })
        );
    }

    #[test]
    fn cash_keeps_what_it_took_less_the_change() {
        let kept = kept(&[cash(1000)], Yen::new(20));
        assert_eq!(kept.into_iter().collect::<Vec<_>>(), [(TenderKey::cash(), Yen::new(980))]);
    }

    #[test]
    fn methods_have_words() {
        assert_eq!(PaymentMethod::Cash.word(), "cash");
        assert_eq!(PaymentMethod::parse("cash", Field::top("method")), Ok(PaymentMethod::Cash));
        for method in PaymentMethod::ALL {
            assert_eq!(
                serde_json::to_value(method).ok(),
                Some(serde_json::json!(method.word())),
                "{method:?}"
            );
        }
        assert_eq!(PaymentMethod::EMoney.word(), "e_money");
        assert_eq!(PaymentMethod::QrStatic.word(), "qr_static");
    }

    fn refusal(tender: &Tender) -> (crate::api::ErrorCode, String) {
        let err = tender.check_shape(3).unwrap_err();
        (err.code(), err.field().to_string())
    }

    #[test]
    fn a_tender_s_fields_must_fit_its_method() {
        use crate::api::ErrorCode::{Invalid, UnknownValue};
        let at = |name: &str| format!("tenders[3].{name}");
        let card = tender(PaymentMethod::Card, "visa", 500);
        assert_eq!(card.check_shape(3), Ok(()));
        assert_eq!(tender(PaymentMethod::Qr, "paypay", 500).check_shape(3), Ok(()));
        assert_eq!(refusal(&Tender { brand: None, ..card.clone() }), (Invalid, at("brand")));
        assert_eq!(refusal(&tender(PaymentMethod::Card, "suica", 1)), (UnknownValue, at("brand")));
        assert_eq!(refusal(&tender(PaymentMethod::Cash, "visa", 1)), (Invalid, at("brand")));
        let qr = tender(PaymentMethod::Qr, "paypay", 500);
        assert_eq!(refusal(&Tender { id: None, ..qr }), (Invalid, at("id")));
        let static_qr = tender(PaymentMethod::QrStatic, "paypay", 500);
        let with_id = Tender { id: Some(Uuid::from_u128(1)), ..static_qr.clone() };
        assert_eq!(refusal(&with_id), (Invalid, at("id")));

        let last4 = |digits: &str| Tender { last4: Some(digits.to_owned()), ..card.clone() };
        assert_eq!(last4("1234").check_shape(3), Ok(()));
        // Never a card number, whatever else is typed.
        for wrong in ["4111111111111111", "123", "12a4", "１２３４", ""] {
            assert_eq!(refusal(&last4(wrong)), (Invalid, at("last4")), "{wrong}");
        }
        let approval = |text: &str| Tender { approval: Some(text.to_owned()), ..card.clone() };
        assert_eq!(approval("A1b2C3d4E5").check_shape(3), Ok(()));
        for wrong in ["", "A1b2C3d4E5F", "12-34", "承認"] {
            assert_eq!(refusal(&approval(wrong)), (Invalid, at("approval")), "{wrong}");
        }
        let on_qr = Tender { last4: Some("1234".into()), ..static_qr.clone() };
        assert_eq!(refusal(&on_qr), (Invalid, at("last4")));
        let on_cash = Tender { approval: Some("1".into()), ..cash(1) };
        assert_eq!(refusal(&on_cash), (Invalid, at("approval")));
    }

    #[test]
    fn every_brand_fits_its_method_and_cash_has_none() {
        assert!(brands(PaymentMethod::Cash).is_empty());
        for method in PaymentMethod::ALL.into_iter().skip(1) {
            assert_eq!(brands(method).join(", "), brands_expected(method), "{method:?}");
            for brand in brands(method) {
                assert_eq!(tender(method, brand, 1).check_shape(0), Ok(()), "{method:?} {brand}");
            }
        }
    }

    #[test]
    fn an_unknown_method_word_names_its_field() {
        let json = r#"{"tenders":[{"method":"cash","amount":1},{"method":"bitcoin","amount":2}]}"#;
        #[derive(Debug, Deserialize)]
        struct Body {
            #[allow(dead_code)] // Only read to see what fails.
            tenders: Vec<Tender>,
        }
        let mut reader = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Body>(&mut reader).unwrap_err();
        let field = Field::path(&err.path().to_string());
        assert_eq!(
            Error::from_json(err.into_inner(), field),
            Error::UnknownValue {
                field: Field::top("tenders[1].method"),
                value: "bitcoin".into(),
                expected: PaymentMethod::EXPECTED,
            }
        );
    }

    #[test]
    fn only_cash_gives_change_and_only_vouchers_leave_excess() {
        let due = Yen::new(880);
        let settle = |tenders: &[Tender]| change_due(due, tenders);
        let card = |yen| tender(PaymentMethod::Card, "visa", yen);
        let voucher = |yen| tender(PaymentMethod::Voucher, "gift", yen);
        let settled =
            |change, excess| Ok(Settle { change: Yen::new(change), excess: Yen::new(excess) });
        assert_eq!(settle(&[card(500), cash(1000)]), settled(620, 0));
        assert_eq!(settle(&[voucher(1000)]), settled(0, 120));
        assert_eq!(settle(&[card(500), voucher(500)]), settled(0, 120));
        // Cash gives the change even beside a voucher.
        assert_eq!(settle(&[voucher(500), cash(1000)]), settled(620, 0));
        let from_card = Err(Error::ChangeWithoutCash { change: Yen::new(120) });
        assert_eq!(settle(&[card(1000)]), from_card);
        let beyond_the_voucher = Err(Error::ChangeWithoutCash { change: Yen::new(620) });
        assert_eq!(settle(&[card(1000), voucher(500)]), beyond_the_voucher);
        assert_eq!(settle(&[tender(PaymentMethod::Qr, "paypay", 880)]), settled(0, 0));
    }

    #[test]
    fn books_count_by_method_then_brand_with_the_change_out_of_cash() {
        let tenders = [
            tender(PaymentMethod::Voucher, "gift", 500),
            tender(PaymentMethod::Card, "visa", 300),
            cash(1000),
            tender(PaymentMethod::Card, "jcb", 200),
            tender(PaymentMethod::Card, "visa", 100),
        ];
        let key = |method, brand: &str| TenderKey { method, brand: brand.to_owned() };
        let kept: Vec<(TenderKey, i64)> =
            kept(&tenders, Yen::new(120)).into_iter().map(|(k, v)| (k, v.get())).collect();
        assert_eq!(
            kept,
            [
                (TenderKey::cash(), 880),
                (key(PaymentMethod::Card, "jcb"), 200),
                (key(PaymentMethod::Card, "visa"), 400),
                (key(PaymentMethod::Voucher, "gift"), 500),
            ]
        );
        assert!(to_reconcile(PaymentMethod::QrStatic));
        assert!(PaymentMethod::ALL.iter().filter(|m| to_reconcile(**m)).count() == 1);
    }

    #[test]
    fn fees_are_the_brand_s_rate_else_the_method_s_rounded_down() {
        let settings = crate::testing::fees(&[
            (PaymentMethod::Card, "", 325),
            (PaymentMethod::Card, "amex", 360),
            (PaymentMethod::QrStatic, "paypay", 20_000),
        ]);
        let key = |method, brand: &str| TenderKey { method, brand: brand.to_owned() };
        let fee_of = |key: &TenderKey, yen| fee(&settings, key, Yen::new(yen)).get();
        // 3.25% of 9,999 is 324.9675.
        assert_eq!(fee_of(&key(PaymentMethod::Card, "visa"), 9_999), 324);
        assert_eq!(fee_of(&key(PaymentMethod::Card, "amex"), 10_000), 360);
        assert_eq!(fee_of(&key(PaymentMethod::Card, "visa"), -100), -4);
        assert_eq!(fee_of(&TenderKey::cash(), 10_000), 0);
        assert_eq!(fee_of(&key(PaymentMethod::QrStatic, "paypay"), 10_000), 10_000);
        let huge = crate::money::MAX_AMOUNT.get();
        assert_eq!(fee_of(&key(PaymentMethod::Card, "jcb"), huge), huge / 10_000 * 325);
    }

    #[test]
    fn settings_refuse_rates_the_books_cannot_use() {
        let field = |settings: PaymentSettings| settings.check().unwrap_err().field().to_string();
        let ok = crate::testing::fees(&[
            (PaymentMethod::Card, "", 324),
            (PaymentMethod::Card, "jcb", 10_000),
        ]);
        assert_eq!(ok.check(), Ok(()));
        let rates = |rates: &[(PaymentMethod, &str, u16)]| crate::testing::fees(rates);
        assert_eq!(field(rates(&[(PaymentMethod::Card, "", 10_001)])), "fees[0].basis_points");
        assert_eq!(field(rates(&[(PaymentMethod::Card, "suica", 1)])), "fees[0].brand");
        assert_eq!(field(rates(&[(PaymentMethod::Cash, "visa", 1)])), "fees[0].brand");
        let twice = [
            (PaymentMethod::Card, "", 1),
            (PaymentMethod::Qr, "", 1),
            (PaymentMethod::Card, "", 2),
        ];
        assert_eq!(field(rates(&twice)), "fees[2]");
        let many = vec![(PaymentMethod::Card, "", 1); MAX_FEES + 1];
        assert_eq!(field(rates(&many)), "fees");
        let provider = PaymentSettings { qr_provider: Some("linepay".into()), ..ok };
        assert_eq!(field(provider), "qr_provider");
    }

    #[test]
    fn settings_from_an_empty_object_offer_every_method() {
        let settings: PaymentSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(settings, PaymentSettings::default());
        assert_eq!(settings.enabled, PaymentMethod::ALL);
    }

    fn any_tender() -> impl proptest::strategy::Strategy<Value = Tender> {
        use proptest::prelude::*;
        (0..PaymentMethod::ALL.len(), 0i64..5_000).prop_map(|(m, yen)| {
            let method = PaymentMethod::ALL[m];
            tender(method, brands(method).first().copied().unwrap_or(""), yen)
        })
    }

    proptest::proptest! {
        #[test]
        fn change_and_excess_come_only_from_cash_and_vouchers(
            tenders in proptest::collection::vec(any_tender(), 0..6),
            due in 0i64..10_000,
        ) {
            let sum = |pick: &dyn Fn(&Tender) -> bool| -> Yen {
                tenders.iter().filter(|t| pick(t)).map(|t| t.amount).sum()
            };
            let tendered = sum(&|_| true);
            let cash = sum(&|t| t.method == PaymentMethod::Cash);
            let vouchers = sum(&|t| t.method == PaymentMethod::Voucher);
            let Ok(Settle { change, excess }) = change_due(Yen::new(due), &tenders) else {
                // Refused only when short or when more is over than cash and vouchers hold.
                proptest::prop_assert!(tendered.get() < due || tendered.get() - due > (cash + vouchers).get());
                return Ok(());
            };
            proptest::prop_assert_eq!(tendered, Yen::new(due) + change + excess);
            proptest::prop_assert!(change <= cash && excess <= vouchers);
            proptest::prop_assert!(!change.is_negative() && !excess.is_negative());
            let kept = kept(&tenders, change);
            proptest::prop_assert_eq!(kept.values().copied().sum::<Yen>() + change, tendered);
            proptest::prop_assert!(kept.values().all(|k| !k.is_negative()));
        }
    }
}
