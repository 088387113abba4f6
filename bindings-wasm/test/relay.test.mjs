// The relay: RelayClient -> createRelayHandler (Node http) -> Client -> sandbox, with the
// portal's authorize hook deciding, and errors arriving as CmiError on the browser side.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { Client, CmiError, createRelayHandler, RelayClient } from 'cmi-datacard';
import { RelayClient as LightRelayClient } from 'cmi-datacard/relay-client';
import { demo, startSandbox } from './sandbox.mjs';

let sb;
let server;
let url;
const asked = [];
before(async () => {
  sb = await startSandbox();
  const client = new Client(sb.options);
  const relay = createRelayHandler(client, {
    authorize: ({ operation, request }) => {
      asked.push(operation);
      return request.headers['x-portal-user'] === 'alice' && operation !== 'createOrder';
    },
  });
  server = createServer(relay);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/cmi`;
});
after(() => {
  server.close();
  sb.stop();
});

const alice = () => new RelayClient({ url, headers: { 'x-portal-user': 'alice' } });

test('an allowed call goes through the relay and comes back typed', async () => {
  const r = await alice().queryDataBundles({ cooperationMode: 'Consignment' });
  assert.ok(r.dataBundles.length > 0);
  assert.equal(asked.at(-1), 'queryDataBundles');
});

test('the light entry (no wasm) has the same methods', async () => {
  const r = await new LightRelayClient({ url, headers: { 'x-portal-user': 'alice' } }).queryUpccTemplates({});
  assert.ok(r);
});

test('authorize refuses: 403 as a refused CmiError, nothing sent to CMI', async () => {
  const before = (await sb.admin('GET', 'stats')).calls.create_order;
  await assert.rejects(
    alice().createOrder({ thirdOrderId: 'r1', purchaseKind: 'Bundle', dataBundleId: demo.BUNDLE_ASIA, quantity: 1, iccid: demo.ICCID_ESIM }),
    (e) => e instanceof CmiError && e.kind === 'refused',
  );
  await assert.rejects(new RelayClient({ url }).queryDataBundles({ cooperationMode: 'Consignment' }), (e) => e.kind === 'refused');
  assert.equal((await sb.admin('GET', 'stats')).calls.create_order, before);
});

test('the token call is never relayed', async () => {
  assert.equal(typeof alice().getAccessToken, 'undefined');
  await assert.rejects(alice().call('getAccessToken', { id: sb.appKey, accountType: '106' }), (e) => e.kind === 'validation' && e.field === 'operation');
});

test('platform and validation errors arrive as CmiError with their fields', async () => {
  await sb.admin('POST', 'faults', { operation: 'query_quota', kind: 'return_code', code: '1000103', count: 1 });
  await assert.rejects(alice().queryQuota({ iccid: demo.ICCID_ACTIVE }), (e) => e instanceof CmiError && e.code === '1000103' && e.kind === 'api');
  await assert.rejects(alice().querySimInfo({}), (e) => e.kind === 'validation' && typeof e.field === 'string');
});

test('a relay answer never carries the secret or the token', async () => {
  const res = await fetch(url, { method: 'POST', headers: { 'x-portal-user': 'alice' }, body: JSON.stringify({ operation: 'queryChannelApps', body: {} }) });
  const text = await res.text();
  assert.equal(res.status, 200);
  assert.ok(!text.includes(sb.appSecret) && !text.includes('accessToken'));
});

test('bad relay requests are refused with 400/405', async () => {
  assert.equal((await fetch(url)).status, 405);
  assert.equal((await fetch(url, { method: 'POST', body: 'nope' })).status, 400);
});
