//! Paying for the cart: tenders of every kind, listed, with what is left to pay shown large.
//! Cash typed last gives the change ([`cash`]); card, e-money, transit IC, the shop's printed QR
//! code and vouchers are tenders taken with their brand ([`cashless`]); a QR payment through
//! the provider's API shows its code and waits for the server ([`qr`]). The sale commits only
//! when nothing is left to pay and every QR payment is paid; until then the [`checkout`] is kept
//! on the device. The customer's receipt language is picked here too ([`language`]).

mod cash;
mod cashless;
pub(crate) mod checkout;
mod language;
mod qr;

use akinai_core::payment::{PaymentMethod, PaymentSettings, Tender};
use akinai_core::receipt::Receipt;
use akinai_core::sale::Sale;
use akinai_core::{Field, Yen};
use leptos::prelude::*;

use crate::device::keys;
use crate::device::storage::stores;
use crate::error::{Error, Result};
use crate::state::{AppState, use_app};
use checkout::Checkout;

pub(crate) use cashless::refusal as tender_refusal;

/// What the parts of the pay screen share. Copy: every field is a handle.
#[derive(Clone, Copy)]
pub(super) struct Pay {
    /// The sale being paid for.
    checkout: RwSignal<Checkout>,
    /// The kind of tender being taken.
    kind: RwSignal<PaymentMethod>,
    /// The cash typed (counts only while cash is the kind chosen).
    tendered: RwSignal<String>,
    /// The sale's total.
    total: Signal<Yen>,
    /// A refusal to tell the cashier, in their language.
    problem: RwSignal<Option<String>>,
    /// What became of the last QR payment (a message id).
    outcome: RwSignal<Option<&'static str>>,
    /// The store's payment settings as sync last brought them.
    settings: RwSignal<Option<PaymentSettings>>,
}

impl Pay {
    /// What is left to pay.
    fn remaining(&self) -> Yen {
        let total = self.total.get();
        self.checkout.with(|c| c.remaining(total))
    }

    /// The cash typed, while cash is the kind chosen.
    fn cash(&self) -> Option<Yen> {
        if self.kind.get() != PaymentMethod::Cash {
            return None;
        }
        Yen::parse_typed(&self.tendered.get(), Field::top("tendered")).ok()
    }

    /// Changes the checkout and keeps it on the device.
    async fn change(&self, app: AppState, edit: impl FnOnce(&mut Checkout)) -> Result<()> {
        self.checkout.try_update(edit);
        let Some(checkout) = self.checkout.try_get_untracked() else { return Ok(()) };
        checkout.keep(&*app.storage()?).await
    }

    /// Takes a tender (cash goes back to being the kind chosen, with what is left in its field).
    fn take(&self, app: AppState, tender: Tender) {
        let pay = *self;
        self.problem.set(None);
        self.outcome.set(None);
        app.spawn(async move {
            pay.change(app, |c| c.tenders.push(tender)).await?;
            pay.kind.try_set(PaymentMethod::Cash);
            pay.tendered.try_set(String::new());
            Ok(())
        });
    }

    /// Tells the cashier why `err` refused what they did, naming the field by its label.
    fn refuse(&self, app: AppState, err: akinai_core::Error) {
        self.problem.set(Some(cashless::refusal(app.lang.get_untracked(), &err)));
    }

    /// True when QR by API can be used now: the store has a provider and the server answers.
    fn qr_available(&self, app: AppState) -> bool {
        let provider = self.settings.with(|s| s.as_ref().is_some_and(|s| s.qr_provider.is_some()));
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        provider
            && online
            && app.link.with(Option::is_some)
            && app.sync.with(|s| s.offline_since.is_none())
    }

    /// True when `method` is offered (cash always is).
    fn offered(&self, method: PaymentMethod) -> bool {
        method == PaymentMethod::Cash
            || self.settings.with(|s| s.as_ref().is_none_or(|s| s.enabled.contains(&method)))
    }
}

/// A new e-receipt token when this register is paired (the server will show the receipt);
/// `None` on a register on its own, or if the browser gives no random bytes (no QR, the sale
/// goes on).
fn receipt_token(app: AppState) -> Option<String> {
    let link = app.link.with_untracked(|l| l.as_ref().map(|l| l.token.clone()))?;
    let device = app.device.with_untracked(|d| d.as_ref().map(|d| d.id))?;
    checkout::mint_token(device, &link)
        .inspect_err(|err| leptos::logging::warn!("no e-receipt token: {err}"))
        .ok()
}

/// The checkout the device kept, put back on the register (after a reload, or coming back
/// from another screen): its cart, and the pay screen.
pub(super) async fn restore(app: AppState, paying: RwSignal<bool>) -> Result<()> {
    if let Some(checkout) = Checkout::load(&*app.storage()?).await? {
        app.cart.set(checkout.cart);
        paying.set(true);
    }
    Ok(())
}

/// The pay screen.
#[component]
pub(super) fn PayPanel(
    receipt: Memo<akinai_core::Result<Receipt>>,
    paying: RwSignal<bool>,
) -> impl IntoView {
    let app = use_app();
    let total =
        Signal::derive(move || receipt.with(|r| r.as_ref().map(|r| r.total).unwrap_or_default()));
    let pay = Pay {
        checkout: RwSignal::new(Checkout::new(app.cart.get_untracked(), receipt_token(app))),
        kind: RwSignal::new(PaymentMethod::Cash),
        tendered: RwSignal::new(String::new()),
        total,
        problem: RwSignal::new(None),
        outcome: RwSignal::new(None),
        settings: RwSignal::new(None),
    };
    app.spawn(async move {
        let db = app.storage()?;
        pay.settings.try_set(db.get(stores::SETTINGS, keys::PAYMENTS).await?);
        if let Some(kept) = Checkout::load(&db).await? {
            pay.checkout.try_set(kept);
            qr::resume(pay, app);
        }
        Ok(())
    });
    let busy = RwSignal::new(false);
    let settle = move || pay.checkout.with(|c| c.settle(total.get(), pay.cash()));
    let can_complete =
        move || settle().is_some() && pay.checkout.with(Checkout::qr_settled) && !busy.get();
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !can_complete() {
            return;
        }
        let Some(mut ctx) = app.sale_context() else {
            return app.fail(Error::NoShift);
        };
        let checkout = pay.checkout.get_untracked();
        // The id the server's payments already name.
        ctx.id = checkout.sale_id;
        ctx.receipt = checkout.receipt_choice();
        match Sale::ring_up(ctx, app.cart.get_untracked(), checkout.with_cash(pay.cash())) {
            Err(err) => pay.refuse(app, err),
            Ok(sale) => {
                busy.set(true);
                app.spawn(async move {
                    let result = app.commit(sale).await;
                    busy.try_set(false);
                    result?;
                    Checkout::forget(&*app.storage()?).await?;
                    app.cart.set(app.fresh_cart());
                    paying.try_set(false);
                    Ok(())
                });
            }
        }
    };
    // Back to the cart: the tenders taken are given up, QR payments called off.
    let back = move |_| {
        let checkout = pay.checkout.get_untracked();
        app.spawn(async move {
            qr::call_off_all(app, &checkout).await?;
            paying.try_set(false);
            Ok(())
        });
    };
    let waiting = Memo::new(move |_| pay.checkout.with(|c| c.waiting().is_some()));
    view! {
        <div class="pay-panel">
            <div class="pay-figures">
                <p class="due">
                    <span>{move || app.t("due")}</span>
                    <strong aria-label=move || app.t("due")>{move || total.get().to_string()}</strong>
                </p>
                <p class="remaining">
                    <span>{move || app.t("pay-remaining")}</span>
                    <strong aria-label=move || app.t("pay-remaining")>{move || pay.remaining().to_string()}</strong>
                </p>
            </div>
            <language::ReceiptLanguage pay />
            <qr::QrWaiting pay />
            <Show when=move || !waiting.get()>
                <Kinds pay />
            </Show>
            <TenderList pay />
            {move || match pay.kind.get() {
                PaymentMethod::Cash => ().into_any(),
                PaymentMethod::Qr if !waiting.get() => view! { <qr::QrStart pay /> }.into_any(),
                PaymentMethod::Qr => ().into_any(),
                method => view! { <cashless::CashlessForm pay method /> }.into_any(),
            }}
            {move || pay.problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <form class="pay-complete" on:submit=complete>
                <Show when=move || pay.kind.get() == PaymentMethod::Cash>
                    <cash::CashForm pay />
                </Show>
                <cash::Change settle />
                <div class="pay-actions">
                    <button type="button" disabled=move || waiting.get() on:click=back>{move || app.t("back")}</button>
                    <button type="submit" class="primary" disabled=move || !can_complete()>
                        {move || app.t("complete-sale")}
                    </button>
                </div>
            </form>
        </div>
    }
}

/// A button per kind of tender; QR by API is greyed out, with the reason, when it cannot be used.
#[component]
fn Kinds(pay: Pay) -> impl IntoView {
    let app = use_app();
    let kind = move |method: PaymentMethod| {
        let label = format!("payment-{}", akinai_core::tax::Named::word(method));
        let unavailable = move || method == PaymentMethod::Qr && !pay.qr_available(app);
        view! {
            <button type="button" aria-pressed=move || (pay.kind.get() == method).to_string()
                disabled=unavailable
                on:click=move |_| { pay.problem.set(None); pay.kind.set(method); }>
                {move || app.t(&label)}
            </button>
        }
    };
    view! {
        <div class="pay-kinds" role="group" aria-label=move || app.t("pay-kinds")>
            {move || PaymentMethod::ALL.into_iter().filter(|m| pay.offered(*m)).map(kind).collect_view()}
        </div>
        <Show when=move || pay.offered(PaymentMethod::Qr) && !pay.qr_available(app)>
            <p class="pay-note">{move || app.t("pay-qr-unavailable")}</p>
        </Show>
    }
}

/// The tenders taken so far, each with a button that gives it up.
#[component]
fn TenderList(pay: Pay) -> impl IntoView {
    let app = use_app();
    let remove = move |index: usize| {
        pay.problem.set(None);
        let paid_by_qr = pay.checkout.with_untracked(|c| c.tenders.get(index).and_then(|t| t.id));
        match paid_by_qr {
            Some(id) => qr::call_off(pay, app, id),
            None => app.spawn(async move {
                pay.change(app, |c| {
                    c.remove(index);
                })
                .await
            }),
        }
    };
    let rows = move || {
        let lang = app.lang.get();
        pay.checkout.with(|c| {
            c.tenders
                .iter()
                .enumerate()
                .map(|(index, tender)| {
                    let waiting = c.qr.iter().any(|q| {
                        Some(q.id) == tender.id
                            && checkout::QrOutcome::of(q.state) == checkout::QrOutcome::Waiting
                    });
                    let name = akinai_i18n::receipt::tender_name(lang, tender);
                    let details = akinai_i18n::receipt::tender_details(lang, tender).join(" ");
                    // Numbered, not named: a kind's button keeps its name to itself.
                    let remove_label = format!("{} {}", lang.text("pay-remove"), index + 1);
                    view! {
                        <li>
                            <span class="tender-name">{name}</span>
                            <span class="tender-amount">{tender.amount.to_string()}</span>
                            <span class="tender-details">{details}</span>
                            {(!waiting).then(|| view! {
                                <button type="button" aria-label=remove_label on:click=move |_| remove(index)>"×"</button>
                            })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <ul class="tenders" aria-label=move || app.t("pay-tenders")>{rows}</ul>
    }
}
