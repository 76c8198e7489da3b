//! The UI language: Japanese by default, English at a tap, for every screen at once.

use akinai_i18n::Lang;
use leptos::prelude::*;

/// Makes the UI language available to every component below, and keeps `<html lang>` in step
/// so that screen readers and fonts follow it.
pub fn provide_language() -> RwSignal<Lang> {
    let lang = RwSignal::new(Lang::default());
    provide_context(lang);
    Effect::new(move || {
        let tag = lang.get().tag();
        if let Some(html) = document().document_element() {
            // Only the accessibility hint is lost if this fails; the text still switches.
            let _ = html.set_attribute("lang", tag);
        }
    });
    lang
}

/// The UI language provided by [`provide_language`] (Japanese if none was).
pub fn use_language() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
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
