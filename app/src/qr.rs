//! QR codes drawn by the app itself, as inline SVG: the e-receipt link on a receipt exists the
//! moment the sale is rung up, offline too, so it cannot come from the server as the payment
//! codes do. `qrcodegen` (no dependencies) makes the modules; one SVG path draws them.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The light border every reader needs around the symbol, in modules (the standard's minimum).
pub const QUIET_ZONE: i32 = 4;

/// The modules of `text`'s QR code (error correction M: a thermal print smudges) as the `d` of
/// one SVG path in module units, with the quiet zone around it, and the side of the whole
/// picture in modules. `None` when `text` is too long for any QR code.
pub fn modules(text: &str) -> Option<(String, i32)> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    Some((path, size + 2 * QUIET_ZONE))
}

/// `text` as a QR code: black modules on white, edges kept sharp (no anti-aliasing, which a
/// reader takes for grey), scaled to whatever width the CSS gives it.
#[component]
pub fn QrCodeSvg(
    /// What the code says.
    text: String,
) -> impl IntoView {
    modules(&text).map(|(path, side)| {
        view! {
            <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {side} {side}")
                shape-rendering="crispEdges" aria-hidden="true">
                <rect width=side height=side fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{QUIET_ZONE, modules};

    #[wasm_bindgen_test]
    fn an_e_receipt_link_is_a_version_5_code_with_its_quiet_zone() {
        let token = "A".repeat(akinai_core::ereceipt::TOKEN_LEN);
        let url = format!("http://127.0.0.1:18500/r/{token}");
        let (path, side) = modules(&url).unwrap_or_default();
        // Version 5 is 37 modules a side.
        assert_eq!(side, 37 + 2 * QUIET_ZONE);
        assert!(path.starts_with(&format!("M{QUIET_ZONE},{QUIET_ZONE}h1v1h-1z")), "finder corner");
        assert!(!path.contains(&format!("M{},", side - 1)), "the quiet zone stays light");
    }

    #[wasm_bindgen_test]
    fn too_much_text_makes_no_code() {
        assert_eq!(modules(&"x".repeat(3000)), None);
    }
}
