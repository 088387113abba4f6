// The browser side of the relay: the same typed methods as Client, sent to the portal's own
// server (createRelayHandler), which holds the secret and signs. No wasm, no secret here.
//
// Wire format: POST <url> {"operation": "<camelCase>", "body": {...}} ->
//   200 {"result": {...}}  or  4xx/5xx {"error": {kind, code, description, ...}}.

import { CmiError } from './errors.js';
import { OPERATIONS } from './operations.js';

export class RelayClient {
  #url;
  #fetch;
  #headers;

  /** `url`: the relay endpoint; `headers`: extra request headers (e.g. a CSRF token);
   * `fetch`: a custom fetch; `credentials` is `same-origin` unless given. */
  constructor(options) {
    if (options === null || typeof options !== 'object' || typeof options.url !== 'string') {
      throw new TypeError('RelayClient needs { url }');
    }
    this.#url = options.url;
    this.#fetch = options.fetch ?? ((u, init) => globalThis.fetch(u, init));
    this.#headers = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    this.credentials = options.credentials ?? 'same-origin';
  }

  /** Sends `operation` through the relay; resolves to the answer, rejects with a CmiError. */
  async call(operation, request = {}) {
    let res;
    try {
      res = await this.#fetch(this.#url, {
        method: 'POST',
        headers: this.#headers,
        credentials: this.credentials,
        body: JSON.stringify({ operation, body: request }),
      });
    } catch (e) {
      throw new CmiError({ kind: 'transport', message: `relay unreachable: ${e?.message ?? e}`, category: 'transient', retryable: true, operation });
    }
    let answer;
    try {
      answer = await res.json();
    } catch {
      throw new CmiError({ kind: 'decode', message: `relay answered HTTP ${res.status} without JSON`, status: res.status, category: 'unknown', operation });
    }
    if (answer && typeof answer === 'object' && 'result' in answer && res.ok) return answer.result;
    throw new CmiError(answer?.error ?? { kind: 'http_status', message: `relay answered HTTP ${res.status}`, status: res.status, category: 'unknown' });
  }
}

for (const op of OPERATIONS) {
  if (op.name === 'get_access_token') continue; // never relayed: the token is a credential
  Object.defineProperty(RelayClient.prototype, op.camel, {
    value: function (request) {
      return this.call(op.camel, request);
    },
    writable: true,
    configurable: true,
  });
}
