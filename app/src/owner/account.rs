//! Signing in to, or up for, an owner's account. The server sets the session cookie; this
//! screen only needs to know who signed in. Signed in, the owner can change the password (which
//! ends every other session) or sign out everywhere (a lost phone).

use akinai_core::api::{ChangePassword, SignIn, SignUp, SignedIn};
use gloo_net::http::Method;
use leptos::prelude::*;

use super::use_owner;
use crate::error::Error;
use crate::fields::input_field;
use crate::http::{self, Auth};

/// The shortest password the server accepts.
const MIN_PASSWORD: usize = 10;

/// Sign-in, with a switch to sign-up for a new owner.
#[component]
pub fn Account() -> impl IntoView {
    let owner = use_owner();
    let signing_up = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let up = signing_up.get_untracked();
        if up && password.with_untracked(|p| p.chars().count() < MIN_PASSWORD) {
            return owner.fail(too_short(owner, "password"));
        }
        let email = email.get_untracked().trim().to_owned();
        let password_text = password.get_untracked();
        let name = name.get_untracked().trim().to_owned();
        owner.spawn(async move {
            let signed: SignedIn = if up {
                let body = SignUp { email, name, password: password_text };
                http::call(Auth::Browser, Method::POST, "/owner/signup", &body).await?
            } else {
                let body = SignIn { email, password: password_text };
                http::call(Auth::Browser, Method::POST, "/owner/signin", &body).await?
            };
            password.set(String::new());
            owner.error.set(None);
            owner.signed_in(signed.owner);
            Ok(())
        });
    };
    let title = move || owner.t(if signing_up.get() { "owner-sign-up" } else { "owner-sign-in" });
    view! {
        <section class="panel account" aria-labelledby="account-title">
            <h2 id="account-title">{title}</h2>
            <form on:submit=submit>
                {input_field(owner.lang, "owner-email", "email", "username", email)}
                <Show when=move || signing_up.get()>{input_field(owner.lang, "owner-account-name", "text", "name", name)}</Show>
                {move || {
                    let autocomplete = if signing_up.get() { "new-password" } else { "current-password" };
                    input_field(owner.lang, "owner-password", "password", autocomplete, password)
                }}
                <Show when=move || signing_up.get()>
                    <p class="hint">{owner.tr("owner-password-hint")}</p>
                </Show>
                <button type="submit" class="primary wide">{title}</button>
            </form>
            <button type="button" class="link" on:click=move |_| signing_up.update(|up| *up = !*up)>
                {move || owner.t(if signing_up.get() { "owner-have-account" } else { "owner-new-account" })}
            </button>
        </section>
    }
}

/// A password too short for the server, named as `field`, without asking it.
fn too_short(owner: super::Owner, field: &str) -> Error {
    Error::Domain(akinai_core::Error::Invalid {
        field: akinai_core::Field::top(field),
        detail: owner.t("owner-password-hint"),
    })
}

/// The signed-in owner's account: a new password, and signing out on every device.
#[component]
pub fn AccountActions() -> impl IntoView {
    let owner = use_owner();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let changed = RwSignal::new(false);
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        changed.set(false);
        if new.with_untracked(|p| p.chars().count() < MIN_PASSWORD) {
            return owner.fail(too_short(owner, "new_password"));
        }
        let body = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        owner.spawn(async move {
            http::submit(Auth::Browser, Method::PUT, "/owner/password", &body).await?;
            current.set(String::new());
            new.set(String::new());
            owner.error.set(None);
            changed.set(true);
            Ok(())
        });
    };
    let everywhere = move |_| {
        owner.spawn(async move {
            http::act(Auth::Browser, Method::POST, "/owner/signout-everywhere").await?;
            owner.signed_out();
            Ok(())
        });
    };
    view! {
        <details class="account-actions">
            <summary>{owner.tr("owner-account")}</summary>
            <form on:submit=change>
                {input_field(owner.lang, "owner-current-password", "password", "current-password", current)}
                {input_field(owner.lang, "owner-new-password", "password", "new-password", new)}
                <p class="hint">{owner.tr("owner-password-hint")}</p>
                <button type="submit">{owner.tr("owner-change-password")}</button>
                <Show when=move || changed.get()>
                    <p role="status">{owner.tr("owner-password-changed")}</p>
                </Show>
            </form>
            <p class="hint">{owner.tr("owner-sign-out-everywhere-hint")}</p>
            <button type="button" on:click=everywhere>{owner.tr("owner-sign-out-everywhere")}</button>
        </details>
    }
}
