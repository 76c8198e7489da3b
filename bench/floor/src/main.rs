//! The smallest Leptos CSR page worth comparing with: one signal, one button, one text node.
//! `cargo xtask bench` builds it with Trunk exactly as the app is built (profile wasm-release,
//! wasm-opt -Oz) to show how much of the app's payload is Leptos and the toolchain.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <button on:click=move |_| count.update(|n| *n += 1)>{move || count.get()}</button>
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
