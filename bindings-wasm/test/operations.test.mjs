// Every operation once against the sandbox over loopback HTTP, through the typed methods.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, OPERATIONS } from 'cmi-datacard';
import { demo, startSandbox } from './sandbox.mjs';

let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

test('the client has one method per operation, and the list is the core\'s 22', () => {
  assert.equal(OPERATIONS.length, 22);
  const c = new Client(sb.options);
  for (const op of OPERATIONS) assert.equal(typeof c[op.camel], 'function', op.camel);
});

test('every operation succeeds once through its method', async () => {
  const c = new Client(sb.options);
  const token = await c.getAccessToken({ id: sb.appKey, type: '106' });
  assert.ok(token.accessToken);
  const bundles = await c.queryDataBundles({ cooperationMode: '1' });
  assert.ok(bundles.dataBundles.length > 0);
  await c.activateDataBundle({ iccid: demo.ICCID_PENDING, dataBundleId: demo.BUNDLE_CN_3GB, mcc: '460' });
  const himsi = await c.queryHimsiState({ iccid: demo.ICCID_ESIM });
  assert.equal(himsi.mobileCountryCode, '454');
  const order = await c.createOrder({ thirdOrderId: 'js-all-1', is_Refuel: '1', dataBundleId: demo.BUNDLE_ASIA, quantity: 1, ICCID: demo.ICCID_ESIM });
  assert.ok(order.orderID);
  const subs = await c.querySubscribedBundles({ iccid: demo.ICCID_ESIM, language: '2' });
  assert.ok(JSON.stringify(subs).includes(order.orderID));
  assert.ok((await c.queryCarriers({ language: '2' })).stateList.length > 0);
  assert.ok(await c.queryQuota({ iccid: demo.ICCID_ACTIVE }));
  const sims = await c.querySimInfo({ querySIMInfoVOList: [{ iccid: demo.ICCID_ESIM }] });
  assert.ok(sims);
  assert.ok(await c.queryUsageTrajectories({ iccid: demo.ICCID_ACTIVE, packageID: demo.BUNDLE_HK_MO_5GB }));
  assert.ok(await c.endPackage({ iccidPackageList: [{ iccid: demo.ICCID_ACTIVE, packageid: demo.BUNDLE_HK_MO_5GB }] }));
  await c.unsubscribeOrder({ orderId: order.orderID });
  assert.ok(await c.queryEsimCardInfo({ iccid: demo.ICCID_ESIM }));
  assert.ok(await c.queryUpccTemplates({}));
  const added = await c.addPackage({
    name: 'all', desc: '', keepPeriod: '3', flowLimitType: 1, controlLogic: 2, isSupportedHotspots: 2,
    isSupportDirect: '2', noLimitTemplateId: 'P23061314255918', mccList: ['454'], supportRefuel: 2,
  });
  assert.ok(added.data);
  await c.updatePackage({ id: added.data, effectiveDay: '30' });
  await c.deletePackage({ id: added.data });
  const refuel = await c.addRefuelPackage({ flowValue: '100' });
  assert.ok(refuel.data.id);
  assert.ok(await c.queryRefuelPackages({}));
  await c.deleteRefuelPackage({ refuelId: refuel.data.id });
  assert.ok(await c.queryChannelApps({}));
  assert.ok(await c.queryCountryGroups({ isSupportedHotspots: '1' }));

  const stats = await sb.admin('GET', 'stats');
  const never = Object.entries(stats.calls).filter(([, n]) => n === 0);
  assert.deepEqual(never, [], 'every operation reached the sandbox');
  const state = await sb.admin('GET', 'state');
  assert.equal(state.deposit.amount_cents, state.deposit.initial_cents, 'the one order was refunded');
});

test('the token is fetched once and reused across calls', async () => {
  const c = new Client(sb.options);
  await Promise.all(Array.from({ length: 16 }, () => c.queryUpccTemplates({})));
  assert.equal(c.tokenRequests, 1);
  await c.invalidateToken();
  await c.queryUpccTemplates({});
  assert.equal(c.tokenRequests, 2);
});

test('a custom fetch carries every request', async () => {
  const seen = [];
  const c = new Client({
    ...sb.options,
    fetch: (url, init) => {
      seen.push(new URL(url).pathname);
      return fetch(url, init);
    },
  });
  await c.queryChannelApps({});
  assert.deepEqual(seen, ['/aep/APP_getAccessToken_SBO/v1', '/aep/SBO_channel_app/v1']);
});

test('Client.fromEnv reads the sandbox lines', async () => {
  const c = Client.fromEnv(sb.env);
  assert.ok(await c.queryUpccTemplates({}));
});
