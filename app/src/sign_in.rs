//! Sign-in with a staff PIN on a large keypad; the register locks itself after a while
//! without a touch.

use akinai_core::shop::{Pin, sign_in};
use leptos::prelude::*;

use crate::state::{Screen, use_app};

/// The PIN keypad.
#[component]
pub fn SignIn() -> impl IntoView {
    let app = use_app();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let try_pin = move || {
        let entered = pin.get_untracked();
        let found = Pin::parse(&entered)
            .ok()
            .and_then(|p| app.staff.with_untracked(|staff| sign_in(staff, &p).cloned()));
        match found {
            Some(staff) => {
                pin.set(String::new());
                wrong.set(false);
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
                <Show when=move || wrong.get()>
                    <p class="error" role="alert">{move || app.t("pin-wrong")}</p>
                </Show>
            </form>
        </section>
    }
}
