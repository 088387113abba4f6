// examples/node/first-call.mjs (the Node quick start's whole program) run as a program
// against the sandbox, with the three CMI_* lines the sandbox prints as its environment.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startSandbox } from './sandbox.mjs';

const program = new URL('../../examples/node/first-call.mjs', import.meta.url).pathname;
let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

test('first-call.mjs prints the templates and both kinds of error', () => {
  const out = execFileSync('node', [program], { env: { ...process.env, ...sb.env }, encoding: 'utf8' });
  assert.match(out, /^\d+ speed templates$/m);
  assert.match(out, /^validation iccid false invalid `iccid`/m);
  assert.match(out, /^api 1000013 false ICCID does not exist$/m);
});
