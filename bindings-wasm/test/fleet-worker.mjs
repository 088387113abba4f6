// One worker of fleet.test.mjs (a worker thread): a Client sharing its token through Redis with
// the example adapter; makes `calls` concurrent cold calls when the parent says go.
import { Client } from 'cmi-datacard';
import { createClient } from 'redis';
import { parentPort, workerData } from 'node:worker_threads';
import { redisTokenStore } from '../examples/redis-token-store.mjs';

const { options, redisUrl, calls } = workerData;
const redis = await createClient({ url: redisUrl }).connect();
// A generous store deadline: the test machine is shared and busy, and a timed-out store call
// would (correctly) fall back to a local token, which is not what this test is about.
const client = new Client({ ...options, tokenStore: redisTokenStore(redis), tokenStoreTimeoutMs: 5000 });
parentPort.postMessage({ ready: true });
parentPort.once('message', async () => {
  const results = await Promise.allSettled(Array.from({ length: calls }, () => client.queryUpccTemplates({})));
  const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));
  parentPort.postMessage({ ok: results.length - failures.length, failures, tokenRequests: client.tokenRequests });
  await redis.quit();
});
