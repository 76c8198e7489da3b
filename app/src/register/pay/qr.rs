//! A QR payment through the provider's API: the register makes the tender's id, keeps the
//! checkout on the device, asks the server for the code, shows it large with the amount and a
//! countdown, and waits (long polls) for the server to learn the outcome. A declined or expired
//! payment leaves the tenders and the cashier picks another way; "取り消して別の方法で" calls
//! the payment off, or queues the call-off while the server cannot be reached.

use akinai_core::Yen;
use akinai_core::api::{Payment, PaymentMode, PaymentStart, PaymentState};
use akinai_core::payment::{PaymentMethod, brands};
use chrono::Utc;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use uuid::Uuid;

use super::Pay;
use super::checkout::{Checkout, QrOutcome};
use crate::device::payments;
use crate::error::{Error, Result};
use crate::state::{AppState, use_app};

/// How long to wait before asking again when the server could not be reached.
const RETRY_MS: u32 = 2_000;

/// The paired tablet's token, if it is paired.
fn token(app: AppState) -> Option<String> {
    app.link.with_untracked(|l| l.as_ref().map(|l| l.token.clone()))
}

/// An answer that never reached the server, or a gateway that could not reach it: ask again.
fn try_again(err: &Error) -> bool {
    matches!(err, Error::Network(_) | Error::Refused { status: 502 | 504, code: None, .. })
}

/// Takes in what the server said of a payment: the checkout changes (kept on the device) and
/// the cashier is told the outcome.
async fn heard(pay: Pay, app: AppState, payment: Payment) -> Result<()> {
    let mut outcome = None;
    pay.change(app, |c| outcome = c.heard(&payment)).await?;
    let outcome = outcome.unwrap_or(QrOutcome::Cancelled);
    if let Some(message) = outcome.message() {
        pay.outcome.try_set(Some(message));
    }
    if let (QrOutcome::Declined, Some(code)) = (outcome, payment.error) {
        pay.problem.try_set(Some(app.lang.get_untracked().refusal(code, None)));
    }
    Ok(())
}

/// Follows the payment `id` until it is paid, declined, expired or gone from the checkout
/// (or the pay screen is). `post` first asks the server to start it: the same body again is
/// harmless, so a start whose answer was lost is simply sent again.
async fn follow(pay: Pay, app: AppState, id: Uuid, mut post: bool) -> Result<()> {
    loop {
        let Some(checkout) = pay.checkout.try_get_untracked() else { return Ok(()) };
        let Some(state) = checkout.qr.iter().find(|q| q.id == id).map(|q| q.state) else {
            return Ok(());
        };
        if QrOutcome::of(state) != QrOutcome::Waiting {
            return Ok(());
        }
        let Some(token) = token(app) else { return Ok(()) };
        let answer = if post {
            let amount =
                checkout.tenders.iter().find(|t| t.id == Some(id)).map_or(Yen::ZERO, |t| t.amount);
            let customer_code =
                checkout.qr.iter().find(|q| q.id == id).and_then(|q| q.customer_code.clone());
            let mode = match customer_code {
                Some(_) => PaymentMode::CustomerCode,
                None => PaymentMode::ShopQr,
            };
            let start = PaymentStart { id, sale_id: checkout.sale_id, amount, mode, customer_code };
            payments::start(&token, &start).await
        } else {
            payments::wait(&token, id, state).await
        };
        match answer {
            Ok(payment) => {
                post = false;
                heard(pay, app, payment).await?;
            }
            Err(err) if try_again(&err) => TimeoutFuture::new(RETRY_MS).await,
            Err(err) => {
                // A definite refusal (no provider, the provider said no): this tender is gone.
                pay.change(app, |c| c.drop_qr(id)).await?;
                pay.problem.try_set(Some(err.message(app.lang.get_untracked())));
                return Ok(());
            }
        }
    }
}

/// Starts a QR payment of `amount` (charging the code scanned from the customer's app, when
/// there is one): the checkout is kept on the device before the server is asked, so a reload
/// finds a payment the customer may make.
fn start(pay: Pay, app: AppState, amount: Yen, brand: &'static str, code: Option<String>) {
    pay.problem.set(None);
    pay.outcome.set(None);
    app.spawn(async move {
        let mut id = Uuid::nil();
        pay.change(app, |c| id = c.add_qr(amount, brand, code)).await?;
        follow(pay, app, id, true).await
    });
}

/// Follows again the QR payments of a checkout put back on the screen.
pub(super) fn resume(pay: Pay, app: AppState) {
    let waiting: Vec<(Uuid, bool)> = pay.checkout.with_untracked(|c| {
        c.qr.iter()
            .filter(|q| QrOutcome::of(q.state) == QrOutcome::Waiting)
            .map(|q| (q.id, q.state == PaymentState::Creating))
            .collect()
    });
    for (id, post) in waiting {
        app.spawn(follow(pay, app, id, post));
    }
}

/// Calls the payment `id` off and drops its tender. A payment the customer made meanwhile
/// stays, paid; while the server cannot be reached the call-off waits in the device's queue.
pub(super) fn call_off(pay: Pay, app: AppState, id: Uuid) {
    pay.problem.set(None);
    app.spawn(async move {
        let answer = match token(app) {
            Some(token) => payments::abandon(&token, id).await,
            None => Err(Error::Unpaired),
        };
        match answer {
            // Paid meanwhile: the payment stays, and the cashier is told.
            Ok(payment) if payment.state == PaymentState::Completed => {
                return heard(pay, app, payment).await;
            }
            Ok(_) => {}
            Err(err) if try_again(&err) => {
                payments::queue_cancel(&*app.storage()?, id).await?;
                app.sync_trigger.kick();
            }
            Err(err) => {
                pay.problem.try_set(Some(err.message(app.lang.get_untracked())));
            }
        }
        pay.change(app, |c| c.drop_qr(id)).await
    });
}

/// Gives a checkout up: its QR payments are called off (by the sync loop, which keeps trying
/// until the server answered), and the device forgets it.
pub(super) async fn call_off_all(app: AppState, checkout: &Checkout) -> Result<()> {
    let db = app.storage()?;
    for qr in &checkout.qr {
        payments::queue_cancel(&db, qr.id).await?;
    }
    Checkout::forget(&db).await?;
    if !checkout.qr.is_empty() {
        app.sync_trigger.kick();
    }
    Ok(())
}

/// The QR payment's brand and amount (what is left, unless typed), and the button that shows
/// the code (while no other code is shown).
#[component]
pub(super) fn QrStart(pay: Pay) -> impl IntoView {
    let app = use_app();
    let only = brands(PaymentMethod::Qr);
    let brand = RwSignal::new(only.first().copied());
    let (amount, amount_field) = super::cashless::amount_input(pay);
    // A USB scanner types the customer's code here and presses Enter; empty: the shop shows one.
    let customer_code = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = app.lang.get_untracked();
        let field = akinai_core::Field::top("amount");
        let typed = Yen::parse_typed(&amount.get_untracked(), field);
        let left = untrack(|| pay.remaining());
        match (typed, brand.get_untracked()) {
            (Ok(amount), Some(brand)) if amount.get() > 0 && amount <= left => {
                let code = customer_code.get_untracked().trim().to_owned();
                start(pay, app, amount, brand, Some(code).filter(|c| !c.is_empty()))
            }
            _ => pay.problem.set(Some(format!(
                "{}: {}",
                lang.text("pay-amount"),
                lang.text("pay-over-remaining")
            ))),
        }
    };
    view! {
        <form class="cashless" on:submit=submit>
            <super::cashless::Brands method=PaymentMethod::Qr brand />
            {amount_field}
            <label>
                {move || app.t("pay-customer-code")}
                <input type="text" inputmode="numeric" autocomplete="off" maxlength="64"
                    bind:value=customer_code />
            </label>
            <button type="submit" class="primary">{move || app.t("pay-add")}</button>
        </form>
    }
}

/// The code of the payment waiting, large, with its amount and the time left, and the way out;
/// then what became of it.
#[component]
pub(super) fn QrWaiting(pay: Pay) -> impl IntoView {
    let app = use_app();
    let now = RwSignal::new(Utc::now());
    // The countdown ticks once a second for as long as the pay screen is up.
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let waiting = move || {
        pay.checkout.with(|c| {
            let qr = c.waiting()?.clone();
            let amount = c.tenders.iter().find(|t| t.id == Some(qr.id))?.amount;
            Some((qr, amount))
        })
    };
    view! {
        {move || waiting().map(|(qr, amount)| {
            let id = qr.id;
            let shown = qr.shown.clone();
            let heard_at = qr.heard_at;
            let left = move || {
                let total = i64::from(shown.as_ref().map_or(0, |s| s.expires_in_s));
                (total - (now.get() - heard_at).num_seconds()).max(0)
            };
            let cancel = move |_| call_off(pay, app, id);
            let Some(shown) = qr.shown.clone() else {
                // The provider is still making the code.
                return view! {
                    <p class="qr-making" role="status">{move || app.t("pay-qr-making")}</p>
                    <button type="button" on:click=cancel>{move || app.t("pay-qr-cancel")}</button>
                }.into_any();
            };
            view! {
                <figure class="qr-pay" data-payload=shown.payload.clone()>
                    <div class="qr-code" role="img" aria-label=move || app.t("pay-qr-scan") inner_html=shown.svg.clone()></div>
                    <figcaption>
                        <strong class="qr-amount">{amount.to_string()}</strong>
                        <span>{move || app.t("pay-qr-scan")}</span>
                        <span role="timer" aria-label=move || app.t("pay-qr-time-left")>
                            {move || { let s = left(); format!("{}:{:02}", s / 60, s % 60) }}
                        </span>
                        <button type="button" on:click=cancel>{move || app.t("pay-qr-cancel")}</button>
                    </figcaption>
                </figure>
            }.into_any()
        })}
        {move || pay.outcome.get().map(|id| view! { <p class="qr-outcome" role="status">{move || app.t(id)}</p> })}
    }
}
