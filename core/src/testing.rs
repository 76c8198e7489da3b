//! Builders and generators shared by the domain's tests.

use proptest::prelude::*;

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::cart::{Cart, CartLine, Discount};
use crate::money::Yen;
use crate::payment::{PaymentMethod, Tender};
use crate::sale::{Sale, SaleContext};
use crate::tax::TaxClass;

/// A line of `qty` × `price` yen in `category`, without a discount.
pub fn line_in(category: &str, name: &str, price: i64, qty: u32, class: TaxClass) -> CartLine {
    CartLine {
        item_id: None,
        category: category.into(),
        name: name.into(),
        unit_price: Yen::new(price),
        qty,
        tax_class: class,
        discount: Discount::NONE,
        names: Default::default(),
        kana: String::new(),
    }
}

/// A line with no category.
pub fn line(name: &str, price: i64, qty: u32, class: TaxClass) -> CartLine {
    line_in("", name, price, qty, class)
}

/// Any tax class.
pub fn any_class() -> impl Strategy<Value = TaxClass> {
    prop_oneof![
        Just(TaxClass::Standard),
        Just(TaxClass::Food),
        Just(TaxClass::Reduced),
        Just(TaxClass::Alcohol),
        Just(TaxClass::Exempt),
    ]
}

/// Any line: a few categories, any class, and a discount anywhere from none to all of it.
pub fn any_line() -> impl Strategy<Value = CartLine> {
    let categories = prop_oneof![Just(""), Just("食品"), Just("飲料")];
    (categories, 0i64..200_000, 0u32..30, any_class(), 0.0f64..=1.0).prop_map(
        |(category, price, qty, class, off)| {
            // Only the generator uses a float, to pick a discount anywhere from none to all.
            let discount = (price as f64 * f64::from(qty) * off).floor() as i64;
            CartLine {
                discount: Discount::Yen(Yen::new(discount)),
                ..line_in(category, "item", price, qty, class)
            }
        },
    )
}

/// A tax-included shop that rounds down, as most are.
pub fn shop() -> crate::shop::ShopSettings {
    crate::shop::ShopSettings {
        name: "商い堂".into(),
        address: "東京都台東区浅草1-2-3".into(),
        phone: "03-1234-5678".into(),
        registration_number: crate::shop::RegistrationNumber::parse("T1234567890123")
            .unwrap_or_else(|err| panic!("{err}")),
        pricing: crate::tax::PricingMode::TaxIncluded,
        rounding: crate::tax::Rounding::Floor,
        receipt_footer: String::new(),
    }
}

/// The context of record `n`: one device, one shift, late on 2026-11-23 UTC.
pub fn ctx(n: u128) -> SaleContext {
    SaleContext {
        id: Uuid::from_u128(n),
        device_id: Uuid::from_u128(1000),
        // 2026-11-23 23:30 UTC is already the 24th in Tokyo.
        at: Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap(),
        staff: "山田".into(),
        shift_id: Uuid::from_u128(2000),
        shop: crate::testing::shop(),
        receipt: Default::default(),
    }
}

/// A tender of `yen` by `method` and `brand` (`""` for none); a QR tender gets a payment id.
pub fn tender(method: PaymentMethod, brand: &str, yen: i64) -> Tender {
    let brand = (!brand.is_empty()).then(|| brand.to_owned());
    let id = (method == PaymentMethod::Qr).then(|| Uuid::from_u128(7));
    Tender { brand, id, ..Tender::new(method, Yen::new(yen)) }
}

/// Payment settings with these fee rates (method, brand, basis points).
pub fn fees(rates: &[(PaymentMethod, &str, u16)]) -> crate::payment::PaymentSettings {
    let fees = rates
        .iter()
        .map(|(method, brand, basis_points)| crate::payment::FeeRate {
            method: *method,
            brand: (*brand).to_owned(),
            basis_points: *basis_points,
        })
        .collect();
    crate::payment::PaymentSettings { fees, ..Default::default() }
}

/// Cash of `amount` yen.
pub fn cash(amount: i64) -> Vec<Tender> {
    vec![Tender::new(PaymentMethod::Cash, Yen::new(amount))]
}

/// ¥880 of rice balls (8%) and beer (10%) with ¥100 off, paid with ¥1,000.
pub fn mixed_sale() -> Sale {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    cart.lines.push(line("おにぎり", 160, 3, TaxClass::Food));
    cart.lines.push(line("ビール", 250, 2, TaxClass::Alcohol));
    cart.discount = Discount::Yen(Yen::new(100));
    Sale::ring_up(ctx(1), cart, cash(1000)).unwrap()
}
