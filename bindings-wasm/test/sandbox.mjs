// Starts the CMI sandbox (`cmi sandbox --port 0`) for the tests and the benchmark, and talks to
// its admin API. The binary is $CMI_BIN, else the workspace's debug `cmi` (built when missing;
// scripts/test has built it already in its cargo test stage).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('../..', import.meta.url).pathname;

function cmiBinary() {
  if (process.env.CMI_BIN) return process.env.CMI_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'cmi-target');
  const bin = join(target, 'debug', 'cmi');
  if (!existsSync(bin)) execFileSync('cargo', ['build', '-q', '-p', 'cmi-cli', '--bin', 'cmi'], { cwd: root, stdio: 'inherit' });
  return bin;
}

/** A running sandbox: `{baseUrl, appKey, appSecret, options, admin(method, path, body), stop()}`.
 * `args`: more `cmi sandbox` flags (e.g. `--revoke-on-reissue`). */
export async function startSandbox(args = []) {
  const child = spawn(cmiBinary(), ['sandbox', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const env = {};
  for await (const line of lines) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
    if (Object.keys(env).length === 3) break;
  }
  // Keep draining stdout so the sandbox never blocks on a full pipe.
  child.stdout.resume();
  const baseUrl = env.CMI_BASE_URL;
  if (!baseUrl) throw new Error('the sandbox did not print CMI_BASE_URL');
  const admin = async (method, path, body) => {
    const res = await fetch(`${baseUrl}/_sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    baseUrl,
    appKey: env.CMI_APP_KEY,
    appSecret: env.CMI_APP_SECRET,
    env,
    options: { baseUrl, appKey: env.CMI_APP_KEY, appSecret: env.CMI_APP_SECRET },
    admin,
    stop() {
      child.kill();
    },
  };
}

/** Demo data of the sandbox (sandbox/src/dataset.rs). */
export const demo = {
  ICCID_ESIM: '89852342024000000013',
  ICCID_ACTIVE: '89852342024000000021',
  ICCID_PENDING: '89852342024000000047',
  BUNDLE_HK_DAILY: 'D2401011200000000001',
  BUNDLE_HK_MO_5GB: 'D2401011200000000002',
  BUNDLE_CN_3GB: 'D2401011200000000003',
  BUNDLE_ASIA: 'D2401011200000000007',
};
