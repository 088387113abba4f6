// Calls per second of cmi-datacard (wasm) against a hand-written fetch + node:crypto client
// (plain-client.ts), both on the same sandbox, at concurrency 1 and 64. Not a test: run it on
// a quiet machine (`npm run bench` after `npm run build`).
//   node bench/bench.mjs [--seconds N] [--operation camelName]
// Prints a table and one JSON line starting with {"bench":"cmi-datacard-node", ...}.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'cmi-datacard';
import { startSandbox } from '../test/sandbox.mjs';

const here = new URL('.', import.meta.url).pathname;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seconds = Number(arg('seconds', '5'));
const operation = arg('operation', 'queryUpccTemplates');

execFileSync(new URL('../node_modules/.bin/tsc', import.meta.url).pathname, ['-p', here], { stdio: 'inherit' });
const { PlainClient } = await import('./.out/plain-client.js');

const sb = await startSandbox();
const PATHS = { queryUpccTemplates: 'SBO_queryUpccTemplate/v1', queryDataBundles: 'app_getDataBundle_SBO/v1', queryChannelApps: 'SBO_channel_app/v1' };
const wasm = new Client(sb.options);
const plain = new PlainClient(sb.baseUrl, sb.appKey, sb.appSecret);
const runners = {
  wasm: () => wasm[operation](operation === 'queryDataBundles' ? { cooperationMode: 'Consignment' } : {}),
  plain: () => plain.call(PATHS[operation], operation === 'queryDataBundles' ? { cooperationMode: '1' } : {}),
};

async function measure(fn, concurrency, ms) {
  let calls = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      await fn();
      calls++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return calls / ((performance.now() - start) / 1000);
}

const results = {};
try {
  for (const fn of Object.values(runners)) await measure(fn, 8, 500); // warm up both (JIT, token, sockets)
  for (const concurrency of [1, 64]) {
    // Alternate the two clients in short rounds, so drift in machine load hits both alike.
    const sums = { wasm: 0, plain: 0 };
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of Object.entries(runners)) sums[name] += await measure(fn, concurrency, (seconds * 1000) / rounds);
    }
    results[concurrency] = { wasm: sums.wasm / rounds, plain: sums.plain / rounds };
  }
} finally {
  sb.stop();
}

const size = (() => {
  try {
    return JSON.parse(readFileSync(new URL('../dist/size.json', import.meta.url), 'utf8'));
  } catch {
    return {};
  }
})();
console.log(`operation ${operation}, ${seconds}s per client and concurrency`);
for (const [c, r] of Object.entries(results)) {
  console.log(`concurrency ${String(c).padStart(2)}: wasm ${r.wasm.toFixed(0)}/s, plain ${r.plain.toFixed(0)}/s, ratio ${(r.wasm / r.plain).toFixed(3)}`);
}
console.log(
  JSON.stringify({
    bench: 'cmi-datacard-node',
    operation,
    seconds,
    node: process.version,
    c1: { wasm_per_s: Math.round(results[1].wasm), plain_per_s: Math.round(results[1].plain), ratio: +(results[1].wasm / results[1].plain).toFixed(3) },
    c64: { wasm_per_s: Math.round(results[64].wasm), plain_per_s: Math.round(results[64].plain), ratio: +(results[64].wasm / results[64].plain).toFixed(3) },
    size_gzip_bytes: size.total_gzip_bytes,
  }),
);
