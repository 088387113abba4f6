// Fleet mode from Node: clients in 4 worker threads share one token through a real
// redis-server (the example adapter, examples/redis-token-store.mjs), against the sandbox in
// revoke-on-reissue mode, where a second token would log the first one out. And a store that
// fails or hangs never fails a call.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Client } from 'cmi-datacard';
import { createClient } from 'redis';
import { startSandbox } from './sandbox.mjs';

const WORKERS = 4;
const CALLS = 25;

const haveRedis = spawnSync('redis-server', ['--version']).error === undefined;
if (!haveRedis) {
  if (process.env.CI) throw new Error('redis-server is not installed (scripts/setup installs it); CI requires the fleet test');
  console.warn('\n*** fleet.test.mjs: redis-server not found: SKIPPING the Node fleet test (apt install redis-server) ***\n');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  // Ready once it answers a PING.
  for (let i = 0; i < 100; i++) {
    try {
      const c = await createClient({ url, socket: { reconnectStrategy: false } }).connect();
      await c.ping();
      await c.quit();
      return { url, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill();
  throw new Error(`redis-server did not answer on port ${port}`);
}

function runWorker(options, redisUrl) {
  const worker = new Worker(new URL('./fleet-worker.mjs', import.meta.url), { workerData: { options, redisUrl, calls: CALLS } });
  let onReady;
  const ready = new Promise((r) => (onReady = r));
  const done = new Promise((resolve, reject) => {
    worker.on('message', (m) => (m.ready ? onReady() : resolve(m)));
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
  });
  return { ready, done, go: () => worker.postMessage('go') };
}

describe('fleet: one token for 4 workers through redis', { skip: !haveRedis }, () => {
  let sb;
  let redis;
  before(async () => {
    redis = await startRedis();
    sb = await startSandbox(['--revoke-on-reissue']);
  });
  after(() => {
    sb?.stop();
    redis?.stop();
  });

  test(`${WORKERS} workers x ${CALLS} concurrent cold calls: one token issued, no rejection`, async () => {
    const workers = Array.from({ length: WORKERS }, () => runWorker(sb.options, redis.url));
    // Every worker has loaded the module and connected before any call starts.
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.done));
    assert.deepEqual(
      results.flatMap((r) => r.failures),
      [],
    );
    assert.equal(
      results.reduce((n, r) => n + r.ok, 0),
      WORKERS * CALLS,
    );
    assert.equal(
      results.reduce((n, r) => n + r.tokenRequests, 0),
      1,
    );
    const stats = await sb.admin('GET', 'stats');
    assert.equal(stats.token_issues, 1);
    assert.equal(stats.token_rejections, 0);
  });
});

describe('a failing token store never fails a call', () => {
  let sb;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => sb.stop());

  const calls = (client, n) => Promise.all(Array.from({ length: n }, () => client.queryUpccTemplates({})));

  test('methods that throw or reject', async () => {
    const boom = () => {
      throw new Error('store down');
    };
    const rejecting = async () => {
      throw new Error('store down');
    };
    for (const m of [boom, rejecting]) {
      const client = new Client({ ...sb.options, tokenStore: { get: m, set: m, lock: m, unlock: m, delete: m } });
      const answers = await calls(client, 10);
      assert.equal(answers.length, 10);
      // The local copy and the client's own single flight still give one token.
      assert.equal(client.tokenRequests, 1);
    }
  });

  test('methods that never resolve', async () => {
    const never = () => new Promise(() => {});
    const client = new Client({ ...sb.options, tokenStore: { get: never, set: never, lock: never }, tokenStoreTimeoutMs: 50 });
    const started = Date.now();
    await calls(client, 10);
    await calls(client, 10);
    assert.equal(client.tokenRequests, 1);
    assert.ok(Date.now() - started < 5000, 'the store deadline bounds the wait');
  });

  test('the store holds the token record under a fingerprint, never the key or secret', async () => {
    const data = new Map();
    const store = {
      get: async (k) => data.get(k),
      set: async (k, v) => void data.set(k, v),
      lock: async (k) => !data.has(k) && (data.set(k, '1'), true),
      unlock: async (k) => void data.delete(k),
    };
    const client = new Client({ ...sb.options, tokenStore: store });
    await calls(client, 5);
    assert.deepEqual([...data.keys()].map((k) => k.replace(/[0-9a-f]{24}/, 'FP')), ['cmi-token:FP']);
    const record = JSON.parse([...data.values()][0]);
    assert.deepEqual(Object.keys(record).sort(), ['expires_at_ms', 'token', 'v']);
    const text = JSON.stringify([...data]);
    assert.ok(!text.includes(sb.appSecret) && !text.includes(sb.appKey));
    // A second client of the same credential uses the stored token.
    const other = new Client({ ...sb.options, tokenStore: store });
    await calls(other, 3);
    assert.equal(other.tokenRequests, 0);
  });

  test('a store without get, set or lock is refused', () => {
    assert.throws(() => new Client({ ...sb.options, tokenStore: { get() {} } }), { kind: 'config' });
  });
});
