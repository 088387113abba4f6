// Headless Chromium for the browser tests: a fresh profile per run and the flags this
// machine's closed network needs. Missing Chromium fails in CI and skips loudly elsewhere.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Runs `fn(browser)` in a headless Chromium context (`options` go to playwright), then closes it. */
export async function withChromium(t, options, fn) {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) assert.fail(`${CHROMIUM} missing (scripts/setup installs chromium)`);
    t.skip(`${CHROMIUM} missing`);
    return;
  }
  // A fresh profile directory per run (playwright passes it as --user-data-dir).
  const profile = mkdtempSync(join(tmpdir(), 'cmi-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    await fn(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
