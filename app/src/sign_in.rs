//! Sign-in with a staff PIN on a large keypad; the register locks itself after a while
//! without a touch.
//!
//! Checking a PIN against a member's hash takes about 100 ms (argon2id, slow on purpose), so the
//! keypad says it is checking and lets the browser paint between members. A member whose hash is
//! of an older format is re-hashed with the PIN just accepted.

use akinai_core::staff::{Pin, Staff};
use akinai_core::sync::Record;
use leptos::prelude::*;

use crate::fields::random_salt;
use crate::pin_lock::PinLock;
use crate::state::{AppState, Screen, use_app};

/// The member whose PIN `pin` is, if any, checked one by one with a pause between them for the
/// browser to paint and handle input.
async fn find(staff: Vec<Staff>, pin: Pin) -> Option<Staff> {
    for member in staff {
        gloo_timers::future::TimeoutFuture::new(0).await;
        if member.accepts(&pin) {
            return Some(member);
        }
    }
    None
}

/// Keeps `member`'s PIN in today's hash format, when theirs is older.
fn rehash(app: AppState, member: &Staff, pin: &Pin) {
    if !member.needs_rehash() {
        return;
    }
    let fresh = random_salt()
        .and_then(|salt| Ok(Staff::new(member.id, &member.name, member.role, pin, &salt)?));
    match fresh {
        Ok(fresh) => app.spawn(app.edit(vec![Record::Staff(Box::new(fresh))])),
        Err(err) => app.fail(err),
    }
}

/// Re-renders the keypad when its pause ends.
fn wake_after_pause(app: AppState) {
    let wait = app.pin_lock.with_untracked(|lock| lock.ms_left(js_sys::Date::now()));
    if wait > 0.0 {
        set_timeout(
            move || app.pin_lock.update(|_| {}),
            std::time::Duration::from_millis(wait as u64 + 50),
        );
    }
}

/// The PIN keypad.
#[component]
pub fn SignIn() -> impl IntoView {
    let app = use_app();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let checking = RwSignal::new(false);
    // The device keeps the lock: a reload does not lift it.
    app.pin_lock.set(PinLock::saved());
    wake_after_pause(app);
    let locked_for = move || app.pin_lock.get().seconds_left(js_sys::Date::now());
    let missed = move || {
        wrong.set(true);
        let lock = app.pin_lock.get_untracked().missed(js_sys::Date::now());
        lock.save();
        app.pin_lock.set(lock);
        wake_after_pause(app);
    };
    let try_pin = move || {
        if locked_for() > 0 || checking.get_untracked() {
            return;
        }
        let entered = pin.get_untracked();
        pin.set(String::new());
        let Ok(entered) = Pin::parse(&entered) else { return missed() };
        checking.set(true);
        leptos::task::spawn_local(async move {
            let found = find(app.staff.get_untracked(), entered.clone()).await;
            checking.set(false);
            let Some(staff) = found else { return missed() };
            wrong.set(false);
            PinLock::default().save();
            app.pin_lock.set(PinLock::default());
            rehash(app, &staff, &entered);
            app.user.set(Some(staff));
            app.screen.set(if app.open_shift().is_some() {
                Screen::Register
            } else {
                Screen::Shift
            });
        });
    };
    let press = move |digit: char| {
        wrong.set(false);
        pin.update(|p| {
            if p.len() < 6 {
                p.push(digit);
            }
        });
    };
    let digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    view! {
        <section class="panel sign-in" aria-labelledby="sign-in-title">
            <h2 id="sign-in-title">{move || app.t("sign-in-title")}</h2>
            <p class="shop-name">{move || app.shop.with(|s| s.as_ref().map(|s| s.name.clone()))}</p>
            // A store paired before its staff were entered: they arrive with the next sync.
            <Show when=move || app.staff.with(Vec::is_empty)>
                <p class="notice" role="note">{move || app.t("sign-in-no-staff")}</p>
                <button type="button" on:click=move |_| app.sync_trigger.kick()>{move || app.t("sync-now")}</button>
            </Show>
            <form on:submit=move |ev| { ev.prevent_default(); try_pin(); }>
                <label class="field">
                    <span>{move || app.t("pin")}</span>
                    <input
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="6"
                        prop:value=move || pin.get()
                        on:input=move |ev| pin.set(event_target_value(&ev))
                    />
                </label>
                <div class="keypad">
                    {digits
                        .into_iter()
                        .map(|d| view! { <button type="button" on:click=move |_| press(d)>{d.to_string()}</button> })
                        .collect_view()}
                    <button type="button" aria-label=move || app.t("pin-clear") on:click=move |_| pin.set(String::new())>
                        "C"
                    </button>
                    <button type="button" on:click=move |_| press('0')>"0"</button>
                    <button type="submit" class="primary" disabled=move || checking.get()>{move || app.t("sign-in")}</button>
                </div>
                <Show when=move || checking.get()>
                    <p class="notice" role="status">{move || app.t("pin-checking")}</p>
                </Show>
                <Show when=move || wrong.get() && locked_for() == 0 && !checking.get()>
                    <p class="error" role="alert">{move || app.t("pin-wrong")}</p>
                </Show>
                <Show when=move || locked_for() != 0>
                    <p class="error" role="alert">
                        {move || app.lang.get().text_with("pin-locked", &[("seconds", locked_for().into())])}
                    </p>
                </Show>
            </form>
        </section>
    }
}
