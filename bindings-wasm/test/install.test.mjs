// `npm install ./cmi-datacard-<version>.tgz` in an empty folder, then the README's example,
// run against the sandbox.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox } from './sandbox.mjs';

const here = new URL('..', import.meta.url).pathname;
let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

test('the packed tarball installs and runs the README example', { timeout: 120_000 }, () => {
  const version = JSON.parse(readFileSync(join(here, 'pkg', 'package.json'), 'utf8')).version;
  const tgz = join(here, 'dist', `cmi-datacard-${version}.tgz`);
  const readme = readFileSync(join(here, 'README.md'), 'utf8');
  const example = readme.match(/<!-- example -->\s*```js\n([\s\S]*?)```/)?.[1];
  assert.ok(example, 'README has the marked example');
  assert.ok(example.trim().split('\n').length <= 5, 'the example is at most 5 lines');
  const dir = mkdtempSync(join(tmpdir(), 'cmi-install-'));
  try {
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz], { cwd: dir, stdio: 'inherit' });
    writeFileSync(join(dir, 'example.mjs'), example);
    const out = execFileSync('node', ['example.mjs'], { cwd: dir, env: { ...process.env, ...sb.env }, encoding: 'utf8' });
    assert.match(out, /\d+ speed templates/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
