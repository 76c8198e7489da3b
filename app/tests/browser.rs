//! The app in real headless Chromium (wasm-bindgen-test).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

use akinai_app::App;
use chrono::NaiveDate;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount() -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), || leptos::view! { <App db="akinai-test-shell" /> })
        .forget();
    root
}

fn button(root: &HtmlElement, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.get(i))
        .map(|node| node.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no button named {name}"))
}

#[wasm_bindgen_test]
async fn the_shell_speaks_japanese_then_english_at_a_tap() {
    let root = mount();
    let heading = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "商い");
    assert_eq!(button(&root, "日本語").get_attribute("aria-pressed").unwrap(), "true");

    button(&root, "English").click();
    leptos::task::tick().await;
    assert_eq!(heading.text_content().unwrap(), "Akinai");
    assert_eq!(button(&root, "English").get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").unwrap(), "en");
    root.remove();
}

#[wasm_bindgen_test]
fn the_browser_computes_the_same_receipt_as_the_server() {
    // The same contract example as `akinai quote`, computed by the same crate compiled to wasm.
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let receipt = akinai_core::quote::quote(
        r#"{"lines":[{"name":"おにぎり","unit_price":160,"qty":2,"tax_class":"food"},
                     {"name":"ビール","unit_price":250,"qty":1,"tax_class":"alcohol"}],"discount":10}"#,
        today,
    )
    .unwrap();
    let rates: Vec<_> =
        receipt.rates.iter().map(|r| (r.rate, r.gross.get(), r.tax.get())).collect();
    assert_eq!(rates, vec![(10, 246, 22), (8, 314, 23)]);
    assert_eq!(receipt.total.get(), 560);
}

#[wasm_bindgen_test]
fn the_keypad_lock_is_kept_on_the_device() {
    use akinai_app::pin_lock::PinLock;
    let lock = (0..6).fold(PinLock::default(), |lock, _| lock.missed(js_sys::Date::now()));
    assert!(lock.seconds_left(js_sys::Date::now()) > 0);
    lock.save();
    assert_eq!(PinLock::saved(), lock, "a reload reads the same lock");
    PinLock::default().save();
    assert_eq!(PinLock::saved(), PinLock::default());
}

#[wasm_bindgen_test]
fn a_pin_try_is_slow_on_purpose() {
    use akinai_core::staff::{Pin, Role, Staff};
    let pin = Pin::parse("482913").unwrap();
    let owner =
        Staff::new(uuid::Uuid::nil(), "店長", Role::Owner, &pin, b"sixteen-byte-slt").unwrap();
    let wrong = Pin::parse("000000").unwrap();
    let started = js_sys::Date::now();
    let tries = 5;
    for _ in 0..tries {
        assert!(!owner.accepts(&wrong));
    }
    let per_try = (js_sys::Date::now() - started) / f64::from(tries);
    leptos::logging::log!("one PIN try takes {per_try:.0} ms in this browser");
    // A single SHA-256 took microseconds: finding a 6-digit PIN then took under a second.
    assert!(per_try >= 10.0, "{per_try} ms a try");
}
