//! The UI language: Japanese by default, any other at a tap, for every screen at once. Japanese
//! is compiled in; another language's texts are read from the page's build (`locales/<tag>.ftl`)
//! when it is chosen, for the UI or for a receipt, and the page's service worker keeps them all
//! for offline use.

use akinai_i18n::Lang;
use leptos::logging::warn;
use leptos::prelude::*;

use crate::device::pwa::Page;

/// Where the device remembers the chosen language.
const KEY: &str = "akinai.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language this device chose last, if any.
fn saved() -> Option<Lang> {
    let tag = local_storage().and_then(|s| s.get_item(KEY).ok().flatten())?;
    Lang::from_tag(&tag)
}

/// Reads `lang`'s texts from `page`'s build unless they are here already.
async fn fetch_texts(page: Option<Page>, lang: Lang) -> Result<(), String> {
    if lang.is_loaded() {
        return Ok(());
    }
    let Some(page) = page else {
        return Err(format!("no page to read the texts of {} from", lang.tag()));
    };
    let url = page.file(&lang.file());
    let response = gloo_net::http::Request::get(&url).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    lang.load(response.text().await.map_err(|e| e.to_string())?);
    Ok(())
}

/// Before `page` mounts: reads the texts of the language the device chose, so that the first
/// screen shows in it. If they cannot be read the app starts in Japanese.
pub async fn prepare(page: Page) {
    if let Some(lang) = saved()
        && let Err(err) = fetch_texts(Some(page), lang).await
    {
        warn!("the texts of {} could not be read: {err}", lang.tag());
    }
}

/// Reads `lang`'s texts unless they are here already, for a receipt in a language the UI has not
/// shown yet. The page is taken from the context when this is called (not when awaited): call it
/// in a component, an effect or an event handler (Leptos runs these with their owner), not
/// inside a spawned future.
pub fn ensure_loaded(lang: Lang) -> impl Future<Output = Result<(), String>> + 'static {
    fetch_texts(use_context::<Page>(), lang)
}

/// Makes the UI language available to every component below, and keeps `<html lang>` in step
/// so that screen readers and fonts follow it.
pub fn provide_language() -> RwSignal<Lang> {
    let lang = RwSignal::new(saved().filter(|lang| lang.is_loaded()).unwrap_or_default());
    provide_context(lang);
    Effect::new(move || {
        let tag = lang.get().tag();
        if let Some(storage) = local_storage() {
            // Remembering the choice is a convenience; failing to is harmless.
            let _ = storage.set_item(KEY, tag);
        }
        if let Some(html) = document().document_element() {
            // Only the accessibility hint is lost if this fails; the text still switches.
            let _ = html.set_attribute("lang", tag);
        }
    });
    lang
}

/// The UI language provided by [`provide_language`]; a component mounted outside it is a bug.
pub fn use_language() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// One button per language, named in its own script; the current one is pressed. A language
/// not read yet is read from the page's build first (offline, from the service worker's cache).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_language();
    let page = use_context::<Page>();
    let choose = move |choice: Lang| {
        if choice.is_loaded() {
            return lang.set(choice);
        }
        leptos::task::spawn_local(async move {
            match fetch_texts(page, choice).await {
                Ok(()) => lang.set(choice),
                Err(err) => warn!("the texts of {} could not be read: {err}", choice.tag()),
            }
        });
    };
    let label = move || lang.get().text("language");
    view! {
        <div class="language-switch" role="group" aria-label=label>
            {Lang::all()
                .iter()
                .map(|&choice| {
                    view! {
                        <button
                            type="button"
                            lang=choice.tag()
                            aria-pressed=move || (lang.get() == choice).to_string()
                            on:click=move |_| choose(choice)
                        >
                            {choice.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
