// The server side of the relay: takes typed calls from RelayClient in the browser, asks the
// portal's `authorize` hook, and forwards them through a server-side Client (which signs).
// Works as a Node `http` request listener and as Express/Connect-style middleware.

import { CmiError } from './errors.js';
import { OPERATIONS } from './operations.js';

const BY_NAME = new Map();
for (const op of OPERATIONS) {
  // The token call is never relayed: its answer is a credential.
  if (op.name !== 'get_access_token') BY_NAME.set(op.camel, op);
}

function send(res, status, payload) {
  const text = JSON.stringify(payload);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(text);
}

function fail(res, status, info) {
  send(res, status, { error: new CmiError(info).toJSON() });
}

async function readBody(req, limit) {
  // Express with a JSON body parser has read it already.
  if (req.body !== undefined && typeof req.body === 'object' && !(req.body instanceof Uint8Array)) return req.body;
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new RangeError('body too large');
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** A request handler `(req, res) => Promise<void>` relaying browser calls to `client`.
 * `authorize({operation, body, request})` must resolve to `true` to allow the call (it is
 * required: a relay that forwards everything would sell bundles for any visitor).
 * `maxBodyBytes` (default 1 MiB) bounds the request. */
export function createRelayHandler(client, options) {
  if (!client || typeof client.call !== 'function') throw new TypeError('createRelayHandler needs a Client');
  const authorize = options?.authorize;
  if (typeof authorize !== 'function') throw new TypeError('createRelayHandler needs options.authorize');
  const limit = options.maxBodyBytes ?? 1 << 20;
  return async function relay(req, res) {
    if (req.method !== 'POST') return fail(res, 405, { kind: 'refused', message: 'POST only', category: 'unknown' });
    let message;
    try {
      message = await readBody(req, limit);
    } catch (e) {
      const big = e instanceof RangeError;
      return fail(res, big ? 413 : 400, { kind: 'validation', field: '(body)', message: big ? 'relay request too large' : 'relay request is not JSON', category: 'validation' });
    }
    const op = typeof message?.operation === 'string' ? BY_NAME.get(message.operation) : undefined;
    if (op === undefined) {
      return fail(res, 400, { kind: 'validation', field: 'operation', message: `unknown operation ${JSON.stringify(message?.operation)}`, category: 'validation' });
    }
    const body = message.body ?? {};
    let allowed = false;
    try {
      allowed = (await authorize({ operation: op.camel, body, request: req })) === true;
    } catch {
      allowed = false;
    }
    if (!allowed) return fail(res, 403, { kind: 'refused', operation: op.name, message: `${op.camel} not allowed`, category: 'auth' });
    try {
      send(res, 200, { result: await client.call(op.name, body) });
    } catch (e) {
      if (e instanceof CmiError) return send(res, e.kind === 'validation' ? 400 : 502, { error: e.toJSON() });
      return fail(res, 500, { kind: 'transport', message: 'relay failed', category: 'unknown' });
    }
  };
}
