//! The JSON contract of `akinai quote` (documented in docs/quote.md): one cart in, its receipt
//! out. Fields with a default may be left out; unknown fields are refused so that a typo never
//! silently drops a discount.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::cart::{Cart, CartLine, Discount};
use crate::error::{Error, Field, Result};
use crate::money::Yen;
use crate::receipt::Receipt;
use crate::tax::{Named, RateTable, TaxClass};

/// The cart as it comes in: words and plain numbers, checked by [`QuoteRequest::into_cart`].
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    pricing: Option<String>,
    rounding: Option<String>,
    dining: Option<String>,
    date: Option<String>,
    lines: Vec<QuoteLine>,
    discount: Option<i64>,
}

/// One line as it comes in.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
struct QuoteLine {
    name: String,
    unit_price: i64,
    qty: i64,
    tax_class: String,
    discount: Option<i64>,
}

impl QuoteRequest {
    /// Reads a request from JSON, naming the field of any problem.
    pub fn from_json(json: &str) -> Result<Self> {
        let mut reader = serde_json::Deserializer::from_str(json);
        let request: QuoteRequest =
            serde_path_to_error::deserialize(&mut reader).map_err(|err| {
                let field = Field::path(&err.path().to_string());
                Error::from_json(err.into_inner(), field)
            })?;
        reader.end().map_err(|err| Error::from_json(err, Field::top("input")))?;
        Ok(request)
    }

    /// Checks every field and builds the cart; `today` (the Tokyo business day) is the date
    /// when the request gives none.
    pub fn into_cart(self, today: NaiveDate) -> Result<Cart> {
        let word = |value: Option<String>, name: &str| value.map(|v| (v, Field::top(name)));
        let date = match self.date {
            None => today,
            Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| Error::InvalidDate { field: Field::top("date"), value: text })?,
        };
        let lines = self
            .lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| {
                Ok(CartLine {
                    tax_class: TaxClass::parse(&line.tax_class, Field::line(index, "tax_class"))?,
                    unit_price: yen(line.unit_price, Field::line(index, "unit_price"))?,
                    qty: u32::try_from(line.qty).map_err(|_| {
                        let field = Field::line(index, "qty");
                        if line.qty < 0 {
                            Error::Negative { field }
                        } else {
                            Error::TooLarge { field }
                        }
                    })?,
                    discount: Discount::Yen(yen(
                        line.discount.unwrap_or(0),
                        Field::line(index, "discount"),
                    )?),
                    name: line.name,
                    item_id: None,
                    category: String::new(),
                    names: Default::default(),
                    kana: String::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Cart {
            date,
            pricing: parse_or_default(word(self.pricing, "pricing"))?,
            rounding: parse_or_default(word(self.rounding, "rounding"))?,
            dining: parse_or_default(word(self.dining, "dining"))?,
            lines,
            discount: Discount::Yen(yen(self.discount.unwrap_or(0), Field::top("discount"))?),
        })
    }
}

/// [`quote`] for raw bytes: text that is not UTF-8 is malformed input, at the first bad byte.
pub fn quote_bytes(input: &[u8], today: NaiveDate) -> Result<Receipt> {
    let text = std::str::from_utf8(input).map_err(|err| {
        let before = &input[..err.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Error::Malformed { line, column }
    })?;
    quote(text, today)
}

/// Reads a cart as JSON and computes its receipt with Japan's rates.
pub fn quote(json: &str, today: NaiveDate) -> Result<Receipt> {
    let cart = QuoteRequest::from_json(json)?.into_cart(today)?;
    Receipt::compute(&cart, &RateTable::japan())
}

fn parse_or_default<T: Named + Default>(word: Option<(String, Field)>) -> Result<T> {
    word.map_or(Ok(T::default()), |(value, field)| T::parse(&value, field))
}

fn yen(amount: i64, field: Field) -> Result<Yen> {
    if amount < 0 { Err(Error::Negative { field }) } else { Ok(Yen::new(amount)) }
}

// The contract is tested end to end through the CLI (server/tests/quote_cli.rs); these check
// the reading of input.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::{DiningMode, PricingMode, Rounding};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn field_of(json: &str) -> String {
        match quote(json, today()) {
            Ok(receipt) => panic!("expected an error, got {receipt:?}"),
            Err(err) => err.field().to_string(),
        }
    }

    #[test]
    fn defaults_fill_what_is_left_out() -> Result<()> {
        let cart = QuoteRequest::from_json(
            r#"{"lines":[{"name":"茶","unit_price":150,"qty":1,"tax_class":"food"}]}"#,
        )?
        .into_cart(today())?;
        assert_eq!(cart.date, today());
        assert_eq!(cart.pricing, PricingMode::TaxIncluded);
        assert_eq!(cart.rounding, Rounding::Floor);
        assert_eq!(cart.dining, DiningMode::TakeOut);
        assert_eq!(cart.discount, Discount::NONE);
        assert_eq!(cart.lines[0].discount, Discount::NONE);
        Ok(())
    }

    #[test]
    fn every_problem_names_its_field() {
        assert_eq!(
            field_of(
                r#"{"lines":[{"name":"a","unit_price":1,"qty":1,"tax_class":"food"},{"name":"b","unit_price":1,"qty":-1,"tax_class":"food"}]}"#
            ),
            "lines[1].qty"
        );
        assert_eq!(
            field_of(r#"{"lines":[{"name":"a","unit_price":-5,"qty":1,"tax_class":"food"}]}"#),
            "lines[0].unit_price"
        );
        assert_eq!(
            field_of(r#"{"lines":[{"name":"a","unit_price":5,"qty":1,"tax_class":"wine"}]}"#),
            "lines[0].tax_class"
        );
        assert_eq!(
            field_of(r#"{"lines":[{"name":"a","unit_price":5,"qty":1.5,"tax_class":"food"}]}"#),
            "lines[0].qty"
        );
        assert_eq!(
            field_of(
                r#"{"lines":[{"name":"a","unit_price":5,"qty":1,"tax_class":"food","discount":6}]}"#
            ),
            "lines[0].discount"
        );
        assert_eq!(
            field_of(
                r#"{"lines":[{"name":"a","unit_price":5,"qty":1,"tax_class":"food"}],"discount":6}"#
            ),
            "discount"
        );
        assert_eq!(field_of(r#"{"lines":[],"discount":-1}"#), "discount");
        assert_eq!(field_of(r#"{"lines":[],"pricing":"gross"}"#), "pricing");
        assert_eq!(field_of(r#"{"lines":[],"rounding":"bankers"}"#), "rounding");
        assert_eq!(field_of(r#"{"lines":[],"dining":"inside"}"#), "dining");
        assert_eq!(field_of(r#"{"lines":[],"date":"23/11/2026"}"#), "date");
        assert_eq!(field_of(r#"{"lines":[],"date":"1980-01-01"}"#), "date");
        assert_eq!(field_of(r#"{"lines":[],"disount":5}"#), "disount");
        assert_eq!(field_of(r#"{}"#), "input");
        assert_eq!(field_of(r#"{"lines":[}"#), "input");
        assert_eq!(field_of(r#"{"lines":[]} trailing"#), "input");
        assert_eq!(field_of(r#"{"lines":[{"name":"a","unit_price":5,"qty":1}]}"#), "lines[0]");
    }
}
