// The callback examples (Node http and Express) receive the sandbox's real deliveries: an
// activation, usage reports and eSIM status, all acknowledged.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import express from 'express';
import { Client } from 'cmi-datacard';
import { notificationMiddleware } from '../examples/express-callbacks.mjs';
import { notificationListener } from '../examples/node-http-callbacks.mjs';
import { startSandbox } from './sandbox.mjs';

const STOCK = ['89852342024000000070', '89852342024000000088'];
let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

async function roundTrip(base, card, order) {
  await sb.admin('POST', 'reset');
  await sb.admin('POST', 'callbacks', { url: `${base}/cmi/notify`, esim_url: `${base}/cmi/notify` });
  const c = new Client(sb.options);
  await c.createOrder({ thirdOrderId: order, purchaseKind: 'Bundle', dataBundleId: 'D2401011200000000002', quantity: 1, iccid: card });
  await sb.admin('POST', `cards/${card}/location`, { mcc: '454' });
  await sb.admin('POST', 'clock/advance', { seconds: 6 * 3600 });
  await sb.admin('POST', `esim/${card}/install`, {});
  const deadline = Date.now() + 10_000;
  let deliveries = [];
  while (Date.now() < deadline) {
    deliveries = await sb.admin('GET', 'callbacks/deliveries');
    if (deliveries.length >= 5 && deliveries.every((d) => d.state === 'delivered')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return deliveries;
}

test('the Node http example acknowledges every delivery', async () => {
  const events = [];
  const server = createServer(notificationListener((n) => events.push(n)));
  const base = await listen(server);
  try {
    const deliveries = await roundTrip(base, STOCK[0], 'cb-node-1');
    assert.ok(deliveries.length >= 5, JSON.stringify(deliveries));
    assert.ok(deliveries.every((d) => d.state === 'delivered'), JSON.stringify(deliveries));
    const kinds = new Set(events.map((e) => e.kind));
    assert.deepEqual([...kinds].sort(), ['activation', 'esimStatus', 'usage']);
  } finally {
    server.close();
  }
});

test('the Express example acknowledges every delivery', async () => {
  const events = [];
  const app = express();
  // eSIM status arrives under <esim_url>/gsma/rsp2/es2plus/handleDownloadProgressInfo.
  app.use('/cmi/notify', express.raw({ type: '*/*' }), notificationMiddleware((n) => events.push(n)));
  const server = createServer(app);
  const base = await listen(server);
  try {
    const deliveries = await roundTrip(base, STOCK[1], 'cb-express-1');
    assert.ok(deliveries.every((d) => d.state === 'delivered'), JSON.stringify(deliveries));
    assert.deepEqual([...new Set(events.map((e) => e.kind))].sort(), ['activation', 'esimStatus', 'usage']);
  } finally {
    server.close();
  }
});
