// examples/node/portal: a support agent types an ICCID in headless Chromium and sees the card's
// bundles, usage and eSIM state, relayed by the portal server to the sandbox. The page never
// receives a credential: every response it sees is searched for the app secret and the tokens.
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withChromium } from './chromium.mjs';
import { Client } from 'cmi-datacard';
import { createPortal } from '../../examples/node/portal/server.mjs';
import { demo, startSandbox } from './sandbox.mjs';

// A test artifact, never in the repository.
const ARTIFACTS = join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'cmi-target'), 'artifacts');
const SESSION = 'agent-session-7f3c9a';

let sb;
let server;
let base;
// Every access token the platform issued to the portal's client (read off its own fetch).
const tokens = new Set();
function collectTokens(value, key = '') {
  if (typeof value === 'string' && /token/i.test(key) && value.length > 0) tokens.add(value);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collectTokens(v, k);
}
async function recordingFetch(url, init) {
  const res = await fetch(url, init);
  if (/token/i.test(String(url))) collectTokens(await res.clone().json().catch(() => null));
  return res;
}

before(async () => {
  sb = await startSandbox();
  const client = Client.fromEnv(sb.env, { fetch: recordingFetch });
  server = createPortal({ client, sessions: [SESSION] });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.close();
  sb.stop();
});

test('the relay refuses callers without a session and operations off the allow-list', async () => {
  const call = (operation, cookie) =>
    fetch(`${base}/api/cmi`, { method: 'POST', headers: cookie ? { cookie } : {}, body: JSON.stringify({ operation, body: { iccid: demo.ICCID_ACTIVE } }) });
  assert.equal((await call('queryQuota')).status, 403);
  assert.equal((await call('queryQuota', 'agent_session=guess')).status, 403);
  assert.equal((await call('endPackage', `agent_session=${SESSION}`)).status, 403);
  assert.equal((await call('queryQuota', `agent_session=${SESSION}`)).status, 200);
});

test('an agent looks up a card in headless Chromium', { timeout: 120_000 }, async (t) => {
  await withChromium(t, { viewport: { width: 1024, height: 640 } }, async (browser) => {
    // The portal's own login would set this cookie.
    await browser.addCookies([{ name: 'agent_session', value: SESSION, url: base, httpOnly: true, sameSite: 'Strict' }]);
    const page = await browser.newPage();
    const logs = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    const seen = [];
    page.on('response', (r) => seen.push(Promise.all([r.url(), r.allHeaders(), r.text().catch(() => '')])));

    await page.goto(`${base}/`);
    await page.fill('#iccid', demo.ICCID_ACTIVE);
    await page.click('button');
    await page.waitForSelector('body[data-state]', { timeout: 60_000 });
    const state = await page.getAttribute('body', 'data-state');
    assert.equal(state, 'done', `${await page.textContent('#status')}\n${logs.join('\n')}`);

    assert.equal(await page.textContent('#esim-state'), 'Enabled');
    const rows = await page.$$eval('#bundles tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 1);
    const [name, status, used, remaining] = rows[0];
    assert.deepEqual([name, status], ['Hong Kong & Macau 5GB 7 days', 'Activated']);
    // The sandbox's card keeps using data as its clock runs: the quota's two halves add up.
    const megabytes = (text) => Number(text.match(/^([\d.]+) MB$/)?.[1]);
    assert.ok(megabytes(used) > 0 && megabytes(remaining) > 0, `${used} / ${remaining}`);
    assert.ok(Math.abs(megabytes(used) + megabytes(remaining) - 5120) < 0.1, `${used} + ${remaining} is the 5 GB bundle`);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'portal.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10 * 1024, `${shot} is ${statSync(shot).size} bytes`);

    const responses = await Promise.all(seen);
    assert.ok(responses.some(([url]) => url.endsWith('/api/cmi')), 'the page used the relay');
    assert.ok(tokens.size > 0, 'the portal client fetched a token');
    for (const [url, headers, body] of responses) {
      const text = JSON.stringify(headers) + body;
      assert.ok(!text.includes(sb.appSecret), `${url} carries the app secret`);
      for (const token of tokens) assert.ok(!text.includes(token), `${url} carries an access token`);
    }
  });
});
