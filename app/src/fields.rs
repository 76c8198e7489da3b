//! Form helpers shared by the register's settings, the first run and the owner's view:
//! labelled inputs, the shop's fields, PIN entry, and reading a chosen file.

use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::staff::SALT_LEN;
use akinai_core::tax::{Named, PricingMode, Rounding};
use akinai_i18n::Lang;
use leptos::prelude::*;

use crate::error::{Error, Result};

/// A labelled input of type `kind` bound to `value`; `autocomplete` tells password managers and
/// phones what it holds.
pub(crate) fn input_field(
    lang: RwSignal<Lang>,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || lang.get().text(label)}</span>
            <input type=kind autocomplete=autocomplete prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// A labelled text input bound to `value`.
pub(crate) fn text_field(
    lang: RwSignal<Lang>,
    label: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    input_field(lang, label, "text", "on", value)
}

/// A labelled choice among a [`Named`] type's words, shown translated (`{prefix}-{word}`).
pub(crate) fn word_select<T: Named + Send + Sync>(
    lang: RwSignal<Lang>,
    label: &'static str,
    prefix: &'static str,
    value: RwSignal<T>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || lang.get().text(label)}</span>
            <select on:change=move |ev| {
                if let Ok(v) = T::parse(&event_target_value(&ev), akinai_core::Field::top(label)) { value.set(v); }
            }>
                {T::NAMES.iter().map(|(word, v)| {
                    let v = *v;
                    view! {
                        <option value=*word selected=move || value.get() == v>{move || lang.get().text(&format!("{prefix}-{word}"))}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The shop's settings as form fields: on the tablet's settings screen and in the owner's
/// store form.
#[derive(Clone, Copy)]
pub(crate) struct ShopFields {
    pub(crate) name: RwSignal<String>,
    pub(crate) address: RwSignal<String>,
    pub(crate) phone: RwSignal<String>,
    pub(crate) registration: RwSignal<String>,
    pub(crate) footer: RwSignal<String>,
    pub(crate) pricing: RwSignal<PricingMode>,
    pub(crate) rounding: RwSignal<Rounding>,
}

impl ShopFields {
    /// Fields filled from `shop`, or empty (with the usual pricing and rounding).
    pub(crate) fn new(shop: Option<&ShopSettings>) -> ShopFields {
        let fields = ShopFields {
            name: RwSignal::default(),
            address: RwSignal::default(),
            phone: RwSignal::default(),
            registration: RwSignal::default(),
            footer: RwSignal::default(),
            pricing: RwSignal::default(),
            rounding: RwSignal::default(),
        };
        if let Some(shop) = shop {
            fields.fill(shop);
        }
        fields
    }

    /// Shows `shop` in the fields.
    pub(crate) fn fill(&self, shop: &ShopSettings) {
        self.name.set(shop.name.clone());
        self.address.set(shop.address.clone());
        self.phone.set(shop.phone.clone());
        self.registration.set(shop.registration_number.to_string());
        self.footer.set(shop.receipt_footer.clone());
        self.pricing.set(shop.pricing);
        self.rounding.set(shop.rounding);
    }

    /// The settings entered, once the registration number is checked.
    pub(crate) fn settings(&self) -> Result<ShopSettings> {
        Ok(ShopSettings {
            name: self.name.get_untracked().trim().to_owned(),
            address: self.address.get_untracked(),
            phone: self.phone.get_untracked(),
            registration_number: RegistrationNumber::parse(&self.registration.get_untracked())?,
            pricing: self.pricing.get_untracked(),
            rounding: self.rounding.get_untracked(),
            receipt_footer: self.footer.get_untracked(),
        })
    }

    /// The labelled inputs of who the shop is: name, registration number, address, phone (all a
    /// first run asks).
    pub(crate) fn identity_view(self, lang: RwSignal<Lang>) -> impl IntoView {
        view! {
            {input_field(lang, "shop-name", "text", "organization", self.name)}
            {input_field(lang, "registration-number", "text", "off", self.registration)}
            {input_field(lang, "shop-address", "text", "street-address", self.address)}
            {input_field(lang, "shop-phone", "tel", "tel", self.phone)}
        }
    }

    /// Who issues the invoices, shown but not editable, and the phone as an input: on a paired
    /// register only the owner changes the name, registration number and address (the server
    /// refuses them from a device), so the receipts always name the store's issuer.
    pub(crate) fn issuer_summary(self, lang: RwSignal<Lang>) -> impl IntoView {
        let row = move |label: &'static str, value: RwSignal<String>| {
            view! { <dt>{move || lang.get().text(label)}</dt><dd>{move || value.get()}</dd> }
        };
        view! {
            <dl class="issuer">
                {row("shop-name", self.name)}
                {row("registration-number", self.registration)}
                {row("shop-address", self.address)}
            </dl>
            <p class="hint">{move || lang.get().text("settings-issuer-owner-only")}</p>
            {input_field(lang, "shop-phone", "tel", "tel", self.phone)}
        }
    }

    /// The labelled inputs of how the shop prices, rounds and signs off its receipts.
    pub(crate) fn rules_view(self, lang: RwSignal<Lang>) -> impl IntoView {
        view! {
            {word_select(lang, "pricing", "pricing", self.pricing)}
            {word_select(lang, "rounding", "rounding", self.rounding)}
            {text_field(lang, "receipt-footer", self.footer)}
        }
    }

    /// The labelled inputs.
    pub(crate) fn view(self, lang: RwSignal<Lang>) -> impl IntoView {
        view! {
            {self.identity_view(lang)}
            {self.rules_view(lang)}
        }
    }
}

/// A labelled PIN input bound to `value`: a number pad, never remembered by the browser.
pub(crate) fn pin_field(
    lang: RwSignal<Lang>,
    label: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || lang.get().text(label)}</span>
            <input type="password" inputmode="numeric" autocomplete="new-password"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// Random bytes from the browser's cryptographic generator, for the salt of a new PIN hash.
pub(crate) fn random_salt() -> Result<[u8; SALT_LEN]> {
    random_bytes()
}

/// `N` bytes from the browser's cryptographic generator (salts, e-receipt tokens).
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .ok_or(Error::NoDevice)?
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .map_err(|err| Error::Data(format!("{err:?}")))?;
    Ok(bytes)
}

/// The bytes of the file chosen in an `<input type=file>`.
pub(crate) async fn read_file(input: &web_sys::HtmlInputElement) -> Result<js_sys::Uint8Array> {
    let file = input.files().and_then(|files| files.get(0)).ok_or(Error::NoFile)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| Error::Data(format!("{e:?}")))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}
