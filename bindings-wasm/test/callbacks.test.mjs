// parseNotification against the shared callback vectors, and the example handlers against the
// sandbox's real deliveries.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CmiError, parseNotification } from 'cmi-datacard';
import { wsseDigest } from '../pkg/cmi_wasm.js';

const vectors = new URL('../../tests/vectors/', import.meta.url);

// Some vector bodies carry integers beyond 2^53 (an ICCID sent as a number); JSON.parse would
// round them, so they are read as marked strings and written back as the exact digits.
const BIG = '__exact_integer__:';
const readExact = (url) => JSON.parse(readFileSync(url, 'utf8').replace(/(?<=[:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, `"${BIG}$1"`));
const writeExact = (value) => JSON.stringify(value).replace(/"__exact_integer__:(-?\d+)"/g, '$1');

for (const file of readdirSync(new URL('callbacks/', vectors))) {
  const v = readExact(new URL(`callbacks/${file}`, vectors));
  test(`callback vectors: ${file}`, () => {
    for (const [i, c] of v.cases.entries()) {
      const body = typeof c.body === 'string' ? c.body : writeExact(c.body);
      const p = parseNotification({ 'content-type': 'application/json' }, body, v.failure_message);
      assert.equal(p.kind, v.kind === 'esim_status' ? 'esimStatus' : v.kind, `case ${i}`);
      assert.equal(p.dedupeKey, c.dedupe_key, `case ${i}`);
      assert.deepEqual(JSON.parse(p.ack), c.ack, `case ${i}`);
      assert.deepEqual(JSON.parse(p.failureAck), c.failure_ack, `case ${i}`);
      assert.ok(p.event && typeof p.event === 'object', `case ${i}`);
      if (p.kind === 'activation') {
        // the camelCase surface, not the wire names
        assert.equal(p.event.dataBundleId, c.expect.packageId, `case ${i}`);
        assert.equal(p.event.packageId, undefined, `case ${i}`);
      }
      // bytes work as well as text
      assert.equal(parseNotification(new Headers(), new TextEncoder().encode(body)).dedupeKey, c.dedupe_key);
    }
  });
}

test('an unreadable callback is a CmiError', () => {
  assert.throws(() => parseNotification({}, 'not json'), (e) => e instanceof CmiError && e.kind === 'decode');
});

test('WSSE digest vectors', () => {
  const v = JSON.parse(readFileSync(new URL('wsse.json', vectors), 'utf8'));
  for (const d of v.digest) assert.equal(wsseDigest(d.nonce, d.created, d.secret), d.digest, d.name);
});
