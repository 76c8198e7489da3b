//! Signing in to, or up for, an owner's account. The server sets the session cookie; this
//! screen only needs to know who signed in.

use gloo_net::http::Method;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Me, api, use_owner};
use crate::error::Error;
use crate::fields::input_field;

/// What sign-up and sign-in send (sign-in without a name).
#[derive(Serialize)]
struct Credentials {
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    password: String,
}

/// What sign-up and sign-in answer (the token is for API clients; the browser uses the cookie).
#[derive(Deserialize)]
struct Signed {
    owner: Me,
}

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
            return owner.fail(Error::Domain(akinai_core::Error::Invalid {
                field: akinai_core::Field::top("password"),
                detail: owner.t("owner-password-hint"),
            }));
        }
        let body = Credentials {
            email: email.get_untracked().trim().to_owned(),
            name: up.then(|| name.get_untracked().trim().to_owned()),
            password: password.get_untracked(),
        };
        let path = if up { "/owner/signup" } else { "/owner/signin" };
        owner.spawn(async move {
            // Here a 401 is a wrong password, not a lapsed session.
            let signed: Signed =
                api::call(Method::POST, path, &body).await.map_err(|err| match err {
                    Error::SignedOut => Error::WrongCredentials,
                    other => other,
                })?;
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
