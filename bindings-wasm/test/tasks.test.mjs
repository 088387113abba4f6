// How the module runs calls (src/tasks.rs): a call starts at once, a host that reports while
// the module is still inside the call, and calls started from inside a custom fetch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from 'cmi-datacard';
import { startSandbox } from './sandbox.mjs';

let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

test("a call's first request is on its way when the method returns", async () => {
  const urls = [];
  const c = new Client({ ...sb.options, fetch: (url, init) => (urls.push(url), fetch(url, init)) });
  const pending = c.queryUpccTemplates({});
  assert.equal(urls.length, 1);
  assert.match(urls[0], /APP_getAccessToken_SBO/);
  await pending;
  const again = c.queryUpccTemplates({});
  assert.match(urls.at(-1), /SBO_queryUpccTemplate/);
  await again;
});

test('a fetch that throws before returning a promise fails the call, and the next call works', async () => {
  let broken = true;
  const c = new Client({
    ...sb.options,
    maxRetries: 1,
    fetch: (url, init) => {
      if (broken) throw new TypeError('no network here');
      return fetch(url, init);
    },
  });
  await assert.rejects(c.queryUpccTemplates({}), (e) => e.kind === 'transport' && /no network here/.test(e.message));
  broken = false;
  assert.ok(Array.isArray((await c.queryUpccTemplates({})).upccTemplate));
});

test('calls started from inside a fetch (the module is mid-call) all complete', async () => {
  const nested = [];
  const c = new Client({
    ...sb.options,
    fetch: (url, init) => {
      if (nested.length < 3) nested.push(c.queryUpccTemplates({}));
      return fetch(url, init);
    },
  });
  await c.queryUpccTemplates({});
  const answers = await Promise.all(nested);
  assert.equal(answers.length, 3);
  for (const a of answers) assert.ok(Array.isArray(a.upccTemplate));
  assert.equal(c.tokenRequests, 1);
});

test('64 cold calls share one token request and all resolve', async () => {
  const c = new Client(sb.options);
  const answers = await Promise.all(Array.from({ length: 64 }, () => c.queryUpccTemplates({})));
  assert.equal(answers.length, 64);
  assert.equal(c.tokenRequests, 1);
});
