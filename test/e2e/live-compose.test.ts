/**
 * The desktop app end to end on the real engine, through browser mode: run the fixture compose file from
 * the Start screen and watch processes, graph and timeline fill live; save its baseline; load it; run a
 * drifting variant and see the deviations highlighted. Real dockerd, real probe, real Chromium. Every
 * container carries `imprint.test=1` and none is left behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServe, type Serving } from '../../electron/server/serve.js';
import { parseBaseline } from '../../common/baseline/file.js';
import { openBrowser, screenshot, type Browser } from './browser.js';
import { fixtureCapture } from './fixture-capture.js';

let serving: Serving;
let browser: Browser;
let dir: string;

/** Other test files may run containers at the same time: this file's own label tells its ones apart. */
const TEST_ID = `ui-${process.pid}-${Date.now()}`;
const leftovers = () => execFileSync('docker', ['ps', '-aq', '--filter', `label=imprint.e2e=${TEST_ID}`]).toString().trim();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imprint-e2e-live-'));
  const trio = await readFile('test/fixtures/compose/trio.yaml', 'utf8');
  await writeFile(join(dir, 'trio.yaml'), trio);
  // The drifting variant: the client also runs a new program, writes under /etc and calls a new port.
  await writeFile(join(dir, 'trio-drift.yaml'), trio.replace('test -s page.html && echo fetched',
    'test -s page.html && echo fetched\n        id -u > /etc/imprint-drift\n        redis-cli -h cache -p 6390 ping || true'));
  serving = await startServe({ workspace: dir, appRoot: process.cwd(), labels: { 'imprint.test': '1', 'imprint.e2e': TEST_ID } });
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await serving?.close();
  await rm(dir, { recursive: true, force: true });
  assert.equal(leftovers(), '', 'no test container left behind');
});

async function runCompose(file: string, until = 'client'): Promise<void> {
  const { page } = browser;
  await page.keyboard.press('s');
  await page.getByTestId('engine-status').getByText('connected').waitFor();
  await page.getByTestId('compose-path').fill(file);
  await page.getByTestId('compose-until').fill(until);
  await page.getByRole('button', { name: 'Run compose' }).click();
  await page.getByTestId('run-status').waitFor();
}

test('a compose run fills processes, graph and timeline live, and its baseline is saved', { timeout: 240_000 }, async () => {
  const { page } = browser;
  await page.goto(serving.url);
  await runCompose('trio.yaml');
  // While it runs: events stream in and the panels fill.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=total-events]')?.textContent?.replace(/,/g, '')) > 0, undefined, { timeout: 60_000 });
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 120_000 });
  assert.match(await page.getByTestId('run-status').textContent() ?? '', /exited \(0\)/);
  assert.equal(await page.getByTestId('dropped').textContent(), '0');
  const tree = page.getByTestId('process-tree');
  for (const exe of ['redis-server', 'nginx', 'curl', 'redis-cli']) await tree.getByText(exe, { exact: true }).first().waitFor();
  const nodes = page.getByTestId('graph-node-list');
  for (const svc of ['cache', 'web', 'client']) await nodes.getByText(svc, { exact: true }).waitFor();
  await nodes.getByText('tcp/6379 of cache', { exact: true }).waitFor(); // a listen port names its service
  assert.ok(Number(await page.getByTestId('graph').getAttribute('data-edges')) >= 2, 'client → cache and client → web');
  assert.ok(Number(await page.getByTestId('timeline').getAttribute('data-lanes')) >= 6);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=timeline]')?.getAttribute('data-in-view')) > 0);
  await page.locator('canvas[data-testid=graph][data-settled=true]').waitFor();
  await screenshot(page, 'live-trio');

  await page.keyboard.press('b');
  await page.getByTestId('baseline-out').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await page.getByTestId('baseline-saved').waitFor();
  const baseline = parseBaseline(await readFile(join(dir, 'baseline.yaml'), 'utf8'));
  assert.deepEqual(Object.keys(baseline.services).sort(), ['cache', 'client', 'web']);
  await page.getByTestId('baseline-load-path').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByTestId('baseline-loaded').waitFor();
  assert.deepEqual(browser.errors, []);
});

test('a drifting run shows its deviations live against the loaded baseline', { timeout: 240_000 }, async () => {
  const { page } = browser;
  await runCompose('trio-drift.yaml');
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 120_000 });
  await page.getByTestId('verdict').filter({ hasText: 'drift' }).waitFor({ timeout: 30_000 });
  const deviations = page.getByTestId('deviations');
  await deviations.getByText('/etc/imprint-drift', { exact: true }).waitFor();
  await deviations.getByText('/usr/bin/id', { exact: true }).waitFor();
  await deviations.getByText(/cache:6390/).first().waitFor();
  await page.getByTestId('graph-node-list').locator('li').filter({ hasText: 'cache' }).first().waitFor();
  await page.getByTestId('process-tree').locator('.tree-row.danger').first().waitFor();
  await screenshot(page, 'live-trio-drift');
  await deviations.scrollIntoViewIfNeeded();
  await screenshot(page, 'live-trio-drift-deviations');
  assert.deepEqual(browser.errors, []);
});

test('a page reloaded during a run picks it up with its events so far, and Stop ends it', { timeout: 240_000 }, async () => {
  const { page } = browser;
  if (!page.url().startsWith('http')) await page.goto(serving.url);
  // No --until: cache and web keep running until the user stops the run.
  await runCompose('trio.yaml', '');
  await page.getByTestId('process-tree').getByText('redis-server', { exact: true }).waitFor({ timeout: 60_000 });
  await page.reload();
  await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor();
  await page.getByTestId('process-tree').getByText('redis-server', { exact: true }).waitFor();
  await page.getByTestId('process-tree').getByText('nginx', { exact: true }).waitFor();
  const seqs = await page.evaluate(() => document.querySelector('[data-testid=total-events]')?.textContent);
  assert.ok(Number(seqs?.replace(/,/g, '')) > 20, `events from before the reload are back (${seqs})`);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 60_000 });
  // the 143s are the answer to the stop the user asked for, and the header says so
  await page.getByTestId('stopped-by').filter({ hasText: 'stopped by you' }).waitFor();
  // Nothing lost and nothing twice: the page holds exactly the events the engine reports.
  const serverCount = await page.evaluate(async () => {
    const res = await fetch('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'run.list', args: {} }) });
    const { result } = (await res.json()) as { result: { events: number }[] };
    return result.at(-1)!.events;
  });
  await page.getByTestId('total-events').filter({ hasText: serverCount.toLocaleString('en-US') }).waitFor();
  assert.deepEqual(browser.errors, []);
});

test('a push stream that breaks mid-run catches up when it comes back: nothing lost, nothing twice', { timeout: 240_000 }, async () => {
  const { page } = browser;
  if (!page.url().startsWith('http')) await page.goto(serving.url);
  await runCompose('trio.yaml', '');
  // Cut the push stream as the run starts: the client's work happens while the page is reconnecting.
  assert.equal(serving.disconnectPushes(), 1);
  await page.getByTestId('process-tree').getByText('curl', { exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 60_000 });
  const serverCount = await page.evaluate(async () => {
    const res = await fetch('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'run.list', args: {} }) });
    const { result } = (await res.json()) as { result: { events: number }[] };
    return result.at(-1)!.events;
  });
  await page.getByTestId('total-events').filter({ hasText: serverCount.toLocaleString('en-US') }).waitFor();
  assert.deepEqual(browser.errors.filter((e) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|Failed to load resource/.test(e)), []);
});

test('one image from the Start form: pick it from the list, give a command and env, watch it exit', { timeout: 240_000 }, async () => {
  const { page } = browser;
  if (!page.url().startsWith('http')) await page.goto(serving.url);
  await page.keyboard.press('s');
  await page.getByRole('searchbox', { name: 'Search images' }).fill('busybox:latest');
  await page.getByTestId('images').getByText('imprint-fixture/busybox:latest').click();
  assert.equal(await page.getByTestId('run-image').inputValue(), 'imprint-fixture/busybox:latest');
  await page.getByLabel('Command').fill(`sh -c 'echo "hello $WHO"; cat /etc/hostname > /dev/null'`);
  await page.getByLabel('Environment').fill('WHO=reviewers');
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 120_000 });
  assert.match(await page.getByTestId('run-status').textContent() ?? '', /exited \(0\)/);
  await page.getByTestId('logs').getByText('hello reviewers').waitFor();
  // the probe names the process that wrote each line (PROTOCOL.md, LOG)
  const line = page.getByTestId('logs').locator('.log-line', { hasText: 'hello reviewers' });
  assert.match(await line.locator('.pid').textContent() ?? '', /^[1-9]\d*$/, 'the line names its writer');
  await page.getByTestId('process-tree').getByText('cat', { exact: true }).waitFor();
  await screenshot(page, 'live-single-logs');
  await page.getByTestId('file-activity').getByText('/etc/').first().waitFor();
});

test('unticking "Record which process wrote each output line" runs the probe with --no-log-pids', { timeout: 240_000 }, async () => {
  const { page } = browser;
  await page.keyboard.press('s');
  await page.getByTestId('run-image').fill('imprint-fixture/busybox:latest');
  await page.getByLabel('Command').fill(`echo quiet writer`);
  await page.getByLabel('Environment').fill('');
  const option = page.getByTestId('log-pids').first();
  assert.equal(await option.isChecked(), true, 'on by default');
  await option.uncheck();
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 120_000 });
  const line = page.getByTestId('logs').locator('.log-line', { hasText: 'quiet writer' });
  await line.waitFor();
  assert.equal(await line.locator('.pid').textContent(), '', 'no writer recorded');
  await page.keyboard.press('s');
  // back on Start, the form still holds the run just made: repeating it is one click
  assert.equal(await page.getByLabel('Command').inputValue(), 'echo quiet writer');
  assert.equal(await page.getByTestId('log-pids').first().isChecked(), false);
  await page.getByTestId('log-pids').first().check(); // leave the form as the other tests expect it
});

test('a setuid program that could not elevate is a note naming the fix; the two seccomp switches reach the container', { timeout: 240_000 }, async () => {
  const { page } = browser;
  // The busybox fixture's euid program prints its ids; made setuid to nobody, it elevates only without no_new_privs.
  const script = 'cp /opt/fixture/euid /tmp/euid && chown 65534 /tmp/euid && chmod 4755 /tmp/euid && /tmp/euid; grep Seccomp: /proc/self/status';
  const runIt = async () => {
    await page.getByTestId('run-image').fill('imprint-fixture/busybox:latest');
    await page.getByLabel('Command').fill(`sh -c "${script}"`);
    await page.getByLabel('Environment').fill('');
    await page.getByRole('button', { name: 'Run with probe' }).click();
    await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 120_000 });
  };
  const logs = page.getByTestId('logs');
  await page.keyboard.press('s');
  await runIt();
  await logs.getByText('uid=0 euid=0').waitFor();
  await logs.getByText(/Seccomp:\s+2/).waitFor(); // the engine's profile and the probe's filter
  const note = page.getByTestId('run-notes').locator('.note', { hasText: 'setuid-exec' });
  await note.waitFor();
  assert.match(await note.textContent() ?? '', /\/tmp\/euid.*tick "Let setuid programs gain privileges"/s);
  await screenshot(page, 'live-setuid-note');

  await page.keyboard.press('s');
  await page.getByTestId('no-seccomp').first().check();
  await page.getByTestId('seccomp-unconfined').first().check();
  await runIt();
  await logs.getByText('uid=0 euid=65534').waitFor();
  await logs.getByText(/Seccomp:\s+0/).waitFor(); // neither the engine's profile nor the probe's filter
  assert.equal(await page.getByTestId('run-notes').count(), 0, 'nothing to note');
  await page.keyboard.press('s');
  await page.getByTestId('no-seccomp').first().uncheck(); // leave the form as the other tests expect it
  await page.getByTestId('seccomp-unconfined').first().uncheck();
});

test('a run that cannot start says why, and nothing is left running', async () => {
  const { page } = browser;
  await page.keyboard.press('s');
  await page.getByTestId('run-image').fill('imprint-fixture/no-such-image:latest');
  await page.getByRole('button', { name: 'Run with probe' }).click();
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.match(await banner.textContent() ?? '', /no-such-image/);
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(leftovers(), '');
});

/** How many runs the engine side knows, asked from the page (as the app does). */
async function runCount(): Promise<number> {
  return browser.page.evaluate(async () => {
    const res = await fetch('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'run.list', args: {} }) });
    return ((await res.json()) as { result: unknown[] }).result.length;
  });
}

test('Stop after refuses what it cannot read and takes 2s; env values keep their commas; the button says Starting… meanwhile', { timeout: 240_000 }, async () => {
  const { page } = browser;
  if (!page.url().startsWith('http')) await page.goto(serving.url);
  await page.keyboard.press('s');
  const banner = page.getByTestId('error-banner');
  const before = await runCount();
  await page.getByTestId('run-image').fill('imprint-fixture/busybox:latest');
  await page.getByLabel('Command').fill(`sh -c 'echo "[$GREETING|$LIST]"; sleep 30'`);
  await page.getByLabel('Environment').fill('GREETING=hello, world\nLIST=a,b,c');
  await page.getByTestId('run-duration').fill('abc');
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await banner.filter({ hasText: 'Stop after: "abc" is not a duration. Write seconds (30) or 30s, 5m, 1h' }).waitFor();
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('compose-path').fill('trio.yaml');
  await page.getByTestId('compose-duration').fill('soon');
  await page.getByRole('button', { name: 'Run compose' }).click();
  await banner.filter({ hasText: 'Stop after: "soon" is not a duration' }).waitFor();
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('compose-duration').fill('');
  await page.getByTestId('compose-path').fill('');
  assert.equal(await runCount(), before, 'nothing started with the value dropped');
  // A bad entry names the field and the fix, not a zod path.
  await page.getByTestId('run-duration').fill('');
  await page.getByLabel('Environment').fill('GREETING=hello, world\nnot an entry');
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await banner.filter({ hasText: 'Environment: "not an entry" is not KEY=VALUE. Write one KEY=VALUE per line' }).waitFor();
  await banner.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByLabel('Environment').fill('GREETING=hello, world\nLIST=a,b,c');
  await page.getByTestId('run-duration').fill('2s');
  // Hold the call a moment, so the in-flight state is seen however fast the engine creates the container.
  await page.route('**/api/call', async (route) => {
    if (route.request().postData()?.includes('"run.start"')) await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await page.getByRole('button', { name: 'Starting…' }).waitFor();
  await page.getByTestId('run-starting').waitFor();
  await page.getByTestId('run-status').waitFor();
  await page.unroute('**/api/call');
  await page.getByTestId('logs').getByText('[hello, world|a,b,c]').waitFor({ timeout: 60_000 });
  // "2s" was taken: the run ends long before its sleep 30 would.
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 25_000 });
  assert.ok(Date.now() - t0 < 25_000, `stopped after about 2 s (${Date.now() - t0} ms)`);
  assert.equal(leftovers().split('\n').filter(Boolean).length, 0);
  await page.keyboard.press('s');
  await page.getByTestId('run-duration').fill(''); // leave the form as the other tests expect it
  await page.getByLabel('Environment').fill('');
  await page.keyboard.press('Escape'); // out of the field: the next test's keys are shortcuts
});

test('a live run stays reachable after a capture is opened; starting another says one is still running', { timeout: 240_000 }, async () => {
  const { page } = browser;
  const errorsBefore = browser.errors.length; // an earlier test cut the push stream on purpose
  await writeFile(join(dir, 'fixture.imprint'), fixtureCapture());
  if (!page.url().startsWith('http')) await page.goto(serving.url);
  await page.keyboard.press('s');
  assert.equal(await page.getByTestId('live-runs').count(), 0, 'no run going yet');
  await page.getByTestId('run-image').fill('imprint-fixture/busybox:latest');
  await page.getByLabel('Command').fill(`sh -c 'echo still here; sleep 120'`);
  await page.getByRole('button', { name: 'Run with probe' }).click();
  await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('logs').getByText('still here').waitFor({ timeout: 60_000 });

  await page.keyboard.press('r');
  await page.getByTestId('capture-path').fill('fixture.imprint');
  await page.getByRole('button', { name: 'Open capture' }).click();
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: /Live/ }).getByLabel('running').count(), 1, 'the Live tab still says a run is going');

  await page.keyboard.press('l');
  const live = page.getByTestId('live-runs');
  await live.getByText(/is still running/).waitFor();
  await screenshot(page, 'live-run-elsewhere');
  await live.getByRole('button', { name: 'Back to the running run' }).click();
  await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor();
  await page.getByTestId('logs').getByText('still here').waitFor(); // its events came back with it
  assert.equal(await page.getByTestId('live-runs').count(), 0, 'it is the one on screen');

  await page.keyboard.press('s');
  await page.getByTestId('live-runs').getByText(/is still running\. Another run started here runs alongside it\./).waitFor();
  await screenshot(page, 'start-run-still-going');
  await page.keyboard.press('l');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByTestId('run-status').filter({ hasText: /exited|failed/ }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('s');
  await page.getByTestId('live-runs').waitFor({ state: 'detached' });
  assert.equal(leftovers(), '');
  assert.deepEqual(browser.errors.slice(errorsBefore), []);
});
