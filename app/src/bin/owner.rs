//! The owner's view on a phone: its own wasm bundle (app/owner.html), without the register.

fn main() {
    akinai_app::start_owner();
}
