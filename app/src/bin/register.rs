//! The tablet's register: its own wasm bundle (app/index.html), without the owner's view.

fn main() {
    akinai_app::start_register();
}
