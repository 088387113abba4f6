// The transport host the wasm module calls (src/transport.rs): one fetch per request.
// Headers cross as "name: value" lines. Each request ends in one call, under its id, of the
// module's `hostResponse` (src/pending.rs) with the response's body as the bytes received, or
// of its `hostDone` with status 0 and the failure kind in `headers` (`timeout`, `connect`,
// `io`, `redirect`) when no response came.

/** Whether this runs in Node (whose `fetch` is undici); browsers, workers and other runtimes
 * without `process.versions.node` are not. */
export function inNode() {
  const p = globalThis.process;
  return p !== undefined && p.versions != null && p.versions.node != null;
}

function parseHeaderLines(lines) {
  const headers = {};
  let start = 0;
  while (start < lines.length) {
    let end = lines.indexOf('\n', start);
    if (end < 0) end = lines.length;
    const colon = lines.indexOf(':', start);
    if (colon > start && colon < end) headers[lines.slice(start, colon)] = lines.slice(colon + 2, end);
    start = end + 1;
  }
  return headers;
}

// undici (Node) wraps socket errors in `cause`; browsers only say "Failed to fetch".
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function failure(e, timedOut) {
  if (timedOut) return { status: 0, headers: 'timeout', body: 'timeout' };
  const code = e?.cause?.code ?? e?.code;
  const text = String(code ?? e?.cause?.message ?? e?.message ?? e);
  return { status: 0, headers: CONNECT_CODES.has(code) ? 'connect' : 'io', body: text };
}

// Deadlines. An AbortController per request costs more than the rest of the JavaScript side
// of a call (signals are transferable event targets), so requests with the same timeout that
// start within one DEADLINE_GRANULARITY_MS window share one controller, fired at the window's
// end plus the timeout: each request gets at least its timeout and at most that much more.
// A window also closes after WINDOW_REQUESTS requests: Node's fetch adds a listener to the
// signal per request, drops it only when the request is collected, and walks them all on
// every add and removal, so a busy window's signal would cost each request more. A closed
// window's timer is stopped once its last request ends.
const DEADLINE_GRANULARITY_MS = 50;
const WINDOW_REQUESTS = 16;

class Deadlines {
  #open = new Map(); // timeoutMs -> the window still taking requests

  /** The window of a request starting now with `timeoutMs`; hand it to `release` when the
   * request has ended. */
  take(timeoutMs) {
    const now = Date.now();
    let w = this.#open.get(timeoutMs);
    if (w === undefined || now >= w.closesAt || w.left === 0) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), DEADLINE_GRANULARITY_MS + timeoutMs);
      // A pending deadline alone must not keep Node running (an in-flight fetch does).
      timer.unref?.();
      w = { closesAt: now + DEADLINE_GRANULARITY_MS, left: WINDOW_REQUESTS, active: 0, signal: controller.signal, timer };
      this.#open.set(timeoutMs, w);
    }
    w.left--;
    w.active++;
    return w;
  }

  release(w) {
    if (--w.active === 0 && (w.left === 0 || Date.now() >= w.closesAt)) clearTimeout(w.timer);
  }
}

// The core reads two response headers: the platform's clock (`date`, for clock skew) and
// `retry-after`; the rest would be iterated, joined and parsed on every call for nothing
// (test/errors.test.mjs checks both still arrive).
const WANTED_HEADERS = ['date', 'retry-after'];

function wantedHeaders(headers) {
  let lines = '';
  for (const name of WANTED_HEADERS) {
    const v = headers.get(name);
    if (v !== null && v !== undefined) lines += `${name}: ${v}\n`;
  }
  return lines;
}

// A redirect is never followed (the core makes it a configuration error: a signed request
// must not be re-sent elsewhere). Node's fetch (undici) copies every request, and tees its
// body into two more streams, unless the request has no window and refuses redirects: a third
// of its own per-request work, so there redirects end the fetch with an error ("unexpected
// redirect"). A browser's error would not say why, so there `manual` hands back an opaque
// redirect instead. A custom fetch that returns the 3xx itself is read by the core.
const REDIRECT = inNode() ? 'error' : 'manual';
const REDIRECTED = { status: 0, headers: 'redirect', body: '' };

/** A host over `fetchImpl` (the platform fetch or the user's own). `done(id, status, headers,
 * text)` is the module's `hostDone`, which each timer and failed request reports to exactly
 * once; `respond(id, status, headers, bytes)` its `hostResponse`, for each response. */
export function makeHost(fetchImpl, done, respond) {
  const deadlines = new Deadlines();
  const send = async (id, url, headerLines, body, timeoutMs) => {
    const deadline = deadlines.take(timeoutMs);
    const { signal } = deadline;
    let reply;
    try {
      const init = { method: 'POST', window: null, redirect: REDIRECT, headers: parseHeaderLines(headerLines), body, signal };
      const res = await fetchImpl(url, init);
      reply = res.type === 'opaqueredirect' ? REDIRECTED : { status: res.status, headers: wantedHeaders(res.headers), bytes: new Uint8Array(await res.arrayBuffer()) };
    } catch (e) {
      reply = e?.cause?.message === 'unexpected redirect' ? REDIRECTED : failure(e, signal.aborted);
    }
    deadlines.release(deadline);
    if (reply.bytes !== undefined) respond(id, reply.status, reply.headers, reply.bytes);
    else done(id, reply.status, reply.headers, reply.body);
  };
  return {
    send,
    sleep: timer(done),
  };
}

/** A host's `sleep(id, ms)`: reports `id` to `done` after `ms` milliseconds (the transport's
 * and the token store's). */
export function timer(done) {
  return (id, ms) => {
    setTimeout(() => done(id, 1, '', ''), ms);
  };
}
