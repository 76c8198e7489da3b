//! The cashier's shift: count the opening float, move cash in or out with a reason, see the X
//! report at any time, and close by counting the drawer by denomination for the Z report with
//! expected vs counted and the over/short. The reports show the takings of every tender (method
//! and brand) with the fee and expected deposit of the store's payment settings; the drawer
//! counts only cash.

use akinai_core::Yen;
use akinai_core::payment::PaymentSettings;
use akinai_core::shift::{CashMoveKind, Denomination, DrawerCount, ReportKind, Shift, ShiftReport};
use akinai_i18n::receipt::method_name;
use chrono::Utc;
use leptos::prelude::*;
use uuid::Uuid;

use crate::device::keys;
use crate::device::storage::stores;
use crate::state::{Screen, use_app};

/// The shift screen.
#[component]
pub fn ShiftScreen() -> impl IntoView {
    let app = use_app();
    let current = Memo::new(move |_| app.shifts.with(|s| s.last().cloned()));
    // The fee rates the reports estimate deposits with, as sync last brought them.
    let payments = LocalResource::new(move || async move {
        let stored = async { app.storage()?.get(stores::SETTINGS, keys::PAYMENTS).await };
        stored.await.unwrap_or_else(|err| {
            app.fail(err);
            None
        })
    });
    let payments = Signal::derive(move || payments.get().flatten().unwrap_or_default());
    view! {
        <section class="panel shift" aria-labelledby="shift-title">
            <h2 id="shift-title">{move || app.t("shift-title")}</h2>
            {move || match current.get() {
                Some(shift) if shift.is_open() => view! { <OpenShift shift payments /> }.into_any(),
                closed => view! {
                    {closed.map(|shift| {
                        let report = Signal::derive(move || {
                            payments.with(|p| app.sales.with(|sales| shift.report(sales, Utc::now(), p)))
                        });
                        view! { <Report report /> }
                    })}
                    <OpenForm />
                }.into_any(),
            }}
        </section>
    }
}

/// Counting notes and coins, for the float and the close.
#[component]
fn DrawerCounter(count: RwSignal<DrawerCount>, label: &'static str) -> impl IntoView {
    let app = use_app();
    view! {
        <fieldset class="drawer-count">
            <legend>{move || app.t(label)}</legend>
            {Denomination::ALL.into_iter().map(|d| view! {
                <label class="field denomination">
                    <span>{d.value().to_string()}</span>
                    <input type="number" min="0" inputmode="numeric"
                        prop:value=move || count.with(|c| c.count(d).to_string())
                        on:input=move |ev| {
                            let n = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                            count.update(|c| c.set(d, n));
                        } />
                </label>
            }).collect_view()}
            <p class="drawer-total" role="status">
                {move || format!("{} {}", app.t("drawer-total"), count.with(DrawerCount::total))}
            </p>
        </fieldset>
    }
}

/// Opening a shift with its float.
#[component]
fn OpenForm() -> impl IntoView {
    let app = use_app();
    let float = RwSignal::new(DrawerCount::new());
    let busy = RwSignal::new(false);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // One open shift per device: a double tap must not open two.
        if busy.get_untracked() || app.open_shift().is_some() {
            return;
        }
        let Some(device) = app.device.get_untracked() else { return };
        let shift = Shift::open(
            Uuid::now_v7(),
            device.id,
            Utc::now(),
            &app.user_name(),
            float.get_untracked(),
        );
        busy.set(true);
        app.spawn(async move {
            let saved = app.save_shift(shift).await;
            busy.set(false);
            saved?;
            app.screen.set(Screen::Register);
            Ok(())
        });
    };
    view! {
        <form class="open-shift no-print" on:submit=open>
            <DrawerCounter count=float label="opening-float" />
            <button type="submit" class="primary" disabled=move || busy.get()>{move || app.t("open-shift")}</button>
        </form>
    }
}

/// The open shift: X report, cash in / out, and closing.
#[component]
fn OpenShift(shift: Shift, payments: Signal<PaymentSettings>) -> impl IntoView {
    let app = use_app();
    let busy = RwSignal::new(false);
    // Each change starts from the shift as stored now, and waits for the last one to be written.
    let save = move |shift: Shift, then: Box<dyn FnOnce()>| {
        busy.set(true);
        app.spawn(async move {
            let saved = app.save_shift(shift).await;
            busy.set(false);
            saved?;
            then();
            Ok(())
        });
    };
    let closing = RwSignal::new(false);
    let counted = RwSignal::new(DrawerCount::new());
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let report = {
        let shift = shift.clone();
        Memo::new(move |_| {
            payments.with(|p| app.sales.with(|sales| shift.report(sales, Utc::now(), p)))
        })
    };
    let mv = move |kind: CashMoveKind| {
        let Some(mut updated) = app.open_shift().filter(|_| !busy.get_untracked()) else { return };
        let why = reason.get_untracked();
        let Some(yen) =
            Yen::parse_typed(&amount.get_untracked(), akinai_core::Field::top("amount"))
                .ok()
                .filter(|y| *y > Yen::ZERO && !why.trim().is_empty())
        else {
            return app.fail(crate::error::Error::Domain(akinai_core::Error::Invalid {
                field: akinai_core::Field::top("amount"),
                detail: app.t("cash-move-needs"),
            }));
        };
        if let Err(err) =
            updated.add_move(Uuid::now_v7(), Utc::now(), &app.user_name(), kind, yen, &why)
        {
            return app.fail(err);
        }
        save(
            updated,
            Box::new(move || {
                amount.set(String::new());
                reason.set(String::new());
            }),
        );
    };
    let close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut closed) = app.open_shift().filter(|_| !busy.get_untracked()) else { return };
        if let Err(err) = closed.close(Utc::now(), &app.user_name(), counted.get_untracked()) {
            return app.fail(err);
        }
        save(closed, Box::new(|| {}));
    };
    view! {
        <Report report=report />
        <form class="cash-move no-print" on:submit=|ev| ev.prevent_default()>
            <h3>{move || app.t("cash-move")}</h3>
            <label class="field">
                <span>{move || app.t("cash-move-amount")}</span>
                <input type="text" inputmode="numeric" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{move || app.t("cash-move-reason")}</span>
                <input type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            <button type="button" disabled=move || busy.get() on:click=move |_| mv(CashMoveKind::In)>{move || app.t("cash-in")}</button>
            <button type="button" disabled=move || busy.get() on:click=move |_| mv(CashMoveKind::Out)>{move || app.t("cash-out")}</button>
        </form>
        <Show when=move || closing.get() fallback=move || view! {
            <button type="button" class="primary no-print" on:click=move |_| closing.set(true)>{move || app.t("close-shift")}</button>
        }>
            <form class="close-shift no-print" on:submit=close>
                <DrawerCounter count=counted label="closing-count" />
                <button type="submit" class="primary" disabled=move || busy.get()>{move || app.t("close-shift-confirm")}</button>
            </form>
        </Show>
    }
}

/// An X or Z report.
#[component]
fn Report(#[prop(into)] report: Signal<ShiftReport>) -> impl IntoView {
    let app = use_app();
    let row = |label: String, value: String| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> };
    view! {
        {move || {
            let r = report.get();
            let lang = app.lang.get();
            let t = |id: &str| lang.text(id);
            let title = t(match r.kind { ReportKind::X => "x-report", ReportKind::Z => "z-report" });
            let label = title.clone();
            view! {
                <article class="report" aria-label=label>
                    <h3>{title}</h3>
                    <button type="button" class="no-print" on:click=move |_| crate::receipt::print()>{t("print")}</button>
                    <p>{format!("{} – {}", r.from.format("%Y-%m-%d %H:%M"), r.to.format("%H:%M"))}</p>
                    <table aria-label=t("report-by-rate")>
                        <thead><tr><th scope="col">{t("rate")}</th><th scope="col">{t("gross")}</th><th scope="col">{t("net")}</th><th scope="col">{t("tax")}</th></tr></thead>
                        <tbody>
                            {r.rates.iter().map(|line| view! {
                                <tr>
                                    <th scope="row">{format!("{}%{}", line.rate, if line.reduced { " ※" } else { "" })}</th>
                                    <td>{line.gross.to_string()}</td><td>{line.net.to_string()}</td><td>{line.tax.to_string()}</td>
                                </tr>
                            }).collect_view()}
                            <tr><th scope="row">{t("exempt")}</th><td>{r.exempt.to_string()}</td><td></td><td></td></tr>
                        </tbody>
                    </table>
                    <table aria-label=t("report-summary")>
                        <tbody>
                            {row(t("gross-sales"), r.gross_sales.to_string())}
                            {r.categories.iter().map(|c| row(
                                if c.category.is_empty() { t("no-category") } else { c.category.clone() },
                                format!("{} ({})", c.amount, c.qty),
                            )).collect_view()}
                            {row(t("refunds"), format!("{} ({})", r.refund_amount, r.refund_count))}
                            {row(t("line-discounts"), r.line_discounts.to_string())}
                            {row(t("receipt-discounts"), r.receipt_discounts.to_string())}
                            {row(t("receipts-issued"), r.receipts.to_string())}
                            {row(t("receipt-range"), match (r.first_receipt_no, r.last_receipt_no) {
                                (Some(a), Some(b)) => format!("{a:06} – {b:06}"),
                                _ => "—".into(),
                            })}
                        </tbody>
                    </table>
                    <table class="tenders" aria-label=t("tenders-by-method")>
                        <thead><tr>
                            <th scope="col">{t("tender-method")}</th><th scope="col">{t("tender-amount")}</th>
                            <th scope="col">{t("tender-fee")}</th><th scope="col">{t("tender-deposit")}</th>
                        </tr></thead>
                        <tbody>
                            {r.tenders.iter().map(|line| view! {
                                <tr>
                                    <th scope="row">
                                        {method_name(lang, line.method, &line.brand)}
                                        {line.to_reconcile.then(|| view! { <span class="reconcile">{t("to-reconcile")}</span> })}
                                    </th>
                                    <td>{line.amount.to_string()}</td><td>{line.fee.to_string()}</td><td>{line.deposit.to_string()}</td>
                                </tr>
                            }).collect_view()}
                            {(r.excess != Yen::ZERO).then(|| view! {
                                <tr><th scope="row">{t("tender-excess")}</th><td>{r.excess.to_string()}</td><td></td><td></td></tr>
                            })}
                        </tbody>
                    </table>
                    <p class="hint">{t("deposit-hint")}</p>
                    <table aria-label=t("report-drawer")>
                        <tbody>
                            {row(t("opening-float"), r.opening_float.to_string())}
                            {row(t("cash-sales"), r.cash_sales.to_string())}
                            {row(t("cash-refunds"), r.cash_refunds.to_string())}
                            {row(t("cash-in"), r.cash_in.to_string())}
                            {row(t("cash-out"), r.cash_out.to_string())}
                            {row(t("expected-cash"), r.expected_cash.to_string())}
                            {r.counted_cash.map(|c| row(t("counted-cash"), c.to_string()))}
                            {r.over_short.map(|o| row(t("over-short"), if o.get() > 0 { format!("+{o}") } else { o.to_string() }))}
                        </tbody>
                    </table>
                </article>
            }
        }}
    }
}
