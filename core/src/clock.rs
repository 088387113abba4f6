//! Injected time and randomness.
//!
//! `SystemTime::now()` traps on wasm32 and tests need fixed values, so the client reads time
//! through [`Clock`] and nonces through [`NonceSource`]. The defaults use the platform
//! (`Date.now()` and Web Crypto on wasm32, the OS elsewhere).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch, UTC.
    fn now_millis(&self) -> i64;
}

/// The platform clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(not(target_arch = "wasm32"))]
    fn now_millis(&self) -> i64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }

    #[cfg(target_arch = "wasm32")]
    fn now_millis(&self) -> i64 {
        js_sys::Date::now() as i64
    }
}

/// A clock that only moves when told to; for tests and simulations.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock reading `millis`.
    pub fn new(millis: i64) -> Self {
        Self(AtomicI64::new(millis))
    }
    /// Sets the time.
    pub fn set_millis(&self, millis: i64) {
        self.0.store(millis, Ordering::SeqCst);
    }
    /// Moves the time forward.
    pub fn advance_millis(&self, millis: i64) {
        self.0.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now_millis(&self) -> i64 {
        (**self).now_millis()
    }
}

/// A source of WSSE nonces.
pub trait NonceSource: Send + Sync + 'static {
    /// A fresh nonce: 32 upper-case hex characters (128 bits) for the default source.
    fn nonce(&self) -> String;
}

/// 128 bits from the operating system's CSPRNG (Web Crypto on wasm32), as 32 upper-case hex
/// characters (sdk-rules 2).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsNonce;

impl NonceSource for OsNonce {
    fn nonce(&self) -> String {
        let mut bytes = [0u8; 16];
        // A CSPRNG failure is an environment fault we cannot sign around; fall back to a
        // counter mixed with time so that a nonce is still never reused within the process.
        if random_fill(&mut bytes).is_err() {
            static FALLBACK: AtomicU64 = AtomicU64::new(0);
            let n = FALLBACK.fetch_add(1, Ordering::Relaxed);
            bytes[..8].copy_from_slice(&n.to_be_bytes());
            bytes[8..].copy_from_slice(&SystemClock.now_millis().to_be_bytes());
        }
        hex_upper(&bytes)
    }
}

/// Natively a nonce's 16 bytes are one `getrandom` call (a fraction of a microsecond, and a
/// forked worker never shares a buffer with its parent).
#[cfg(not(target_arch = "wasm32"))]
fn random_fill(bytes: &mut [u8; 16]) -> Result<(), getrandom::Error> {
    getrandom::fill(bytes)
}

/// On wasm32 every `getrandom` call crosses into JavaScript's `crypto.getRandomValues`, which
/// in Node costs several microseconds, a tenth of the SDK's own work per call; so nonces are
/// cut from a pool filled 32 at a time. Nonces are public (they travel in the header), so a
/// pool of future ones in memory gives nothing away; wasm has no fork to duplicate it.
#[cfg(target_arch = "wasm32")]
fn random_fill(bytes: &mut [u8; 16]) -> Result<(), getrandom::Error> {
    use std::sync::{Mutex, PoisonError};
    struct Pool {
        bytes: [u8; 512],
        used: usize,
    }
    static POOL: Mutex<Pool> = Mutex::new(Pool { bytes: [0; 512], used: 512 });
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    if pool.used + bytes.len() > pool.bytes.len() {
        getrandom::fill(&mut pool.bytes)?;
        pool.used = 0;
    }
    let start = pool.used;
    pool.used += bytes.len();
    bytes.copy_from_slice(&pool.bytes[start..pool.used]);
    Ok(())
}

/// A nonce source returning a fixed sequence, then counting; for tests and vectors.
pub struct FixedNonces {
    values: Vec<String>,
    next: AtomicU64,
}

impl FixedNonces {
    /// Returns `values` in order, then `N<counter>` padded to 32 characters.
    pub fn new(values: Vec<String>) -> Self {
        Self { values, next: AtomicU64::new(0) }
    }
}

impl fmt::Debug for FixedNonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FixedNonces")
    }
}

impl NonceSource for FixedNonces {
    fn nonce(&self) -> String {
        let i = self.next.fetch_add(1, Ordering::SeqCst) as usize;
        self.values.get(i).cloned().unwrap_or_else(|| format!("{i:032X}"))
    }
}

/// Upper-case hex of bytes.
pub fn hex_upper(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_nonce_is_32_upper_hex_and_fresh() {
        let a = OsNonce.nonce();
        let b = OsNonce.nonce();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c)));
        assert_ne!(a, b);
    }
}
