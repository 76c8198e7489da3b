//! Figures for a range of business days, for all stores or one, compared with the same weekdays
//! a week earlier; and the drill-down from all stores to one store, to its receipts, to one
//! receipt. Each view reloads when a register syncs (a live event). The last figures of each
//! scope are kept in localStorage and shown, marked with their time, when the server cannot be
//! reached.

use akinai_core::Yen;
use akinai_core::api::{
    EReceiptInfo, Figures, HourFigure, PaymentFigure, RateFigure, SaleKindName, SaleSummary, Store,
    StoreFigure, TopItem,
};
use akinai_core::ledger::TaxBucket;
use akinai_core::payment::to_reconcile as to_reconcile_mark;
use akinai_core::sale::Sale;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Owner, Page, use_owner};
use crate::error::{Error, Result};
use crate::http::{self, Auth};
use akinai_i18n::receipt::method_name;

/// Figures as kept for offline use: what the server said, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Kept {
    at: DateTime<Utc>,
    figures: Figures,
}

/// The localStorage key of the last figures of a scope (all stores, or one).
fn kept_key(store: Option<Uuid>) -> String {
    match store {
        Some(id) => format!("akinai.owner.figures.{id}"),
        None => "akinai.owner.figures.all".to_owned(),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Keeps fresh figures for when the server cannot be reached.
fn keep(store: Option<Uuid>, figures: &Figures) {
    let kept = Kept { at: Utc::now(), figures: figures.clone() };
    if let (Some(storage), Ok(json)) = (local_storage(), http::to_json(&kept)) {
        // Keeping is a convenience for offline use; a full storage only loses that.
        let _ = storage.set_item(&kept_key(store), &json);
    }
}

/// The figures last kept for a scope.
fn kept(store: Option<Uuid>) -> Option<Kept> {
    let json = local_storage()?.get_item(&kept_key(store)).ok().flatten()?;
    http::from_json(&json).ok()
}

/// The query for a range and scope.
fn query(from: NaiveDate, to: NaiveDate, store: Option<Uuid>) -> String {
    let store = store.map(|id| format!("&store={id}")).unwrap_or_default();
    format!("from={from}&to={to}{store}")
}

/// Figures to show: fresh, or kept from `as_of` when the server could not be reached.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    figures: Figures,
    as_of: Option<DateTime<Utc>>,
}

/// Fetches figures, falling back to the kept ones when offline.
async fn load(owner: Owner, from: NaiveDate, to: NaiveDate, store: Option<Uuid>) -> Result<Shown> {
    match http::get::<Figures>(Auth::Browser, &format!("/figures?{}", query(from, to, store))).await
    {
        Ok(figures) => {
            keep(store, &figures);
            Ok(Shown { figures, as_of: None })
        }
        Err(Error::Network(detail)) => kept(store)
            .map(|k| Shown { figures: k.figures, as_of: Some(k.at) })
            .ok_or(Error::Network(detail)),
        Err(err) => {
            if super::lapsed(&err) {
                owner.fail(err.clone());
            }
            Err(err)
        }
    }
}

/// `part` as a whole percentage of `whole`, rounded toward zero; `None` without a whole. In
/// i128, so that no amount of yen overflows.
fn share(part: i64, whole: i64) -> Option<i64> {
    let share = (whole > 0).then(|| i128::from(part) * 100 / i128::from(whole))?;
    Some(i64::try_from(share).unwrap_or(if share < 0 { i64::MIN } else { i64::MAX }))
}

/// `part` as a whole percentage of `whole`, 0 to 100, for bar lengths (a refund draws none).
fn percent(part: Yen, whole: Yen) -> i64 {
    share(part.get().max(0), whole.get()).map_or(0, |p| p.min(100))
}

/// A date range as one line: one day, or first – last.
fn range_text(from: NaiveDate, to: NaiveDate) -> String {
    if from == to { from.to_string() } else { format!("{from} – {to}") }
}

/// A time in Tokyo, for "as of" and receipt lists.
fn tokyo_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&akinai_core::TOKYO).format("%Y-%m-%d %H:%M").to_string()
}

/// The range picker shared by figures and receipts.
#[component]
fn RangePicker() -> impl IntoView {
    let owner = use_owner();
    let date_input = move |label: &'static str, date: RwSignal<NaiveDate>| {
        view! {
            <label class="field">
                <span>{move || owner.t(label)}</span>
                <input type="date" prop:value=move || date.get().to_string() on:change=move |ev| {
                    if let Ok(day) = event_target_value(&ev).parse::<NaiveDate>() {
                        date.set(day);
                        // Keep the range the right way round whichever end moved.
                        if owner.from.get_untracked() > owner.to.get_untracked() {
                            let (from, to) = (owner.to.get_untracked(), owner.from.get_untracked());
                            owner.from.set(from);
                            owner.to.set(to);
                        }
                    }
                } />
            </label>
        }
    };
    let today = move |_| {
        let day = akinai_core::tokyo_date(Utc::now());
        owner.from.set(day);
        owner.to.set(day);
    };
    view! {
        <div class="range" role="group" aria-label=owner.tr("owner-range")>
            {date_input("owner-from", owner.from)}
            {date_input("owner-to", owner.to)}
            <button type="button" on:click=today>{owner.tr("owner-today")}</button>
        </div>
    }
}

/// Figures for all stores (`store` = None) or one.
#[component]
pub fn Figures(
    /// The store, or all of them.
    store: Option<Uuid>,
) -> impl IntoView {
    let owner = use_owner();
    let figures = LocalResource::new(move || {
        let (from, to) = (owner.from.get(), owner.to.get());
        owner.live.track();
        load(owner, from, to, store)
    });
    view! {
        <section class="panel figures" aria-labelledby="figures-title">
            {store.map(|_| view! {
                <button type="button" class="back" on:click=move |_| owner.go(Page::Figures(None))>
                    {owner.tr("owner-all-stores")}
                </button>
            })}
            <h2 id="figures-title">
                {move || match store {
                    None => owner.t("owner-all-stores"),
                    Some(id) => figures
                        .get()
                        .and_then(|r| r.ok())
                        .and_then(|s| s.figures.stores.into_iter().find(|s| s.id == id))
                        .map_or_else(|| owner.t("owner-store"), |s| s.name),
                }}
            </h2>
            <RangePicker />
            <Transition fallback=super::loading>
                {move || figures.get().map(|shown| match shown {
                    Ok(shown) => view! { <FiguresView shown store /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(owner.lang.get())}</p> }.into_any(),
                })}
            </Transition>
            <button type="button" class="wide" on:click=move |_| owner.go(Page::Receipts(store))>
                {owner.tr("owner-receipts")}
            </button>
        </section>
    }
}

/// A translated text with arguments, re-read when the language changes.
fn text_with(
    owner: Owner,
    id: &'static str,
    args: Vec<(&'static str, String)>,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || owner.text(id, &args)
}

/// The figures themselves.
#[component]
fn FiguresView(shown: Shown, store: Option<Uuid>) -> impl IntoView {
    let owner = use_owner();
    let Shown { figures: mut f, as_of } = shown;
    let as_of = as_of.map(|at| {
        let text = text_with(owner, "owner-as-of", vec![("time", tokyo_time(at))]);
        view! { <p class="as-of" role="status">{text}</p> }
    });
    let refunds = text_with(
        owner,
        "owner-refunds",
        vec![("count", f.refunds.count.to_string()), ("amount", f.refunds.amount.to_string())],
    );
    // All stores list each store; one store's figures do not.
    let stores = std::mem::take(&mut f.stores);
    let stores =
        (store.is_none() && !stores.is_empty()).then(|| view! { <ByStore stores=stores/> });
    let hours = std::mem::take(&mut f.hours);
    let rates = std::mem::take(&mut f.rates);
    let payments = std::mem::take(&mut f.payments);
    let to_reconcile = f.to_reconcile;
    let items = std::mem::take(&mut f.top_items);
    view! {
        {as_of}
        <Headline f=f/>
        {stores}
        <HourBars hours=hours/>
        <RateTable rates=rates/>
        <PaymentMix payments=payments to_reconcile=to_reconcile/>
        <TopItems items=items/>
        <h3>{owner.tr("refunds")}</h3>
        <p class="refunds">{refunds}</p>
    }
}

/// The range's totals, and against the same weekdays a week earlier: the difference, and as a
/// whole percentage.
#[component]
fn Headline(f: Figures) -> impl IntoView {
    let owner = use_owner();
    let diff = f.gross.get().saturating_sub(f.compare.gross.get());
    let change = share(diff, f.compare.gross.get());
    let sign = if diff >= 0 { "+" } else { "" };
    let pct = change.map(|p| format!(" ({sign}{p}%)")).unwrap_or_default();
    let amount =
        if diff >= 0 { format!("+{}", Yen::new(diff)) } else { Yen::new(diff).to_string() };
    let compare = text_with(
        owner,
        "owner-compare",
        vec![
            ("change", format!("{amount}{pct}")),
            ("range", range_text(f.compare.from, f.compare.to)),
            ("gross", f.compare.gross.to_string()),
            ("receipts", f.compare.receipts.to_string()),
        ],
    );
    view! {
        <p class="range-shown">{range_text(f.from, f.to)}</p>
        <dl class="headline">
            <div><dt>{owner.tr("owner-gross")}</dt><dd class="big">{f.gross.to_string()}</dd></div>
            <div><dt>{owner.tr("owner-receipts-count")}</dt><dd>{f.receipts.to_string()}</dd></div>
            <div><dt>{owner.tr("owner-average")}</dt><dd>{f.average.to_string()}</dd></div>
            <div><dt>{owner.tr("tax-total")}</dt><dd>{f.tax.to_string()}</dd></div>
        </dl>
        <p class="compare">{compare}</p>
    }
}

/// Each store's totals; a click drills down to the store.
#[component]
fn ByStore(stores: Vec<StoreFigure>) -> impl IntoView {
    let owner = use_owner();
    view! {
        <h3>{owner.tr("owner-by-store")}</h3>
        <ul class="store-list">
            {stores.into_iter().map(|s| {
                let id = s.id;
                let receipts = text_with(owner, "owner-receipts-n", vec![("count", s.receipts.to_string())]);
                view! {
                    <li><button type="button" class="row" on:click=move |_| owner.go(Page::Figures(Some(id)))>
                        <span>{s.name}</span>
                        <span>{s.gross.to_string()}</span>
                        <span>{receipts}</span>
                    </button></li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Sales per Tokyo hour as bars against the busiest hour.
#[component]
fn HourBars(hours: Vec<HourFigure>) -> impl IntoView {
    let owner = use_owner();
    let peak = hours.iter().map(|h| h.gross).max().unwrap_or(Yen::ZERO);
    let busiest =
        hours.iter().filter(|h| h.gross > Yen::ZERO).max_by_key(|h| h.gross).map(|h| h.hour);
    let chart_label = text_with(
        owner,
        "owner-hours-label",
        vec![("hour", busiest.map_or_else(|| "—".to_owned(), |h| h.to_string()))],
    );
    view! {
        <h3>{owner.tr("owner-hours")}</h3>
        <div class="bars" role="img" aria-label=chart_label>
            {hours.iter().map(|h| {
                let height = percent(h.gross, peak);
                view! {
                    <div class="bar-slot" title=format!("{}:00 {} ({})", h.hour, h.gross, h.receipts)>
                        <div class="bar" style=format!("height: {height}%")></div>
                        <span class="bar-hour">{(h.hour % 6 == 0).then(|| h.hour.to_string())}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Totals per tax rate, the non-taxable part last.
#[component]
fn RateTable(rates: Vec<RateFigure>) -> impl IntoView {
    let owner = use_owner();
    view! {
        <h3>{owner.tr("report-by-rate")}</h3>
        <table class="rates">
            <thead><tr>
                <th scope="col">{owner.tr("rate")}</th><th scope="col">{owner.tr("gross")}</th>
                <th scope="col">{owner.tr("net")}</th><th scope="col">{owner.tr("tax")}</th>
            </tr></thead>
            <tbody>
                {rates.iter().map(|r| {
                    let bucket = r.bucket;
                    let label = move || match bucket {
                        TaxBucket::Rate { percent, reduced } => {
                            format!("{percent}%{}", if reduced { " ※" } else { "" })
                        }
                        TaxBucket::Exempt => owner.t("exempt"),
                    };
                    view! {
                    <tr>
                        <td>{label}</td>
                        <td>{r.gross.to_string()}</td><td>{r.net.to_string()}</td><td>{r.tax.to_string()}</td>
                    </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What each tender (method and brand) kept, with its share of all, the fee its rate takes and
/// the deposit to expect; and what is still to reconcile (static QR).
#[component]
fn PaymentMix(payments: Vec<PaymentFigure>, to_reconcile: Yen) -> impl IntoView {
    let owner = use_owner();
    let paid: Yen = payments.iter().map(|p| p.amount).sum();
    let reconcile = (to_reconcile != Yen::ZERO).then(|| {
        let text =
            text_with(owner, "owner-to-reconcile", vec![("amount", to_reconcile.to_string())]);
        view! { <p class="to-reconcile">{text}</p> }
    });
    view! {
        <h3>{owner.tr("owner-payments")}</h3>
        <table class="tenders" aria-label=owner.tr("tenders-by-method")>
            <thead><tr>
                <th scope="col">{owner.tr("tender-method")}</th><th scope="col">{owner.tr("tender-amount")}</th>
                <th scope="col">{owner.tr("tender-fee")}</th><th scope="col">{owner.tr("tender-deposit")}</th>
            </tr></thead>
            <tbody>
                {payments.into_iter().map(|p| {
                    let share = percent(p.amount, paid);
                    let name = move || method_name(owner.lang.get(), p.method, &p.brand);
                    let mark = to_reconcile_mark(p.method).then(|| view! { <span class="reconcile">{owner.tr("to-reconcile")}</span> });
                    view! {
                        <tr>
                            <th scope="row">{name}{mark}<div class="share" style=format!("width: {share}%")></div></th>
                            <td>{format!("{} ({share}%)", p.amount)}</td>
                            <td>{p.fee.to_string()}</td>
                            <td>{p.deposit.to_string()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {reconcile}
        <p class="hint">{owner.tr("deposit-hint")}</p>
    }
}

/// The best sellers by amount.
#[component]
fn TopItems(items: Vec<TopItem>) -> impl IntoView {
    let owner = use_owner();
    view! {
        <h3>{owner.tr("owner-top-items")}</h3>
        <table class="top-items">
            <thead><tr>
                <th scope="col">{owner.tr("item-name")}</th><th scope="col">{owner.tr("qty")}</th><th scope="col">{owner.tr("owner-amount")}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|i| view! {
                    <tr><td>{i.name}</td><td>{i.qty.to_string()}</td><td>{i.amount.to_string()}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// How many receipts a page of the list shows.
const PAGE: usize = 50;

/// The receipts of the range, newest first, for all stores or one.
#[component]
pub fn Receipts(
    /// The store, or all of them.
    store: Option<Uuid>,
) -> impl IntoView {
    let owner = use_owner();
    let shown = RwSignal::new(PAGE);
    let sales = LocalResource::new(move || {
        let path = format!(
            "/sales?{}&limit={}&offset=0",
            query(owner.from.get(), owner.to.get(), store),
            shown.get()
        );
        owner.live.track();
        async move { owner.fetch::<Vec<SaleSummary>>(&path).await.unwrap_or_default() }
    });
    // Across all stores, each receipt says whose it is.
    let names = LocalResource::new(move || async move {
        match store {
            Some(_) => Vec::new(),
            None => owner.fetch::<Vec<Store>>("/stores").await.unwrap_or_default(),
        }
    });
    view! {
        <section class="panel receipts" aria-labelledby="receipts-title">
            <button type="button" class="back" on:click=move |_| owner.go(Page::Figures(store))>
                {owner.tr("owner-figures")}
            </button>
            <h2 id="receipts-title">{owner.tr("owner-receipts")}</h2>
            <RangePicker />
            <Transition fallback=super::loading>
                {move || sales.get().map(|rows| {
                    let names = names.get().unwrap_or_default();
                    let name_of = move |id: Uuid| {
                        names.iter().find(|s| s.id == id).map(|s| s.settings.name.clone())
                    };
                    let full = rows.len() >= shown.get_untracked();
                    let empty = rows.is_empty();
                    view! {
                        <Show when=move || empty><p>{owner.tr("owner-no-receipts")}</p></Show>
                        <ul class="sale-list">
                            {rows.iter().map(|row| {
                                let id = row.id;
                                let refund = row.kind == SaleKindName::Refund;
                                view! {
                                    <li><button type="button" class="row" on:click=move |_| owner.go(Page::Receipt(id))>
                                        <span>{format!("No. {:06}", row.receipt_no)}</span>
                                        {name_of(row.store_id).map(|name| view! { <span class="store">{name}</span> })}
                                        <span>{tokyo_time(row.at)}</span>
                                        <span>{refund.then(|| owner.t("receipt-refund"))}</span>
                                        <span>{row.staff.clone()}</span>
                                        <span>{row.total.to_string()}</span>
                                    </button></li>
                                }
                            }).collect_view()}
                        </ul>
                        <Show when=move || full>
                            <button type="button" class="wide" on:click=move |_| shown.update(|n| *n += PAGE)>
                                {owner.tr("owner-more")}
                            </button>
                        </Show>
                    }
                })}
            </Transition>
        </section>
    }
}

/// One receipt, as the register printed it.
#[component]
pub fn OneReceipt(
    /// The sale's id.
    id: Uuid,
) -> impl IntoView {
    let owner = use_owner();
    let sale =
        LocalResource::new(
            move || async move { owner.fetch::<Sale>(&format!("/sales/{id}")).await },
        );
    let back = move |_| {
        // Back to wherever the owner came from (the list), or to the figures on a fresh load.
        if window().history().and_then(|h| h.length()).unwrap_or(0) > 1 {
            let _ = window().history().and_then(|h| h.back());
        } else {
            owner.go(Page::Receipts(None));
        }
    };
    view! {
        <section class="panel one-receipt" aria-labelledby="one-receipt-title">
            <button type="button" class="back" on:click=back>{owner.tr("back")}</button>
            <h2 id="one-receipt-title">{owner.tr("receipt")}</h2>
            <Transition fallback=super::loading>
                {move || sale.get().flatten().map(|sale| view! { <crate::receipt::ReceiptView sale paper_mm=80 /> })}
            </Transition>
            <EReceiptLink id />
        </section>
    }
}

/// The sale's e-receipt link (what the receipt's QR code opens), live or revoked, and the
/// button that revokes it for good. Nothing for a sale without one (rung up on a tablet that was
/// not paired, or before e-receipts): the server answers 404.
#[component]
fn EReceiptLink(
    /// The sale's id.
    id: Uuid,
) -> impl IntoView {
    let owner = use_owner();
    let path = move || format!("/sales/{id}/e-receipt");
    let info = RwSignal::new(None::<EReceiptInfo>);
    let confirming = RwSignal::new(false);
    owner.spawn(async move {
        match http::get::<EReceiptInfo>(Auth::Browser, &path()).await {
            Ok(link) => info.set(Some(link)),
            Err(Error::Refused { status: 404, .. }) => {}
            Err(err) => return Err(err),
        }
        Ok(())
    });
    let revoke = move |_| {
        owner.spawn(async move {
            info.set(Some(http::delete(Auth::Browser, &path()).await?));
            confirming.set(false);
            Ok(())
        });
    };
    move || {
        info.get().map(|link| {
            let state = match link.revoked_at {
                None => view! {
                    <p>{owner.tr("owner-e-receipt-active")}</p>
                    <p class="e-receipt-url"><a href=link.url.clone() rel="noreferrer" target="_blank">{link.url.clone()}</a></p>
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>{owner.tr("owner-e-receipt-revoke")}</button>
                    }>
                        <div class="confirm" role="alertdialog" aria-labelledby="e-receipt-confirm">
                            <p id="e-receipt-confirm">{owner.tr("owner-e-receipt-revoke-confirm")}</p>
                            <button type="button" class="danger" on:click=revoke>{owner.tr("owner-e-receipt-revoke")}</button>
                            <button type="button" on:click=move |_| confirming.set(false)>{owner.tr("cancel")}</button>
                        </div>
                    </Show>
                }
                .into_any(),
                Some(at) => {
                    let text = text_with(owner, "owner-e-receipt-revoked", vec![("time", tokyo_time(at))]);
                    view! { <p class="revoked-note">{text}</p> }.into_any()
                }
            };
            view! {
                <div class="e-receipt" role="group" aria-label=owner.tr("owner-e-receipt")>
                    <h3>{owner.tr("owner-e-receipt")}</h3>
                    {state}
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use akinai_core::Yen;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{percent, share};

    #[wasm_bindgen_test]
    fn bars_are_whole_percentages_of_the_peak() {
        assert_eq!(percent(Yen::new(50), Yen::new(200)), 25);
        assert_eq!(percent(Yen::new(200), Yen::new(200)), 100);
        // A refund hour draws no bar; no sales at all draw none either.
        assert_eq!(percent(Yen::new(-300), Yen::new(200)), 0);
        assert_eq!(percent(Yen::new(0), Yen::new(0)), 0);
        assert_eq!(percent(Yen::new(i64::MAX), Yen::new(i64::MAX)), 100);
        // Against last week: up, down, and nothing to compare with.
        assert_eq!(share(1_500, 1_000), Some(150));
        assert_eq!(share(-250, 1_000), Some(-25));
        assert_eq!(share(100, 0), None);
    }
}
