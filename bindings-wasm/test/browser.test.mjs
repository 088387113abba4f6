// Headless Chromium loads the package from a local page (the browser entry, with its wasm),
// checks the secret guard, and completes a call through the relay to the sandbox.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { withChromium } from './chromium.mjs';
import { Client, createRelayHandler } from 'cmi-datacard';
import { startSandbox } from './sandbox.mjs';

const pkg = new URL('../pkg/', import.meta.url).pathname;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>cmi-datacard</title>
<script type="module">
  const out = {};
  try {
    const m = await import('/pkg/index.browser.js');
    try {
      new m.Client({ baseUrl: 'https://example.com', appKey: 'k', appSecret: 's' });
      out.guard = 'no error';
    } catch (e) {
      out.guard = e.name + ':' + e.kind;
    }
    const relay = new m.RelayClient({ url: '/relay' });
    const answer = await relay.queryDataBundles({ cooperationMode: 'Consignment' });
    out.bundles = answer.dataBundles.length;
    try {
      await relay.queryQuota({});
    } catch (e) {
      out.error = e.name + ':' + e.kind;
    }
  } catch (e) {
    out.failure = String(e && e.stack || e);
  }
  window.__result = out;
</script>`;

let sb;
let server;
let base;
before(async () => {
  sb = await startSandbox();
  const relay = createRelayHandler(new Client(sb.options), { authorize: () => true });
  server = createServer((req, res) => {
    if (req.url === '/relay') return relay(req, res);
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (req.url.startsWith('/pkg/')) {
      const file = normalize(join(pkg, req.url.slice(5)));
      if (file.startsWith(pkg) && existsSync(file)) {
        return res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.close();
  sb.stop();
});

test('the package works in headless Chromium through the relay', { timeout: 120_000 }, async (t) => {
  await withChromium(t, {}, async (browser) => {
    const page = await browser.newPage();
    const logs = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.failure, undefined, `${result.failure}\n${logs.join('\n')}`);
    assert.equal(result.guard, 'CmiError:config');
    assert.ok(result.bundles > 0);
    assert.equal(result.error, 'CmiError:validation');
  });
});
