//! A store's payment settings: the fee rate of each tender kind and brand (the figures and the
//! shift reports estimate deposits from them), the methods its registers offer, the PayPay
//! connection (its secret goes to the server and is never shown back) and the QR payments that
//! were paid but whose sale has not arrived.

use akinai_core::api::{Payment, ProviderEnv, ProviderInfo, ProviderSetup};
use akinai_core::payment::{FeeRate, PaymentMethod, PaymentSettings, brands};
use akinai_core::tax::Named;
use gloo_net::http::Method;
use leptos::prelude::*;
use uuid::Uuid;

use super::{Page, use_owner};
use crate::error::Error;
use crate::fields::{input_field, text_field};
use crate::http::{self, Auth};
use akinai_i18n::receipt::method_name;

/// A fee rate typed as a percentage with at most two decimals (`3.24`), in basis points; `None`
/// when it is not one or is above 100%. Read digit by digit: money rates are never floats.
pub(crate) fn basis_points(text: &str) -> Option<u16> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let digits = |s: &str, max: usize| s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole, 3) || !digits(fraction, 2) {
        return None;
    }
    let hundredths = format!("{fraction:0<2}").parse::<u16>().ok()?;
    let points = whole.parse::<u16>().ok()?.checked_mul(100)?.checked_add(hundredths)?;
    (points <= 10_000).then_some(points)
}

/// Basis points as the percentage [`basis_points`] reads back.
pub(crate) fn percent_text(points: u16) -> String {
    match points % 100 {
        0 => (points / 100).to_string(),
        rest => format!("{}.{rest:02}", points / 100),
    }
}

/// One rate of the form: a method, a brand (`""`: the method's rate for any brand) and what is
/// typed (empty: no rate).
#[derive(Clone, Copy)]
struct RateField {
    method: PaymentMethod,
    brand: &'static str,
    typed: RwSignal<String>,
}

/// Every rate the form offers, filled from `settings`: each method but cash, for any brand and
/// for each of its brands.
fn rate_fields(settings: &PaymentSettings) -> Vec<RateField> {
    PaymentMethod::ALL
        .into_iter()
        .filter(|m| *m != PaymentMethod::Cash)
        .flat_map(|method| {
            std::iter::once("").chain(brands(method).iter().copied()).map(move |b| (method, b))
        })
        .map(|(method, brand)| {
            let set = settings.fees.iter().find(|f| f.method == method && f.brand == brand);
            RateField {
                method,
                brand,
                typed: RwSignal::new(set.map(|f| percent_text(f.basis_points)).unwrap_or_default()),
            }
        })
        .collect()
}

/// A store's payment settings page.
#[component]
pub fn PaymentsScreen(
    /// The store's id.
    store: Uuid,
) -> impl IntoView {
    let owner = use_owner();
    let path = format!("/stores/{store}/payment-settings");
    let settings = LocalResource::new(move || {
        let path = path.clone();
        async move { owner.fetch::<PaymentSettings>(&path).await }
    });
    view! {
        <section class="panel payments" aria-labelledby="payments-title">
            <button type="button" class="back" on:click=move |_| owner.go(Page::Store(store))>
                {owner.tr("owner-store")}
            </button>
            <h2 id="payments-title">{owner.tr("owner-payment-settings")}</h2>
            <Transition fallback=super::loading>
                {move || settings.get().flatten().map(|s| view! { <FeeForm store settings=s /> })}
            </Transition>
            <PayPaySetup store />
            <Unbound store />
        </section>
    }
}

/// The fee rates and the enabled methods.
#[component]
fn FeeForm(store: Uuid, settings: PaymentSettings) -> impl IntoView {
    let owner = use_owner();
    let rates = rate_fields(&settings);
    let enabled = RwSignal::new(settings.enabled.clone());
    let saved = RwSignal::new(false);
    let save = {
        let rates = rates.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            let mut fees = Vec::new();
            for rate in &rates {
                let typed = rate.typed.get_untracked();
                if typed.trim().is_empty() {
                    continue;
                }
                let Some(basis_points) = basis_points(&typed) else {
                    let tender = method_name(owner.lang.get_untracked(), rate.method, rate.brand);
                    return owner.fail(Error::Domain(akinai_core::Error::Invalid {
                        field: akinai_core::Field::top(&tender),
                        detail: owner.t("fee-not-a-rate"),
                    }));
                };
                fees.push(FeeRate {
                    method: rate.method,
                    brand: rate.brand.to_owned(),
                    basis_points,
                });
            }
            let body = PaymentSettings {
                fees,
                enabled: enabled.get_untracked(),
                qr_provider: settings.qr_provider.clone(),
            };
            owner.spawn(async move {
                let path = format!("/stores/{store}/payment-settings");
                let _: PaymentSettings =
                    http::call(Auth::Browser, Method::PUT, &path, &body).await?;
                saved.set(true);
                Ok(())
            });
        }
    };
    let toggle = move |method: PaymentMethod, on: bool| {
        enabled.update(|list| {
            list.retain(|m| *m != method);
            if on {
                list.push(method);
                list.sort();
            }
        });
    };
    view! {
        <form class="store-form fee-form" on:submit=save aria-labelledby="fee-title">
            <fieldset class="methods">
                <legend>{owner.tr("enabled-methods")}</legend>
                {PaymentMethod::ALL.into_iter().map(|method| {
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || enabled.with(|l| l.contains(&method))
                                on:change=move |ev| toggle(method, event_target_checked(&ev)) />
                            <span>{move || method_name(owner.lang.get(), method, "")}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <h3 id="fee-title">{owner.tr("fee-rates")}</h3>
            <p class="hint">{owner.tr("deposit-hint")}</p>
            <div class="fee-rates">
                {rates.into_iter().map(|rate| {
                    let name = move || match rate.brand {
                        "" => format!("{} ({})", owner.t(&format!("payment-{}", rate.method.word())), owner.t("fee-any-brand")),
                        brand => method_name(owner.lang.get(), rate.method, brand),
                    };
                    let label = move || owner.text("fee-rate-label", &[("tender", name())]);
                    // Under its method's row a brand needs only its own name on screen.
                    let shown = move || match rate.brand {
                        "" => name(),
                        brand => owner.t(&format!("brand-{brand}")),
                    };
                    view! {
                        <label class="field rate" class:any=rate.brand.is_empty()>
                            <span>{shown}</span>
                            <input type="text" inputmode="decimal" aria-label=label placeholder="0"
                                prop:value=move || rate.typed.get() on:input=move |ev| rate.typed.set(event_target_value(&ev)) />
                        </label>
                    }
                }).collect_view()}
            </div>
            <button type="submit" class="primary wide">{owner.tr("save")}</button>
            <Show when=move || saved.get()><p role="status">{owner.tr("saved")}</p></Show>
        </form>
    }
}

/// The environments a PayPay connection can use, as the API words them.
const ENVIRONMENTS: [ProviderEnv; 3] =
    [ProviderEnv::Production, ProviderEnv::Sandbox, ProviderEnv::StandIn];

/// An environment's word (`production`, `sandbox`, `stand_in`).
fn env_word(env: ProviderEnv) -> String {
    serde_json::to_value(env).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The PayPay connection: what is set (never the secret), a form to set it, and removal.
#[component]
fn PayPaySetup(store: Uuid) -> impl IntoView {
    let owner = use_owner();
    let path = format!("/stores/{store}/providers/paypay");
    let changed = RwSignal::new(0u32);
    let info = LocalResource::new({
        let path = path.clone();
        move || {
            changed.track();
            let path = path.clone();
            async move { http::get::<ProviderInfo>(Auth::Browser, &path).await.ok() }
        }
    });
    let (key, secret, merchant, base_url) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let environment = RwSignal::new(ProviderEnv::Sandbox);
    let save = {
        let path = path.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let merchant_id =
                Some(merchant.get_untracked().trim().to_owned()).filter(|m| !m.is_empty());
            let stand_in = environment.get_untracked() == ProviderEnv::StandIn;
            let setup = ProviderSetup {
                api_key: key.get_untracked().trim().to_owned(),
                api_secret: secret.get_untracked(),
                merchant_id,
                environment: environment.get_untracked(),
                base_url: Some(base_url.get_untracked().trim().to_owned())
                    .filter(|u| stand_in && !u.is_empty()),
            };
            let path = path.clone();
            owner.spawn(async move {
                let _: ProviderInfo = http::call(Auth::Browser, Method::PUT, &path, &setup).await?;
                // The secret leaves the page once sent.
                secret.set(String::new());
                changed.update(|n| *n += 1);
                Ok(())
            });
        }
    };
    let remove = move |_| {
        let path = path.clone();
        owner.spawn(async move {
            http::act(Auth::Browser, Method::DELETE, &path).await?;
            changed.update(|n| *n += 1);
            Ok(())
        });
    };
    let status = move || match info.get().flatten().filter(|i| i.configured) {
        Some(i) => owner.text(
            "paypay-configured",
            &[
                ("environment", owner.t(&format!("env-{}", env_word(i.environment)))),
                ("hint", i.api_key_hint),
            ],
        ),
        None => owner.t("paypay-not-configured"),
    };
    let configured = move || info.get().flatten().is_some_and(|i| i.configured);
    view! {
        <form class="store-form paypay" on:submit=save aria-labelledby="paypay-title">
            <h3 id="paypay-title">{owner.tr("paypay-setup")}</h3>
            <p role="status">{status}</p>
            {text_field(owner.lang, "paypay-api-key", key)}
            {input_field(owner.lang, "paypay-api-secret", "password", "off", secret)}
            <p class="hint">{owner.tr("paypay-secret-hint")}</p>
            {text_field(owner.lang, "paypay-merchant-id", merchant)}
            <label class="field">
                <span>{owner.tr("paypay-environment")}</span>
                <select on:change=move |ev| {
                    let word = event_target_value(&ev);
                    if let Some(env) = ENVIRONMENTS.into_iter().find(|e| env_word(*e) == word) { environment.set(env); }
                }>
                    {ENVIRONMENTS.into_iter().map(|env| view! {
                        <option value=env_word(env) selected=move || environment.get() == env>
                            {move || owner.t(&format!("env-{}", env_word(env)))}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || environment.get() == ProviderEnv::StandIn>
                {input_field(owner.lang, "paypay-base-url", "url", "off", base_url)}
            </Show>
            <button type="submit" class="primary wide">{owner.tr("paypay-save")}</button>
            <Show when=configured>
                <button type="button" class="danger wide" on:click=remove.clone()>{owner.tr("paypay-remove")}</button>
            </Show>
        </form>
    }
}

/// Payments completed with the provider whose sale the server has not received.
#[component]
fn Unbound(store: Uuid) -> impl IntoView {
    let owner = use_owner();
    let payments = LocalResource::new(move || {
        owner.live.track();
        async move {
            owner
                .fetch::<Vec<Payment>>(&format!("/stores/{store}/payments?unbound=true"))
                .await
                .unwrap_or_default()
        }
    });
    view! {
        <div class="store-form unbound" aria-labelledby="unbound-title">
            <h3 id="unbound-title">{owner.tr("unbound-payments")}</h3>
            <p class="hint">{owner.tr("unbound-hint")}</p>
            <Transition fallback=super::loading>
                {move || {
                    let list = payments.get().unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p>{owner.tr("unbound-none")}</p> }.into_any();
                    }
                    view! {
                        <ul class="mix">
                            {list.into_iter().map(|p| view! {
                                <li>
                                    <span>{move || method_name(owner.lang.get(), PaymentMethod::Qr, &p.brand)}</span>
                                    <span>{p.amount.to_string()}</span>
                                    <code>{p.id.to_string()}</code>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{basis_points, percent_text};

    #[wasm_bindgen_test]
    fn fee_rates_are_read_as_percentages_exactly() {
        assert_eq!(basis_points("3.24"), Some(324));
        assert_eq!(basis_points(" 2.5 "), Some(250));
        assert_eq!(basis_points("0"), Some(0));
        assert_eq!(basis_points("100"), Some(10_000));
        for bad in ["", ".5", "100.01", "3.245", "-1", "1e2", "3,24", "abc", "1000"] {
            assert_eq!(basis_points(bad), None, "{bad}");
        }
        for points in [0, 5, 50, 198, 250, 324, 10_000] {
            assert_eq!(basis_points(&percent_text(points)), Some(points));
        }
    }
}
