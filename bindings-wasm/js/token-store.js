// The shared token store host the wasm module calls (src/token_store.rs), over the user's
// `tokenStore` ({get, set, lock, unlock?, delete?}). Every call has a deadline and never
// rejects: a failure or a late answer resolves to "failed", and the core goes on with its
// local copy. After a failure the store is left alone for RETRY_AFTER_MS, so a store that is
// down costs one deadline per period, not one per call. Nothing is logged: records hold the
// token.

import { timer } from './host.js';

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

/** The host over `store`, each call limited to `timeoutMs`; every method reports its outcome
 * once to `done(id, status, '', text)` (the module's `hostDone`). */
export function makeStoreHost(store, timeoutMs, done) {
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
    // Status 1 with the record ("" for none), 0 on failure.
    async get(id, key) {
      const v = await run(() => store.get(key));
      if (v === FAILED) done(id, 0, '', '');
      else done(id, 1, '', typeof v === 'string' ? v : '');
    },
    // 1 stored, 0 failed.
    async set(id, key, record, ttlMs) {
      const v = await run(() => store.set(key, record, Math.ceil(ttlMs)));
      done(id, v === FAILED ? 0 : 1, '', '');
    },
    // 1 taken, 0 held by another, -1 failure.
    async lock(id, key, ttlMs) {
      const v = await run(() => store.lock(key, Math.ceil(ttlMs)));
      done(id, v === FAILED ? -1 : v ? 1 : 0, '', '');
    },
    async unlock(id, key) {
      if (typeof store.unlock === 'function') await run(() => store.unlock(key));
      done(id, 1, '', '');
    },
    async remove(id, key) {
      // Without `delete`, an empty record (read back as no token) that soon expires.
      if (typeof store.delete === 'function') await run(() => store.delete(key));
      else await run(() => store.set(key, '', 1000));
      done(id, 1, '', '');
    },
    sleep: timer(done),
  };
}
