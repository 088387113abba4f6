// The typed client: options checks that belong to JavaScript (browser guard, custom fetch),
// then one method per operation over the core's by-name call. Every API rule is in the core.

import { Core, hostDone, hostResponse, parseNotification as parseRaw } from './cmi_wasm.js';
import { CmiError, configError, toCmiError } from './errors.js';
import { inNode, makeHost } from './host.js';
import { checkTokenStore, makeStoreHost } from './token-store.js';
import { OPERATIONS } from './operations.js';

/** A page or a web worker, where a secret would be readable by anyone. */
export function isBrowser() {
  const g = globalThis;
  return !inNode() && (typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined');
}

// Options handled here; the rest goes to the core as JSON (which refuses unknown keys).
const JS_OPTIONS = new Set(['fetch', 'dangerouslyAllowBrowser', 'tokenStore', 'tokenStoreTimeoutMs']);

export class Client {
  #core;

  constructor(options) {
    if (options === null || typeof options !== 'object') throw configError('options must be an object');
    if (isBrowser() && options.appSecret !== undefined && options.dangerouslyAllowBrowser !== true) {
      throw configError(
        'an app secret in a browser is readable by every visitor; keep the client on your server and use ' +
          'RelayClient in the page, or pass dangerouslyAllowBrowser: true',
      );
    }
    let storeHost;
    if (options.tokenStore !== undefined) {
      // A fleet of servers sharing one token (and one refresh) through the user's store.
      const problem = checkTokenStore(options.tokenStore);
      if (problem !== undefined) throw configError(problem);
      const t = options.tokenStoreTimeoutMs ?? 200;
      if (!Number.isInteger(t) || t <= 0) throw configError('tokenStoreTimeoutMs must be a positive whole number');
      storeHost = makeStoreHost(options.tokenStore, t, hostDone);
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw configError('no fetch: pass options.fetch (Node 18+ and browsers have one)');
    const core = {};
    for (const [k, v] of Object.entries(options)) {
      if (!JS_OPTIONS.has(k) && v !== undefined) core[k] = v;
    }
    const bound = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    try {
      this.#core = new Core(JSON.stringify(core), makeHost(bound, hostDone, hostResponse), storeHost);
    } catch (e) {
      throw toCmiError(e);
    }
  }

  /** A client from CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET (and the optional CMI_TIMEOUT_MS,
   * CMI_MAX_RETRIES) in `env` (default `process.env`), plus `options`. */
  static fromEnv(env = globalThis.process?.env ?? {}, options = {}) {
    const need = (k) => {
      const v = env[k];
      if (v === undefined || String(v).trim() === '') throw configError(`${k} is not set`);
      return String(v);
    };
    const whole = (k) => {
      const v = env[k];
      if (v === undefined || String(v).trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw configError(`${k} must be a whole number`);
      return n;
    };
    const o = { baseUrl: need('CMI_BASE_URL'), appKey: need('CMI_APP_KEY'), appSecret: need('CMI_APP_SECRET') };
    const attempt = whole('CMI_TIMEOUT_MS');
    if (attempt !== undefined) o.attemptTimeoutMs = attempt;
    const retries = whole('CMI_MAX_RETRIES');
    if (retries !== undefined) o.maxRetries = retries;
    return new Client({ ...o, ...options });
  }

  /** Sends `operation` (camelCase, snake_case or kebab-case) with `request`; resolves to the
   * answer, rejects with a CmiError. */
  call(operation, request = {}) {
    return new Promise((resolve, reject) => {
      let body;
      try {
        body = JSON.stringify(request);
      } catch (e) {
        reject(e);
        return;
      }
      this.#core.call(operation, body, (ok, text) => (ok ? resolve(JSON.parse(text)) : reject(toCmiError(text))));
    });
  }

  /** Forgets the cached access token. */
  invalidateToken() {
    return new Promise((resolve) => this.#core.invalidateToken(() => resolve()));
  }

  /** How many access tokens this client has requested so far. */
  get tokenRequests() {
    return this.#core.tokenRequests();
  }
}

for (const op of OPERATIONS) {
  Object.defineProperty(Client.prototype, op.camel, {
    value: function (request) {
      return this.call(op.name, request);
    },
    writable: true,
    configurable: true,
  });
}

function headerLines(headers) {
  if (headers == null) return '';
  let out = '';
  const add = (k, v) => {
    if (Array.isArray(v)) for (const x of v) out += `${k}: ${x}\n`;
    else if (v !== undefined) out += `${k}: ${v}\n`;
  };
  if (typeof headers.forEach === 'function' && !Array.isArray(headers)) headers.forEach((v, k) => add(k, v));
  else if (Array.isArray(headers)) for (const [k, v] of headers) add(k, v);
  else for (const [k, v] of Object.entries(headers)) add(k, v);
  return out;
}

/** Reads a callback from CMI (3.2.15 activation, 3.2.16 usage, 3.2.17 eSIM status).
 * `headers`: a Headers object, Node's `req.headers` or name/value pairs; `body`: the raw
 * body as a string, Uint8Array or Buffer. Returns `{kind, dedupeKey, event, ack, failureAck}`:
 * reply with `ack` (JSON text) once the event is handled, `failureAck` (carrying
 * `failureMessage`, which CMI receives: keep internals out of it) when handling failed. */
export function parseNotification(headers, body, failureMessage = 'handler failed') {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  if (!(bytes instanceof Uint8Array)) throw new TypeError('body must be a string or a Uint8Array');
  try {
    return JSON.parse(parseRaw(headerLines(headers), bytes, String(failureMessage)));
  } catch (e) {
    throw toCmiError(e);
  }
}

export { CmiError, OPERATIONS };
