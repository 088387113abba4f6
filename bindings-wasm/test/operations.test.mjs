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
  const token = await c.getAccessToken({ id: sb.appKey, accountType: '106' });
  assert.ok(token.accessToken);
  const bundles = await c.queryDataBundles({ cooperationMode: 'Consignment' });
  assert.ok(bundles.dataBundles.length > 0);
  await c.activateDataBundle({ iccid: demo.ICCID_PENDING, dataBundleId: demo.BUNDLE_CN_3GB, mcc: '460' });
  const himsi = await c.queryHimsiState({ iccid: demo.ICCID_ESIM });
  assert.equal(himsi.mobileCountryCode, '454');
  const order = await c.createOrder({ thirdOrderId: 'js-all-1', purchaseKind: 'Bundle', dataBundleId: demo.BUNDLE_ASIA, quantity: 1, iccid: demo.ICCID_ESIM });
  assert.ok(order.orderId);
  const subs = await c.querySubscribedBundles({ iccid: demo.ICCID_ESIM, language: 'English' });
  assert.ok(JSON.stringify(subs).includes(order.orderId));
  assert.ok((await c.queryCarriers({ language: 'English' })).stateList.length > 0);
  assert.ok(await c.queryQuota({ iccid: demo.ICCID_ACTIVE }));
  const sims = await c.querySimInfo({ items: [{ iccid: demo.ICCID_ESIM }] });
  assert.equal(sims.himsis.length, 1);
  assert.ok(await c.queryUsageTrajectories({ iccid: demo.ICCID_ACTIVE, dataBundleId: demo.BUNDLE_HK_MO_5GB }));
  assert.ok(await c.endPackage({ iccidPackageList: [{ iccid: demo.ICCID_ACTIVE, dataBundleId: demo.BUNDLE_HK_MO_5GB }] }));
  await c.unsubscribeOrder({ orderId: order.orderId });
  assert.ok(await c.queryEsimCardInfo({ iccid: demo.ICCID_ESIM }));
  assert.ok(await c.queryUpccTemplates({}));
  const added = await c.addPackage({
    name: 'all', description: '', keepPeriod: '3', flowLimitType: 'PerCycle', controlLogic: 'Throttle', isSupportedHotspots: 'No',
    isSupportDirect: 'No', noLimitTemplateId: 'P23061314255918', mccList: ['454'], supportRefuel: 'No',
  });
  assert.ok(added.dataBundleId);
  await c.updatePackage({ dataBundleId: added.dataBundleId, effectiveDay: '30' });
  await c.deletePackage({ dataBundleId: added.dataBundleId });
  const refuel = await c.addRefuelPackage({ flowValue: '100' });
  assert.ok(refuel.refuelPack.refuelingId);
  assert.ok(await c.queryRefuelPackages({}));
  await c.deleteRefuelPackage({ refuelingId: refuel.refuelPack.refuelingId });
  assert.ok(await c.queryChannelApps({}));
  assert.ok(await c.queryCountryGroups({ isSupportedHotspots: 'Yes' }));

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

test('answers are the camelCase surface: enum names, numbers, no wire names', async () => {
  const c = new Client(sb.options);
  const { upccTemplate } = await c.queryUpccTemplates({});
  assert.ok(upccTemplate.length > 0);
  for (const t of upccTemplate) {
    assert.equal(typeof t.upccTemplateId, 'string');
    assert.equal(t.templateId, undefined, 'no wire name');
    assert.ok(t.supportHotspot === undefined || ['Yes', 'No'].includes(t.supportHotspot));
    for (const v of Object.values(t)) assert.notEqual(v, null, 'absent, never null');
  }
  // wire names are accepted on the way in
  assert.ok(await c.queryDataBundles({ cooperationMode: '1' }));
});

test('an unknown request field is refused, naming it', async () => {
  const c = new Client(sb.options);
  await assert.rejects(c.queryUpccTemplates({ templateNmae: 'x' }), (e) => e.kind === 'validation' && /templateNmae/.test(e.field + e.message));
});

test('Client.fromEnv reads the sandbox lines', async () => {
  const c = Client.fromEnv(sb.env);
  assert.ok(await c.queryUpccTemplates({}));
});
