// The shared token store host the wasm module calls (src/token_store.rs), over the user's
// `tokenStore` ({get, set, lock, unlock?, delete?}). Every call has a deadline and never
// rejects: a failure or a late answer resolves to "failed", and the core goes on with its
// local copy. After a failure the store is left alone for RETRY_AFTER_MS, so a store that is
// down costs one deadline per period, not one per call. Nothing is logged: records hold the
// token.

const DEFAULT_TIMEOUT_MS = 200;
const RETRY_AFTER_MS = 1000;

const FAILED = Symbol('failed');

/** Checks a user's store object; returns an error message, or undefined when it is usable. */
export function checkTokenStore(store) {
  if (store === null || typeof store !== 'object') return 'tokenStore must be an object with get, set and lock';
  for (const m of ['get', 'set', 'lock']) {
    if (typeof store[m] !== 'function') return `tokenStore.${m} must be a function`;
  }
  for (const m of ['unlock', 'delete']) {
    if (store[m] !== undefined && typeof store[m] !== 'function') return `tokenStore.${m} must be a function`;
  }
  return undefined;
}

/** The host over `store`, each call limited to `timeoutMs`. */
export function makeStoreHost(store, timeoutMs = DEFAULT_TIMEOUT_MS) {
  let downUntil = 0;

  // Runs one store call with the deadline; resolves to its result or FAILED.
  const run = (fn) => {
    if (Date.now() < downUntil) return Promise.resolve(FAILED);
    let timer;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(() => resolve(FAILED), timeoutMs);
      // A pending deadline alone must not keep Node running.
      timer.unref?.();
    });
    const call = new Promise((resolve) => resolve(fn())).catch(() => FAILED);
    return Promise.race([call, deadline]).then((v) => {
      clearTimeout(timer);
      if (v === FAILED) downUntil = Date.now() + RETRY_AFTER_MS;
      return v;
    });
  };

  return {
    // A record string, "" for none, false on failure.
    async get(key) {
      const v = await run(() => store.get(key));
      if (v === FAILED) return false;
      return typeof v === 'string' ? v : '';
    },
    async set(key, record, ttlMs) {
      return (await run(() => store.set(key, record, Math.ceil(ttlMs)))) !== FAILED;
    },
    // 1 taken, 0 held by another, -1 failure.
    async lock(key, ttlMs) {
      const v = await run(() => store.lock(key, Math.ceil(ttlMs)));
      if (v === FAILED) return -1;
      return v ? 1 : 0;
    },
    async unlock(key) {
      if (typeof store.unlock === 'function') await run(() => store.unlock(key));
    },
    async remove(key) {
      // Without `delete`, an empty record (read back as no token) that soon expires.
      if (typeof store.delete === 'function') await run(() => store.delete(key));
      else await run(() => store.set(key, '', 1000));
    },
    sleep(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}
