/**
 * When no Docker engine answers, the Start screen says so clearly (what is wrong, what to do) and the
 * rest of the app still works without one: replaying a capture needs no engine. DOCKER_HOST points at a
 * socket that does not exist, which is exactly what a user with a stopped engine has.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type Serving } from '../../electron/server/serve.js';
import { fixtureCapture } from './fixture-capture.js';
import { openBrowser, screenshot, type Browser } from './browser.js';

let serving: Serving;
let browser: Browser;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imprint-e2e-down-'));
  process.env.DOCKER_HOST = `unix://${join(dir, 'no-such-docker.sock')}`;
  await writeFile(join(dir, 'normal.imprint'), fixtureCapture());
  serving = await startServe({ workspace: dir, appRoot: process.cwd() });
  browser = await openBrowser({ dark: true });
});
after(async () => {
  await browser?.close();
  await serving?.close();
  await rm(dir, { recursive: true, force: true });
});

test('engine down: a clear state on Start, runs disabled, replay still works', async () => {
  const { page } = browser;
  await page.goto(serving.url);
  const status = page.getByTestId('engine-status');
  await status.getByText('not reachable', { exact: true }).waitFor();
  assert.match(await status.textContent() ?? '', /no-such-docker\.sock|not running|does not answer|cannot connect/i);
  assert.ok(await status.locator('.fix').count() === 1, 'the fix is named');
  assert.equal(await page.getByRole('button', { name: 'Run compose' }).isDisabled(), true);
  await page.getByTestId('images').getByText(/./).first().waitFor();
  await screenshot(page, 'engine-down-start');
  await page.getByTestId('recent-captures').getByText('normal.imprint').click();
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  assert.deepEqual(browser.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
