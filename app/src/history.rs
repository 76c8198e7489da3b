//! The device's sale history: today's running totals, a search by receipt number, date or
//! amount, reprints, 領収書, and refunds at the original rates, given back through the sale's tenders
//! (a QR payment's refund goes through the server and the provider before it is recorded).
//! Nothing is ever deleted. The screen starts with the sales in memory (today's and the last
//! shift's) and reads older ones from the device's database only when asked: a page per
//! business day, a receipt number or a date searched for, the refunds of a sale opened.

use std::collections::BTreeMap;

use akinai_core::api::{RefundStart, RefundState};
use akinai_core::money::parse_whole;
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::Sale;
use akinai_core::{Field, Yen};
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

use crate::device::payments;
use crate::error::{Error, Result};
use crate::state::{AppState, today, use_app};

/// True when `sale` matches what was typed: a receipt number, a date (YYYY-MM-DD) or an amount.
fn matches(sale: &Sale, query: &str) -> bool {
    let q = query.trim();
    if q.is_empty() {
        return true;
    }
    if sale.business_date.to_string() == q || sale.at.format("%Y-%m-%d").to_string() == q {
        return true;
    }
    let total = sale.receipt.total.get().abs();
    parse_whole(q.trim_start_matches("No.")).is_some_and(|n| sale.receipt_no == n as u64)
        || Yen::parse_typed(q, Field::top("search")).is_ok_and(|amount| amount.get() == total)
}

/// Adds `more` to `sales`, each sale once, kept by receipt number.
fn merge(sales: &mut Vec<Sale>, more: impl IntoIterator<Item = Sale>) {
    for sale in more {
        if !sales.iter().any(|s| s.id == sale.id) {
            sales.push(sale);
        }
    }
    sales.sort_by_key(|s| s.receipt_no);
}

/// The sales a search needs that are not in memory: the day it names, or the receipt it numbers.
async fn search(app: AppState, query: String) -> Result<Vec<Sale>> {
    let q = query.trim();
    if let Ok(day) = q.parse::<NaiveDate>() {
        return app.storage()?.sales_of_day(day).await;
    }
    match parse_whole(q.trim_start_matches("No.")).and_then(|n| u64::try_from(n).ok()) {
        Some(receipt_no) => {
            Ok(app.storage()?.sale_by_receipt_no(receipt_no).await?.into_iter().collect())
        }
        None => Ok(Vec::new()),
    }
}

/// The refunds recorded against `sale`, wherever they are stored: they come after it.
async fn stored_refunds(app: AppState, sale: &Sale) -> Result<Vec<Sale>> {
    let later = app.storage()?.sales_from(sale.business_date).await?;
    Ok(later.into_iter().filter(|s| s.is_refund_of(sale.id)).collect())
}

/// The history screen.
#[component]
pub fn History() -> impl IntoView {
    let app = use_app();
    let query = RwSignal::new(String::new());
    let chosen: RwSignal<Option<Uuid>> = RwSignal::new(None);
    // What this screen read from storage beyond the sales in memory.
    let read: RwSignal<Vec<Sale>> = RwSignal::new(Vec::new());
    let known = Memo::new(move |_| {
        let mut all = app.sales.get();
        read.with(|read| merge(&mut all, read.iter().cloned()));
        all
    });
    // The earliest business day listed; `None` once no earlier day has a sale.
    let oldest = RwSignal::new(Some(
        app.sales.with_untracked(|s| s.first().map(|s| s.business_date)).unwrap_or_else(today),
    ));
    let earlier_day = Callback::new(move |()| {
        let Some(day) = oldest.get_untracked() else { return };
        app.spawn(async move {
            let db = app.storage()?;
            let before = db.day_before(day).await?;
            if let Some(before) = before {
                let sales = db.sales_of_day(before).await?;
                read.update(|read| merge(read, sales));
            }
            oldest.set(before);
            Ok(())
        });
    });
    Effect::new(move |_| {
        let q = query.get();
        app.spawn(async move {
            let found = search(app, q).await?;
            read.update(|read| merge(read, found));
            Ok(())
        });
    });
    let open = Callback::new(move |sale: Sale| {
        app.spawn(async move {
            let refunds = stored_refunds(app, &sale).await?;
            read.update(|read| merge(read, refunds));
            chosen.set(Some(sale.id));
            Ok(())
        });
    });
    let found = Memo::new(move |_| {
        let q = query.get();
        known.with(|sales| {
            sales.iter().rev().filter(|s| matches(s, &q)).cloned().collect::<Vec<_>>()
        })
    });
    view! {
        <section class="panel history" aria-labelledby="history-title">
            <h2 id="history-title">{move || app.t("history-title")}</h2>
            <TodayTotals />
            <label class="field search">
                <span>{move || app.t("history-search")}</span>
                <input type="search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>
            <div class="history-body">
                <SaleList found chosen oldest open earlier_day />
                {move || chosen.get().and_then(|id| known.with(|s| s.iter().find(|s| s.id == id).cloned()))
                    .map(|sale| view! { <SaleDetail sale known /> })}
            </div>
        </section>
    }
}

/// Today's takings and receipts so far, as a status line.
#[component]
fn TodayTotals() -> impl IntoView {
    let app = use_app();
    let today_total = Memo::new(move |_| {
        let day = today();
        app.sales.with(|sales| {
            let of_today: Vec<&Sale> = sales.iter().filter(|s| s.business_date == day).collect();
            let total: Yen = of_today.iter().map(|s| s.receipt.total).sum();
            let count = of_today.iter().filter(|s| !s.is_refund()).count();
            (total, count)
        })
    });
    view! {
        <p class="running" role="status">
            {move || {
                let (total, count) = today_total.get();
                app.lang.get().text_with("today-totals", &[("total", total.to_string().into()), ("count", count.into())])
            }}
        </p>
    }
}

/// The sales found, newest first, each opening its detail, and a button for the business day
/// before the earliest listed.
#[component]
fn SaleList(
    /// The sales to list.
    found: Memo<Vec<Sale>>,
    /// The sale whose detail is open.
    chosen: RwSignal<Option<Uuid>>,
    /// The earliest business day listed; `None` once no earlier day has a sale.
    oldest: RwSignal<Option<NaiveDate>>,
    /// Opens a sale's detail.
    open: Callback<Sale>,
    /// Reads the business day before `oldest`.
    earlier_day: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    view! {
        <ul class="sale-list" aria-label=move || app.t("sales")>
            <For each=move || found.get() key=|s| s.id let:sale>
                {
                    let id = sale.id;
                    let label = format!(
                        "No. {:06} {} {}{}",
                        sale.receipt_no,
                        sale.at.format("%m/%d %H:%M"),
                        sale.receipt.total,
                        if sale.is_refund() { " ↩" } else { "" },
                    );
                    view! {
                        <li>
                            <button type="button" aria-pressed=move || (chosen.get() == Some(id)).to_string()
                                on:click=move |_| open.run(sale.clone())>{label}</button>
                        </li>
                    }
                }
            </For>
            <Show when=move || oldest.with(Option::is_some)>
                <li>
                    <button type="button" class="earlier" on:click=move |_| earlier_day.run(())>{move || app.t("history-earlier")}</button>
                </li>
            </Show>
        </ul>
    }
}

/// Gives the QR tenders of `refund` back through the provider, by way of the server, before
/// the refund is recorded: each must be accepted (the provider took the refund). Whatever else
/// the cashier is told in their language.
async fn refund_qr(
    app: AppState,
    original: &Sale,
    refund: &Sale,
) -> std::result::Result<(), String> {
    let lang = app.lang.get_untracked();
    let qr: Vec<&Tender> =
        refund.tenders.iter().filter(|t| t.method == PaymentMethod::Qr).collect();
    if qr.is_empty() {
        return Ok(());
    }
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    let token = app.link.with_untracked(|l| l.as_ref().map(|l| l.token.clone()));
    let Some(token) = token.filter(|_| online) else {
        return Err(lang.text("refund-qr-offline"));
    };
    for tender in qr {
        let paid = tender.refunds.and_then(|i| original.tenders.get(usize::from(i)));
        let (Some(payment_id), Some(refund_id)) = (paid.and_then(|t| t.id), tender.id) else {
            return Err(lang.text("refund-qr-unknown"));
        };
        let start = RefundStart { refund_id, amount: tender.amount.negated() };
        let mut answer = payments::refund(&token, payment_id, &start).await;
        // A refund the provider has not settled yet is asked after, for a little while.
        for _ in 0..REFUND_CHECKS {
            match &answer {
                Ok(r) if matches!(r.state, RefundState::Pending | RefundState::Unknown) => {
                    gloo_timers::future::TimeoutFuture::new(REFUND_CHECK_MS).await;
                    answer = payments::refund_status(&token, payment_id, refund_id).await;
                }
                _ => break,
            }
        }
        match answer {
            Ok(r) if r.state == RefundState::Accepted => {}
            Ok(r) if r.state == RefundState::Failed => {
                return Err(r.error.map_or_else(
                    || lang.text("refund-qr-unknown"),
                    |code| lang.refusal(code, None),
                ));
            }
            Ok(_) => return Err(lang.text("refund-qr-unknown")),
            Err(Error::Network(_)) => return Err(lang.text("refund-qr-offline")),
            Err(err) => return Err(err.message(lang)),
        }
    }
    Ok(())
}

/// What the cashier typed over a refund's default plan, per tender of the plan: its amount and
/// its approval number, each `None` while untouched.
type Edits = BTreeMap<usize, (Option<String>, Option<String>)>;

/// How many times a pending QR refund is asked after, and how far apart.
const REFUND_CHECKS: u32 = 10;
const REFUND_CHECK_MS: u32 = 2_000;

/// The refund tenders the cashier confirms: the default plan (`plan`, through the original's
/// tenders) with the amounts and approval numbers typed over it (`edits`: per tender of the
/// plan), and the refund ids of QR tenders (`qr_ids`, by the original's tender).
fn edited(
    plan: &[Tender],
    edits: &Edits,
    qr_ids: &mut BTreeMap<u16, Uuid>,
) -> akinai_core::Result<Vec<Tender>> {
    let mut tenders = plan.to_vec();
    for (index, tender) in tenders.iter_mut().enumerate() {
        let (amount, approval) = edits.get(&index).cloned().unwrap_or_default();
        if let Some(amount) = amount {
            let field = Field::top(&format!("tenders[{index}].amount"));
            tender.amount = Yen::parse_typed(&amount, field)?.negated();
        }
        if let Some(approval) = approval {
            tender.approval = Some(approval.trim().to_owned()).filter(|a| !a.is_empty());
        }
        if tender.method == PaymentMethod::Qr {
            let through = tender.refunds.unwrap_or_default();
            tender.id = Some(*qr_ids.entry(through).or_insert_with(Uuid::now_v7));
        }
    }
    Ok(tenders)
}

/// One past sale: its receipt, a reprint, and a refund of the lines picked, given back through
/// the sale's tenders (the default plan shown, each tender's amount and approval editable).
#[component]
fn SaleDetail(
    /// The sale shown.
    sale: Sale,
    /// The sales known on the history screen, the sale's stored refunds among them.
    known: Memo<Vec<Sale>>,
) -> impl IntoView {
    let app = use_app();
    let refunding = RwSignal::new(false);
    let left = known.with_untracked(|known| sale.refundable(known));
    let picks: RwSignal<Vec<u32>> = RwSignal::new(vec![0; left.len()]);
    let refundable = left.iter().any(|q| *q > 0);
    let reprint = {
        let sale = sale.clone();
        move |_| app.show_receipt(sale.clone())
    };
    let original = StoredValue::new(sale.clone());
    let busy = RwSignal::new(false);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    // What the cashier typed over the plan, per tender of the plan: amount, approval number.
    let edits: RwSignal<Edits> = RwSignal::new(BTreeMap::new());
    // A QR refund keeps its id while this sale is open: asking again is the same refund.
    let qr_ids: StoredValue<BTreeMap<u16, Uuid>> = StoredValue::new(BTreeMap::new());
    let chosen = move || -> Vec<(usize, u32)> {
        picks.get().into_iter().enumerate().filter(|(_, q)| *q > 0).collect()
    };
    // The default plan for the lines picked: through the original's tenders, in order.
    let plan = Memo::new(move |_| {
        let chosen = chosen();
        let ctx = app.sale_context()?;
        let refund =
            known.with(|known| original.with_value(|o| o.refund(ctx, &chosen, known, None)));
        refund.ok().map(|r| r.tenders)
    });
    let refund_of = move |chosen: Vec<(usize, u32)>, edits: Edits| {
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        let Some(ctx) = app.sale_context() else {
            return app.fail(crate::error::Error::NoShift);
        };
        // The refunds as stored now, not as they were when this screen opened.
        let original = original.get_value();
        let refund = known.with_untracked(|known| {
            let default = original.refund(ctx.clone(), &chosen, known, None)?;
            let tenders = qr_ids
                .try_update_value(|ids| edited(&default.tenders, &edits, ids))
                .unwrap_or(Ok(default.tenders))?;
            original.refund(ctx, &chosen, known, Some(tenders))
        });
        match refund {
            Err(err) => {
                problem.set(Some(crate::register::tender_refusal(app.lang.get_untracked(), &err)))
            }
            Ok(refund) => {
                busy.set(true);
                app.spawn(async move {
                    let given = refund_qr(app, &original, &refund).await;
                    let stored = match given {
                        Ok(()) => app.commit(refund).await.map(drop),
                        Err(message) => {
                            problem.try_set(Some(message));
                            Ok(())
                        }
                    };
                    busy.try_set(false);
                    stored
                });
            }
        }
    };
    let refund_picked = move |_| refund_of(chosen(), edits.get_untracked());
    let left_all = left.clone();
    let void = move |_| {
        refund_of(
            left_all.iter().copied().enumerate().filter(|(_, q)| *q > 0).collect(),
            BTreeMap::new(),
        );
    };
    let lines = sale.cart.lines.clone();
    view! {
        <div class="sale-detail">
            <crate::receipt::ReceiptView sale=sale.clone() paper_mm=app.paper_mm() />
            <div class="actions">
                <button type="button" on:click=reprint>{move || app.t("reprint")}</button>
                <crate::formal::FormalButton sale=sale.clone() />
                {refundable.then(|| view! {
                    <button type="button" on:click=move |_| refunding.set(true)>{move || app.t("refund")}</button>
                    <button type="button" disabled=move || busy.get() on:click=void.clone()>{move || app.t("void")}</button>
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <Show when=move || refunding.get()>
                <fieldset class="refund-picks">
                    <legend>{move || app.t("refund-pick")}</legend>
                    {lines.iter().enumerate().map(|(i, line)| {
                        let max = left[i];
                        let name = line.name.clone();
                        view! {
                            <label class="field">
                                <span>{format!("{} ({} {})", name, app.t("refund-left"), max)}</span>
                                <input type="number" min="0" max=max.to_string() inputmode="numeric"
                                    prop:value=move || picks.with(|p| p[i].to_string())
                                    on:input=move |ev| {
                                        let n = event_target_value(&ev).parse::<u32>().unwrap_or(0).min(max);
                                        picks.update(|p| p[i] = n);
                                        edits.set(BTreeMap::new());
                                    } />
                            </label>
                        }
                    }).collect_view()}
                    <RefundTenders plan edits />
                    <button type="button" class="primary" disabled=move || busy.get() || picks.with(|p| p.iter().all(|q| *q == 0))
                        on:click=refund_picked>{move || app.t("refund-confirm")}</button>
                </fieldset>
            </Show>
        </div>
    }
}

/// The tenders a refund gives money back through: each one's amount, and for the card
/// terminal's methods the approval number of the terminal's refund.
#[component]
fn RefundTenders(
    /// The default plan for the lines picked.
    plan: Memo<Option<Vec<Tender>>>,
    /// What the cashier typed over it, per tender of the plan: amount, approval number.
    edits: RwSignal<Edits>,
) -> impl IntoView {
    let app = use_app();
    let rows = move || {
        let lang = app.lang.get();
        plan.get().unwrap_or_default().into_iter().enumerate().map(|(index, tender)| {
            let name = akinai_i18n::receipt::tender_name(lang, &tender);
            let amount = tender.amount.negated().get().to_string();
            let on_terminal = tender.method.on_terminal();
            view! {
                <li>
                    <label class="field">
                        <span>{format!("{name} {}", lang.text("pay-amount"))}</span>
                        <input type="text" inputmode="numeric" prop:value=amount
                            on:input=move |ev| edits.update(|e| e.entry(index).or_default().0 = Some(event_target_value(&ev))) />
                    </label>
                    {on_terminal.then(|| view! {
                        <label class="field">
                            <span>{format!("{name} {}", lang.text("pay-approval"))}</span>
                            <input type="text" autocomplete="off"
                                on:input=move |ev| edits.update(|e| e.entry(index).or_default().1 = Some(event_target_value(&ev))) />
                        </label>
                    })}
                </li>
            }
        }).collect_view()
    };
    view! {
        <Show when=move || plan.with(|p| p.as_ref().is_some_and(|p| p.iter().any(|t| t.method != PaymentMethod::Cash)))>
            <h4 class="refund-tenders-title">{move || app.t("refund-tenders")}</h4>
            <ul class="refund-tenders" aria-label=move || app.t("refund-tenders")>{rows}</ul>
        </Show>
    }
}
