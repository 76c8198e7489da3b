//! Sign-in with a staff PIN on a large keypad; the register locks itself after a while
//! without a touch.

use akinai_core::staff::{Pin, sign_in};
use leptos::prelude::*;

use crate::pin_lock::PinLock;
use crate::state::{Screen, use_app};

/// The PIN keypad.
#[component]
pub fn SignIn() -> impl IntoView {
    let app = use_app();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let locked_for = move || app.pin_lock.get().seconds_left(js_sys::Date::now());
    let try_pin = move || {
        if locked_for() > 0 {
            return;
        }
        let entered = pin.get_untracked();
        let found = Pin::parse(&entered)
            .ok()
            .and_then(|p| app.staff.with_untracked(|staff| sign_in(staff, &p).cloned()));
        match found {
            Some(staff) => {
                pin.set(String::new());
                wrong.set(false);
                app.pin_lock.set(PinLock::default());
                app.user.set(Some(staff));
                app.screen.set(if app.open_shift().is_some() {
                    Screen::Register
                } else {
                    Screen::Shift
                });
            }
            None => {
                pin.set(String::new());
                wrong.set(true);
                let now = js_sys::Date::now();
                app.pin_lock.update(|lock| *lock = lock.missed(now));
                // Re-render the countdown when the pause ends.
                let wait = app.pin_lock.with_untracked(|lock| lock.ms_left(now));
                if wait > 0.0 {
                    set_timeout(
                        move || app.pin_lock.update(|_| {}),
                        std::time::Duration::from_millis(wait as u64 + 50),
                    );
                }
            }
        }
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
                    <button type="submit" class="primary">{move || app.t("sign-in")}</button>
                </div>
                <Show when=move || wrong.get() && locked_for() == 0>
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
