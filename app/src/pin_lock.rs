//! The keypad's pause after wrong PINs: guessing a 4-digit PIN by hand takes many tries, so
//! after five misses in a row the keypad pauses, and each further miss doubles the pause. The
//! lock is kept in the device's localStorage, so reloading the page does not lift it.

use serde::{Deserialize, Serialize};

/// Where the device keeps its lock.
const KEY: &str = "akinai.pin_lock";

/// Wrong PINs in a row before the keypad pauses.
const TRIES: u32 = 5;
/// The first pause, in ms; each further miss doubles it, up to 64 times as long.
const PAUSE_MS: f64 = 30_000.0;

/// Wrong PINs in a row, and until when (ms since the epoch) the keypad is paused. A right PIN
/// starts again from [`PinLock::default`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PinLock {
    failures: u32,
    until_ms: f64,
}

impl PinLock {
    /// The lock this device kept, or an open one.
    pub fn saved() -> PinLock {
        storage()
            .and_then(|storage| storage.get_item(KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Keeps the lock on this device. A browser that refuses storage keeps it only until the
    /// page reloads: the keypad still pauses.
    pub fn save(self) {
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&self)) {
            let _ = storage.set_item(KEY, &json);
        }
    }

    /// The lock after one more wrong PIN at `now_ms`.
    pub fn missed(self, now_ms: f64) -> PinLock {
        let failures = self.failures.saturating_add(1);
        let until_ms = if failures >= TRIES {
            now_ms + PAUSE_MS * f64::from(1u32 << (failures - TRIES).min(6))
        } else {
            self.until_ms
        };
        PinLock { failures, until_ms }
    }

    /// How long the keypad stays paused after `now_ms`, in ms (0 when it is open).
    pub fn ms_left(&self, now_ms: f64) -> f64 {
        (self.until_ms - now_ms).max(0.0)
    }

    /// The pause left at `now_ms` in whole seconds, rounded up: what the cashier is shown.
    pub fn seconds_left(&self, now_ms: f64) -> u32 {
        (self.ms_left(now_ms) / 1000.0).ceil() as u32
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::PinLock;

    fn misses(count: u32, now_ms: f64) -> PinLock {
        (0..count).fold(PinLock::default(), |lock, _| lock.missed(now_ms))
    }

    #[wasm_bindgen_test]
    fn four_wrong_pins_do_not_pause_the_keypad_and_the_fifth_pauses_it_thirty_seconds() {
        assert_eq!(misses(4, 1000.0).seconds_left(1000.0), 0);
        let lock = misses(5, 1000.0);
        assert_eq!(lock.seconds_left(1000.0), 30);
        assert_eq!(lock.seconds_left(1001.0), 30, "a started second still counts");
        assert_eq!(lock.ms_left(31_000.0), 0.0);
        assert_eq!(lock.seconds_left(40_000.0), 0);
    }

    #[wasm_bindgen_test]
    fn each_further_miss_doubles_the_pause_up_to_sixty_four_times() {
        assert_eq!(misses(6, 0.0).seconds_left(0.0), 60);
        assert_eq!(misses(7, 0.0).seconds_left(0.0), 120);
        assert_eq!(misses(11, 0.0).seconds_left(0.0), 30 * 64);
        assert_eq!(misses(30, 0.0).seconds_left(0.0), 30 * 64);
    }

    #[wasm_bindgen_test]
    fn a_miss_after_the_pause_pauses_again_from_then() {
        let lock = misses(5, 0.0).missed(100_000.0);
        assert_eq!(lock.seconds_left(100_000.0), 60);
    }
}
