//! Barcodes coming in: from a USB or Bluetooth scanner, which types the code and Enter (into
//! the search box, or anywhere on the page: [`use_scanner_keys`]), and from the tablet's camera
//! on browsers that have the BarcodeDetector API (Chrome on Android, ChromeOS and macOS;
//! elsewhere the camera button is not shown).

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints};

use crate::state::use_app;

/// Keys closer together than this (ms) come from a barcode scanner, not a person (scanners
/// send a key every few ms; people type 100 ms or more apart).
const SCANNER_KEY_GAP_MS: f64 = 80.0;

/// Gives `on_code` each code a scanner types while no text field has focus (after a tap on a
/// key): keys that come faster than a person types, at least four, ending in Enter. The
/// listener goes when the calling component does.
pub fn use_scanner_keys(on_code: impl Fn(String) + 'static) {
    let scanned = StoredValue::new((String::new(), 0.0_f64));
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field {
            return;
        }
        // When the key was pressed, not when the page got round to it: a busy page handles
        // queued keys late and unevenly.
        let now = ev.time_stamp();
        let (mut code, last) = scanned.get_value();
        let quick = now - last < SCANNER_KEY_GAP_MS;
        let key = ev.key();
        if key == "Enter" {
            if quick && code.chars().count() >= 4 {
                ev.prevent_default();
                on_code(code);
            }
            code = String::new();
        } else if key.chars().count() == 1 {
            if !quick {
                code.clear();
            }
            code.push_str(&key);
        }
        scanned.set_value((code, now));
    });
    on_cleanup(move || handle.remove());
}

/// True when this browser can read barcodes from the camera.
pub fn supported() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &"BarcodeDetector".into()).unwrap_or(false))
}

fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Opens the back camera into `video`, then reads frames until a barcode shows or `open` turns
/// false; returns the code read.
async fn scan(video: HtmlVideoElement, open: RwSignal<bool>) -> Result<Option<String>, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let constraints = MediaStreamConstraints::new();
    let facing = js_sys::Object::new();
    Reflect::set(&facing, &"facingMode".into(), &"environment".into())?;
    constraints.set_video(&facing);
    let devices = window.navigator().media_devices()?;
    let stream: MediaStream =
        JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?.dyn_into()?;
    video.set_src_object(Some(&stream));
    let _ = JsFuture::from(video.play()?).await;
    let class: js_sys::Function = Reflect::get(&window, &"BarcodeDetector".into())?.dyn_into()?;
    let detector = Reflect::construct(&class, &Array::new())?;
    let detect: js_sys::Function = Reflect::get(&detector, &"detect".into())?.dyn_into()?;
    let mut code = None;
    // The signal is gone if the register was left mid-scan: stop then too.
    while open.try_get_untracked().unwrap_or(false) && code.is_none() {
        let promise: js_sys::Promise = detect.call1(&detector, &video)?.dyn_into()?;
        let found: Array = JsFuture::from(promise).await?.dyn_into()?;
        code = found
            .get(0)
            .is_object()
            .then(|| Reflect::get(&found.get(0), &"rawValue".into()).ok())
            .flatten()
            .and_then(|v| v.as_string());
        if code.is_none() {
            TimeoutFuture::new(250).await;
        }
    }
    stop(&stream);
    Ok(code)
}

/// A "scan with the camera" button and its viewfinder; `on_code` gets each code read.
#[component]
pub fn CameraScan(
    /// Called with each code read.
    on_code: Callback<String>,
) -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let video: NodeRef<leptos::html::Video> = NodeRef::new();
    // Leaving the register ends a scan in progress (and with it the camera).
    on_cleanup(move || {
        open.try_set(false);
    });
    let start = move |_| {
        open.set(true);
        leptos::task::spawn_local(async move {
            // Wait for the viewfinder to be in the page.
            TimeoutFuture::new(0).await;
            let Some(element) = video.get_untracked() else { return };
            match scan(element, open).await {
                Ok(Some(code)) => {
                    let _ = on_code.try_run(code);
                }
                Ok(None) => {}
                Err(_) => app.fail(crate::error::Error::Camera),
            }
            open.try_set(false);
        });
    };
    supported().then(|| view! {
        <button type="button" on:click=start disabled=move || open.get()>{move || app.t("camera-scan")}</button>
        <Show when=move || open.get()>
            <div class="viewfinder" role="dialog" aria-label=move || app.t("camera-scan")>
                <video node_ref=video autoplay=true muted=true playsinline=true></video>
                <button type="button" on:click=move |_| open.set(false)>{move || app.t("cancel")}</button>
            </div>
        </Show>
    })
}
