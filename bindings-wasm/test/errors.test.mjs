// Failures come out as CmiError with the core's kind, code, category, retryable and field.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { Client, CmiError } from 'cmi-datacard';
import { demo, startSandbox } from './sandbox.mjs';

let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());
beforeEach(() => sb.admin('DELETE', 'faults'));

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

test('a platform code is an api CmiError with its category', async () => {
  const c = new Client(sb.options);
  await sb.admin('POST', 'faults', { operation: 'query_quota', kind: 'return_code', code: '1000103', count: 1 });
  const e = await rejection(c.queryQuota({ iccid: demo.ICCID_ACTIVE }));
  assert.ok(e instanceof CmiError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'CmiError');
  assert.equal(e.code, '1000103');
  assert.equal(typeof e.description, 'string');
  assert.equal(typeof e.category, 'string');
  assert.equal(typeof e.retryable, 'boolean');
  assert.equal(e.field, undefined);
});

test('input is refused before sending, naming the field', async () => {
  const c = new Client(sb.options);
  const before = (await sb.admin('GET', 'stats')).total_calls;
  const e = await rejection(c.createOrder({ thirdOrderId: 'x', purchaseKind: 'Bundle', dataBundleId: 'D1', quantity: 1 }));
  assert.equal(e.kind, 'validation');
  assert.ok(['ICCID', 'iccid'].includes(e.field), e.field);
  assert.equal(e.retryable, false);
  assert.equal((await sb.admin('GET', 'stats')).total_calls, before, 'nothing was sent');
  const unknown = await rejection(c.call('buyEverything', {}));
  assert.equal(unknown.field, 'operation');
});

test('an HTTP 503 is retried, then surfaces as a retryable http_status error', async () => {
  const c = new Client({ ...sb.options, maxRetries: 1 });
  await c.queryUpccTemplates({});
  await sb.admin('POST', 'faults', { operation: 'query_upcc_templates', kind: 'http_status', status: 503 });
  const e = await rejection(c.queryUpccTemplates({}));
  assert.equal(e.kind, 'http_status');
  assert.equal(e.status, 503);
  assert.equal(e.retryable, true);
  assert.equal(e.category, 'transient');
});

// The host copies only `date` and `retry-after` into wasm: these two tests fail if either
// stops reaching the core.
test("a skewed platform clock is measured from the answer's Date and the call re-signed", async () => {
  const c = new Client(sb.options);
  await sb.admin('POST', 'faults', { kind: 'clock_skew', seconds: 900 });
  const answer = await c.queryUpccTemplates({});
  assert.ok(Array.isArray(answer.upccTemplate));
});

test("a 429's Retry-After is waited out before the retry", async () => {
  const c = new Client({ ...sb.options, maxRetries: 1 });
  await c.queryUpccTemplates({});
  await sb.admin('POST', 'faults', { operation: 'query_upcc_templates', kind: 'http_status', status: 429, retry_after: 1, count: 1 });
  const start = performance.now();
  await c.queryUpccTemplates({});
  assert.ok(performance.now() - start >= 900, `retried after ${performance.now() - start} ms`);
});

test('a redirect is not followed: a configuration error, not retried', async () => {
  // Followed, the 302 would turn into a GET of /moved/... and a 404 http_status error.
  const redirectOnce = () => sb.admin('POST', 'faults', { operation: 'query_upcc_templates', kind: 'http_status', status: 302, count: 1 });
  const c = new Client({ ...sb.options, maxRetries: 2 });
  await c.queryUpccTemplates({});
  await redirectOnce();
  const e = await rejection(c.queryUpccTemplates({}));
  assert.equal(e.kind, 'config');
  assert.equal(e.retryable, false);
  assert.match(e.message, /redirect, which the SDK does not follow: check baseUrl/);
  await c.queryUpccTemplates({}); // the one fault is spent: nothing was retried

  // A custom fetch that hands back the 302 itself, and a browser's opaque redirect.
  const manual = new Client({ ...sb.options, fetch: (url, init) => fetch(url, { ...init, redirect: 'manual' }) });
  await manual.queryUpccTemplates({});
  await redirectOnce();
  assert.match((await rejection(manual.queryUpccTemplates({}))).message, /redirect \(HTTP 302\)/);
  const opaque = new Client({ ...sb.options, fetch: async () => ({ type: 'opaqueredirect', status: 0 }) });
  assert.equal((await rejection(opaque.queryUpccTemplates({}))).kind, 'config');
});

test('a refused connection is a transport error', async () => {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  await new Promise((r) => server.close(r));
  const c = new Client({ ...sb.options, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  const e = await rejection(c.queryUpccTemplates({}));
  assert.equal(e.kind, 'transport');
  assert.equal(e.retryable, true);
});

test('a slow answer hits the attempt deadline', async () => {
  const c = new Client({ ...sb.options, attemptTimeoutMs: 200, maxRetries: 0 });
  await c.queryUpccTemplates({});
  await sb.admin('POST', 'faults', { operation: 'query_upcc_templates', kind: 'delay', ms: 2000, count: 1 });
  const e = await rejection(c.queryUpccTemplates({}));
  assert.equal(e.kind, 'timeout');
});

test('options are checked: unknown keys, missing secret, plain http to a remote host', () => {
  assert.throws(() => new Client({ ...sb.options, attemptTimeoutMS: 5 }), (e) => e instanceof CmiError && e.kind === 'config' && /attemptTimeoutMS/.test(e.message));
  assert.throws(() => new Client({ ...sb.options, appSecret: '' }), (e) => e.kind === 'config');
  assert.throws(() => new Client({ ...sb.options, baseUrl: 'http://example.com' }), (e) => e.kind === 'config');
  // undefined means absent, like every other option
  assert.ok(new Client({ ...sb.options, maxRetries: undefined }));
});

test('no secret in errors', async () => {
  const c = new Client({ ...sb.options, maxRetries: 0 });
  await sb.admin('POST', 'faults', { operation: 'query_upcc_templates', kind: 'return_code', code: '1000008' });
  const e = await rejection(c.queryUpccTemplates({}));
  const text = JSON.stringify(e) + String(e) + e.stack;
  assert.ok(!text.includes(sb.appSecret));
});
