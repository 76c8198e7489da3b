//! Entry point of the WebAssembly app.

fn main() {
    akinai_app::start();
}
