//! `akinai quote` as an integrator uses it: JSON on stdin, the receipt on stdout, and a one-line
//! error naming the field (with nothing on stdout) when the input is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn quote_with(input: &[u8], lang: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akinai"))
        .args(["quote", "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn quote(input: Value) -> Value {
    let run = quote_with(input.to_string().as_bytes(), "en");
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn refused(input: &str) -> String {
    let run = quote_with(input.as_bytes(), "en");
    assert_ne!(run.code, 0, "accepted {input}");
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "one line: {}", run.stderr);
    run.stderr.trim_end().to_owned()
}

fn line(name: &str, unit_price: i64, qty: i64, tax_class: &str) -> Value {
    json!({"name": name, "unit_price": unit_price, "qty": qty, "tax_class": tax_class})
}

/// (rate, gross, net, tax) per rate.
fn rates(receipt: &Value) -> Vec<(i64, i64, i64, i64)> {
    receipt["rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (n("rate"), n("gross"), n("net"), n("tax"))
        })
        .collect()
}

#[test]
fn the_documented_example() {
    let receipt = quote(json!({
        "pricing": "tax_included", "rounding": "floor", "dining": "take_out", "date": "2026-11-23",
        "lines": [{"name": "おにぎり", "unit_price": 160, "qty": 2, "tax_class": "food", "discount": 0}],
        "discount": 0
    }));
    assert_eq!(receipt["lines"][0]["name"], "おにぎり");
    assert_eq!(receipt["lines"][0]["qty"], 2);
    assert_eq!(receipt["lines"][0]["amount"], 320);
    assert_eq!(receipt["lines"][0]["rate"], 8);
    assert_eq!(receipt["lines"][0]["reduced"], true);
    assert_eq!(rates(&receipt), vec![(8, 320, 297, 23)]);
    assert_eq!((&receipt["exempt"], &receipt["discount"]), (&json!(0), &json!(0)));
    assert_eq!((&receipt["tax"], &receipt["total"]), (&json!(23), &json!(320)));
}

#[test]
fn left_out_fields_take_their_defaults() {
    let before = akinai_core::tokyo_date(chrono::Utc::now()).to_string();
    let receipt = quote(json!({"lines": [line("おにぎり", 160, 2, "food")]}));
    let after = akinai_core::tokyo_date(chrono::Utc::now()).to_string();
    assert!(receipt["date"] == before || receipt["date"] == after, "dated today in Tokyo");
    assert_eq!(receipt["pricing"], "tax_included");
    assert_eq!(receipt["rounding"], "floor");
    assert_eq!(receipt["dining"], "take_out");
    assert_eq!(rates(&receipt), vec![(8, 320, 297, 23)]);
}

#[test]
fn every_tax_class_gets_its_rate() {
    let lines = json!([
        line("標準", 1100, 1, "standard"),
        line("食品", 1080, 1, "food"),
        line("新聞", 108, 1, "reduced"),
        line("酒", 220, 1, "alcohol"),
        line("切手", 84, 1, "exempt"),
    ]);
    let take_out = quote(json!({"date": "2026-11-23", "lines": lines}));
    let got: Vec<(i64, bool)> = take_out["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["rate"].as_i64().unwrap(), l["reduced"].as_bool().unwrap()))
        .collect();
    assert_eq!(got, vec![(10, false), (8, true), (8, true), (10, false), (0, false)]);
    assert_eq!(rates(&take_out), vec![(10, 1320, 1200, 120), (8, 1188, 1100, 88)]);
    assert_eq!(take_out["exempt"], 84);
    assert_eq!(take_out["total"], 1320 + 1188 + 84);
    assert_eq!(take_out["tax"], 208);

    let eat_in = quote(json!({"date": "2026-11-23", "dining": "eat_in", "lines": lines}));
    assert_eq!(rates(&eat_in), vec![(10, 2400, 2182, 218), (8, 108, 100, 8)]);
}

#[test]
fn rates_come_ten_first_and_stay_when_discounted_to_nothing() {
    let mut free = line("おまけ", 300, 1, "standard");
    free["discount"] = json!(300);
    let receipt =
        quote(json!({"date": "2026-11-23", "lines": [line("パン", 200, 1, "food"), free]}));
    assert_eq!(rates(&receipt), vec![(10, 0, 0, 0), (8, 200, 186, 14)]);
    assert_eq!(receipt["lines"][1]["amount"], 0);
}

#[test]
fn tax_excluded_prices_add_tax_per_rate_with_each_rounding() {
    let cart = |rounding: &str| {
        json!({"date": "2026-11-23", "pricing": "tax_excluded", "rounding": rounding,
               "lines": [line("a", 101, 1, "food"), line("b", 105, 1, "standard")]})
    };
    // 8% of 101 = 8.08; 10% of 105 = 10.5.
    assert_eq!(rates(&quote(cart("floor"))), vec![(10, 115, 105, 10), (8, 109, 101, 8)]);
    assert_eq!(rates(&quote(cart("half_up"))), vec![(10, 116, 105, 11), (8, 109, 101, 8)]);
    assert_eq!(rates(&quote(cart("ceil"))), vec![(10, 116, 105, 11), (8, 110, 101, 9)]);
    assert_eq!(quote(cart("ceil"))["total"], 226);
}

#[test]
fn tax_included_tax_is_rounded_once_per_rate() {
    // Per line: floor(100 × 8/108) = 7, three times 21. Once for the rate: floor(22.2) = 22.
    let receipt = quote(json!({"date": "2026-11-23", "lines": [
        line("a", 100, 1, "food"), line("b", 100, 1, "food"), line("c", 100, 1, "food")
    ]}));
    assert_eq!(rates(&receipt), vec![(8, 300, 278, 22)]);
    let half_up = quote(
        json!({"date": "2026-11-23", "rounding": "half_up", "lines": [line("a", 1000, 1, "food")]}),
    );
    assert_eq!(rates(&half_up), vec![(8, 1000, 926, 74)]);
    let ceil = quote(
        json!({"date": "2026-11-23", "rounding": "ceil", "lines": [line("a", 1000, 1, "food")]}),
    );
    assert_eq!(rates(&ceil), vec![(8, 1000, 925, 75)]);
}

#[test]
fn line_and_receipt_discounts() {
    let mut bento = line("弁当", 600, 2, "food");
    bento["discount"] = json!(200);
    let receipt = quote(json!({"date": "2026-11-23", "discount": 100,
        "lines": [bento, line("皿", 500, 1, "standard"), line("切手", 100, 1, "exempt")]}));
    assert_eq!(receipt["lines"][0]["amount"], 1000);
    // Parts 1000 (8%), 500 (10%), 100 (exempt) of 1600: floor 62, 31, 6; the yen left to the 8% part.
    assert_eq!(rates(&receipt), vec![(10, 469, 427, 42), (8, 937, 868, 69)]);
    assert_eq!(receipt["exempt"], 94);
    assert_eq!(receipt["discount"], 100);
    assert_eq!(receipt["total"], 469 + 937 + 94);
}

#[test]
fn a_tie_gives_the_left_over_yen_to_the_ten_percent_part() {
    let receipt = quote(json!({"date": "2026-11-23", "discount": 1,
        "lines": [line("食", 500, 1, "food"), line("物", 500, 1, "standard")]}));
    assert_eq!(rates(&receipt), vec![(10, 499, 454, 45), (8, 500, 463, 37)]);
}

#[test]
fn the_date_selects_the_rates_in_force() {
    let on = |date: &str| quote(json!({"date": date, "lines": [line("食", 1080, 1, "food")]}));
    assert_eq!(rates(&on("2019-09-30")), vec![(8, 1080, 1000, 80)]);
    assert_eq!(on("2019-09-30")["lines"][0]["reduced"], false);
    assert_eq!(on("2019-10-01")["lines"][0]["reduced"], true);
    assert_eq!(rates(&on("2000-01-01")), vec![(5, 1080, 1029, 51)]);
}

#[test]
fn invalid_input_is_refused_naming_the_field() {
    let cases = [
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":1,"tax_class":"wine"}]}"#,
            "lines[0].tax_class: unknown value \"wine\"",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":-1,"tax_class":"food"}]}"#,
            "lines[0].qty: must not be negative",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":-1,"qty":1,"tax_class":"food"}]}"#,
            "lines[0].unit_price: must not be negative",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":1,"qty":1,"tax_class":"food","discount":-1}]}"#,
            "lines[0].discount: must not be negative",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":1,"qty":1,"tax_class":"food"}],"discount":-1}"#,
            "discount: must not be negative",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":1,"tax_class":"food","discount":101}]}"#,
            "lines[0].discount: discount ¥101 is more than the ¥100",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":1,"tax_class":"food"}],"discount":101}"#,
            "discount: discount ¥101 is more than the ¥100",
        ),
        (r#"{"lines":[],"pricing":"net"}"#, "pricing: unknown value \"net\""),
        (r#"{"lines":[],"rounding":"up"}"#, "rounding: unknown value \"up\""),
        (r#"{"lines":[],"dining":"inside"}"#, "dining: unknown value \"inside\""),
        (r#"{"lines":[],"date":"2026-13-01"}"#, "date: \"2026-13-01\" is not a date"),
        (
            r#"{"lines":[{"name":"a","unit_price":"100","qty":1,"tax_class":"food"}]}"#,
            "lines[0].unit_price: invalid input",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":1}]}"#,
            "lines[0]: invalid input (missing field `tax_class`)",
        ),
        (
            r#"{"lines":[{"name":"a","unit_price":100,"qty":1,"tax_class":"food"}"#,
            "input: malformed JSON",
        ),
        ("", "input: malformed JSON"),
    ];
    for (input, expected) in cases {
        let error = refused(input);
        assert!(error.starts_with(expected), "for {input}\n got: {error}\nwant: {expected}");
    }
}

#[test]
fn errors_speak_japanese_when_asked() {
    let run =
        quote_with(br#"{"lines":[{"name":"a","unit_price":1,"qty":-3,"tax_class":"food"}]}"#, "ja");
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim_end(), "lines[0].qty: マイナスにはできません");
    let bad_utf8 = quote_with(b"{\"lines\": [\xff]}", "en");
    assert!(
        bad_utf8.stderr.starts_with("input: malformed JSON at line 1 column 12"),
        "{}",
        bad_utf8.stderr
    );
}
