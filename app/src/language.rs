//! The UI language: Japanese by default, English at a tap, for every screen at once.

use akinai_i18n::Lang;
use leptos::prelude::*;

/// Where the device remembers the chosen language.
const KEY: &str = "akinai.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Makes the UI language available to every component below, and keeps `<html lang>` in step
/// so that screen readers and fonts follow it.
pub fn provide_language() -> RwSignal<Lang> {
    let saved = local_storage().and_then(|s| s.get_item(KEY).ok().flatten());
    let lang = RwSignal::new(saved.and_then(|tag| Lang::from_tag(&tag)).unwrap_or_default());
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

/// One button per language; the current one is pressed.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_language();
    let label = move || lang.get().text("language");
    view! {
        <div class="language-switch" role="group" aria-label=label>
            {Lang::ALL
                .into_iter()
                .map(|choice| {
                    view! {
                        <button
                            type="button"
                            lang=choice.tag()
                            aria-pressed=move || (lang.get() == choice).to_string()
                            on:click=move |_| lang.set(choice)
                        >
                            {choice.text(&format!("language-{}", choice.tag()))}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
