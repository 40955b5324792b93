/**
 * Browser mode end to end, without containers: open a capture from the workspace and see the timeline,
 * graph, processes, files, events and logs fill; save its baseline; load it and replay a drifting capture
 * to see the deviations highlighted; review the two baselines and write the reviewed file back.
 * Real HTTP server, real renderer build, real Chromium; the engine is the real one (status only).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServe, type Serving } from '../../electron/server/serve.js';
import { parseBaseline } from '../../common/baseline/file.js';
import { awkwardCapture, fixtureCapture } from './fixture-capture.js';
import { openBrowser, screenshot, type Browser } from './browser.js';

let serving: Serving;
let browser: Browser;
let dir: string;
const awkward = awkwardCapture();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imprint-e2e-replay-'));
  await writeFile(join(dir, 'normal.imprint'), fixtureCapture());
  await writeFile(join(dir, 'drift.imprint'), fixtureCapture({ drift: true, start: 1_764_000_100_000 }));
  // Cut short: Imprint stopped while recording (no end record).
  await writeFile(join(dir, 'cut.imprint'), fixtureCapture().trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
  await writeFile(join(dir, 'awkward.imprint'), awkward.text);
  // Only a header and an end: a run that recorded nothing.
  await writeFile(join(dir, 'nothing.imprint'), fixtureCapture().split('\n')[0] + '\n');
  await mkdir(join(dir, 'a-folder'));
  serving = await startServe({ workspace: dir, appRoot: process.cwd() });
  browser = await openBrowser();
});
/** Types a capture path on the Replay screen and opens it. */
async function openCapture(page: Browser['page'], path: string): Promise<void> {
  await page.getByTestId('capture-path').fill(path);
  await page.getByRole('button', { name: 'Open capture' }).click();
}

after(async () => {
  await browser?.close();
  await serving?.close();
  await rm(dir, { recursive: true, force: true });
});

test('replay: a capture fills the timeline, graph, process tree, files, events and logs', async () => {
  const { page } = browser;
  await page.goto(serving.url);
  assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
  await page.getByTestId('engine-status').getByText(/connected|not reachable/).waitFor();
  await page.getByTestId('recent-captures').getByText('normal.imprint').click();
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  const timeline = page.getByTestId('timeline');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=timeline]')?.getAttribute('data-in-view')) > 0);
  assert.equal(await timeline.getAttribute('data-lanes'), String(3 + 5), 'three service lanes and five process lanes');
  assert.ok(Number(await page.getByTestId('graph').getAttribute('data-nodes')) >= 7, 'services, outside endpoint and listen ports');
  await page.getByTestId('graph-node-list').getByText('updates.example.internal').waitFor();
  await page.getByTestId('process-tree').getByText('api-server', { exact: true }).waitFor();
  await page.getByTestId('file-activity').getByText('/var/cache/nginx/proxy_temp/1/').waitFor();
  // Container text is shown as text, never markup.
  await page.getByTestId('logs').getByText('<script>alert(1)</script>', { exact: false }).waitFor();
  await screenshot(page, 'replay-normal');

  // Wheel zooms in around the pointer (fewer events in view); F fits the whole run again.
  const inView = () => timeline.getAttribute('data-in-view').then(Number);
  const all = await inView();
  await page.mouse.move((await timeline.boundingBox())!.x + 400, (await timeline.boundingBox())!.y + 100);
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -300);
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=timeline]')?.getAttribute('data-in-view')) < n, all);
  await timeline.focus();
  await page.keyboard.press('f');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=timeline]')?.getAttribute('data-in-view')) === n, all);
  assert.equal(await inView(), all);

  // Clicking a service's name folds its process lanes, and again unfolds them.
  const tbox = (await timeline.boundingBox())!;
  const webRow = 5; // redis, redis-server, api, sh, api-server, web
  await page.mouse.click(tbox.x + 30, tbox.y + 26 + webRow * 22 + 11);
  await page.waitForFunction(() => document.querySelector('[data-testid=timeline]')?.getAttribute('data-lanes') === '6');
  await page.mouse.click(tbox.x + 30, tbox.y + 26 + webRow * 22 + 11);
  await page.waitForFunction(() => document.querySelector('[data-testid=timeline]')?.getAttribute('data-lanes') === '8');

  // Brushing a range on the timeline filters every panel.
  const box = (await timeline.boundingBox())!;
  await page.mouse.move(box.x + 210, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + 420, box.y + 10, { steps: 5 });
  await page.mouse.up();
  const countText = await page.getByTestId('event-count').textContent();
  assert.match(countText ?? '', /of \d+/);
  const shown = Number((countText ?? '').split(' of ')[1]!.replace(/,/g, ''));
  assert.ok(shown > 0 && shown < 228, `range filters the table (${countText})`);
  await screenshot(page, 'replay-brushed');
  await page.keyboard.press('Escape');
  await page.getByTestId('event-count').filter({ hasText: /^\d+ of 228$/ }).waitFor();
  assert.deepEqual(browser.errors, []);
});

test('replay views: graph details on click, event and log search, the playhead, text size and theme', async () => {
  const { page } = browser;
  // Graph: a node's details list its edges; an edge's details give protocol, ports and volume.
  await page.getByTestId('graph-node-list').getByRole('button', { name: 'web', exact: true }).click();
  const details = page.getByTestId('graph-details');
  await details.getByRole('heading', { name: 'web' }).waitFor();
  await details.getByRole('button', { name: '→ api' }).click();
  await details.getByRole('heading', { name: 'web → api' }).waitFor();
  assert.match(await details.textContent() ?? '', /tcp.*8080.*Calls40/s);
  await details.getByRole('button', { name: 'Close' }).click();
  // Event search (case-insensitive, over the description) and the category filters.
  const search = page.getByRole('searchbox', { name: 'Search events' });
  await search.fill('UPDATES.EXAMPLE');
  await page.getByTestId('event-count').filter({ hasText: /^3 of 228$/ }).waitFor(); // query, answer, connect
  await search.fill('');
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('items/7 ');
  await page.getByTestId('logs').getByText('"GET /items/7 HTTP/1.1" 200 107').waitFor();
  assert.equal(await page.getByTestId('logs').locator('.log-line').count(), 1);
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('');
  // The playhead at the start hides everything after it.
  await page.getByTestId('playhead').focus();
  await page.keyboard.press('Home');
  await page.getByTestId('event-count').filter({ hasText: /^1 of 1$/ }).waitFor();
  // the header tells the run as far as it has been played, as the panels do
  assert.equal(await page.getByTestId('total-events').textContent(), '1');
  await page.keyboard.press('End');
  await page.getByTestId('event-count').filter({ hasText: / of 228$/ }).waitFor();
  assert.equal(await page.getByTestId('total-events').textContent(), '228');
  // Screen sharing: larger text and a forced dark theme, both remembered.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press(']');
  await page.keyboard.press(']');
  assert.equal(await page.evaluate(() => document.documentElement.style.getPropertyValue('--scale')), '1.2');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.locator('.content').evaluate((el) => { el.scrollTop = 0; });
  await screenshot(page, 'replay-dark-120');
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await page.getByRole('button', { name: 'Smaller text' }).click();
  await page.getByRole('button', { name: 'Smaller text' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.style.getPropertyValue('--scale')), '1');
  assert.deepEqual(browser.errors, []);
});

test('a capture that does not open leaves the one on screen; the next good open clears the error', async () => {
  const { page } = browser;
  await page.keyboard.press('r');
  await openCapture(page, 'normal.imprint');
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  // the workspace's captures are offered as the path is typed
  assert.ok((await page.getByTestId('workspace-captures').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).includes('drift.imprint'));
  await openCapture(page, 'captures/nope.imprint');
  await page.getByTestId('error-banner').filter({ hasText: /Could not open captures\/nope\.imprint/ }).waitFor();
  assert.equal(await page.getByTestId('total-events').textContent(), '228', 'still the capture that was open');
  assert.match(await page.getByTestId('rate').textContent() ?? '', /^\d[\d,]*\/s$/);
  await openCapture(page, 'drift.imprint');
  await page.getByTestId('error-banner').waitFor({ state: 'detached' });
});

test('baselines: save one, load it, and a drifting replay shows exactly the deviations', async () => {
  const { page } = browser;
  await page.keyboard.press('r');
  await openCapture(page, 'normal.imprint');
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  await page.keyboard.press('b');
  await page.getByTestId('baseline-out').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await page.getByTestId('baseline-saved').waitFor();
  const saved = parseBaseline(await readFile(join(dir, 'baseline.yaml'), 'utf8'));
  assert.deepEqual(Object.keys(saved.services).sort(), ['api', 'redis', 'web']);
  // A second click never replaces the reference by accident: it asks for "Replace it if the file exists".
  const before = await readFile(join(dir, 'baseline.yaml'), 'utf8');
  await writeFile(join(dir, 'baseline.yaml'), `# reviewed\n${before}`);
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  const banner = page.getByTestId('error-banner');
  await banner.filter({ hasText: /baseline\.yaml already exists/ }).waitFor();
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  assert.match(await readFile(join(dir, 'baseline.yaml'), 'utf8'), /^# reviewed\n/, 'untouched');
  await page.getByTestId('baseline-replace').check();
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  // saved, and the choice was for this once: the box clears itself
  await page.waitForFunction(() => !(document.querySelector('[data-testid=baseline-replace]') as HTMLInputElement).checked);
  assert.deepEqual(browser.errors, []);
  await page.getByTestId('learning-curve').waitFor();
  await screenshot(page, 'baselines-saved');

  await page.getByTestId('baseline-load-path').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByTestId('baseline-loaded').waitFor();

  await page.keyboard.press('r');
  await openCapture(page, 'drift.imprint');
  await page.getByTestId('total-events').filter({ hasText: '233' }).waitFor();
  await page.getByTestId('verdict').filter({ hasText: 'drift' }).waitFor();
  assert.equal(await page.getByTestId('deviation-count').textContent(), '3');
  const deviations = page.getByTestId('deviations');
  for (const item of ['/usr/bin/curl', '/etc/cron.d/persist', 'tcp 10.9.9.9:4444']) await deviations.getByText(item, { exact: true }).waitFor();
  await page.getByTestId('graph-node-list').locator('li.danger').first().waitFor();
  await page.getByTestId('process-tree').locator('.tree-row.danger').getByText('curl').waitFor();
  await page.getByTestId('deviations').scrollIntoViewIfNeeded();
  await screenshot(page, 'replay-drift-deviations');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('.content').evaluate((el) => { el.scrollTop = 0; });
  await screenshot(page, 'replay-drift-top');

  // The same capture against its own baseline is clean.
  await openCapture(page, 'normal.imprint');
  await page.getByTestId('verdict').filter({ hasText: 'clean' }).waitFor();
  assert.deepEqual(browser.errors, []);
});

test('review: diff two baselines, reject one entry, generalise another, write the result back', async () => {
  const { page } = browser;
  await openCapture(page, 'drift.imprint');
  await page.getByTestId('total-events').filter({ hasText: '233' }).waitFor();
  await page.keyboard.press('b');
  await page.getByTestId('baseline-out').fill('drift-baseline.yaml');
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await page.getByTestId('baseline-saved').waitFor();
  await page.getByTestId('diff-left').fill('baseline.yaml');
  await page.getByTestId('diff-right').fill('drift-baseline.yaml');
  await page.getByRole('button', { name: 'Compare' }).click();
  const diff = page.getByTestId('baseline-diff');
  await diff.waitFor();
  const curl = diff.locator('.diff-row', { hasText: '/usr/bin/curl' }).filter({ hasText: 'executables' });
  await curl.getByRole('button', { name: 'Reject' }).click();
  const cron = diff.locator('.diff-row', { hasText: '/etc/cron.d/persist' }).filter({ hasText: 'files.create' });
  await cron.getByRole('button', { name: 'Generalise' }).click();
  await cron.getByRole('textbox', { name: 'Pattern' }).fill('/etc/cron.d/*');
  await screenshot(page, 'baseline-review');
  await page.getByTestId('diff-write').click();
  await page.getByText('Wrote drift-baseline.yaml').waitFor();
  const written = parseBaseline(await readFile(join(dir, 'drift-baseline.yaml'), 'utf8'));
  const api = written.services.api!;
  assert.ok(!api.executables.some((e) => e.path === '/usr/bin/curl'), 'rejected entry removed');
  assert.ok(api.files.create.some((f) => f.path === '/etc/cron.d/*'), 'generalised entry written as a pattern');
  assert.ok(!api.files.create.some((f) => f.path === '/etc/cron.d/persist'));
  assert.ok(api.outbound.some((o) => o.peer === '10.9.9.9'), 'accepted entries kept');
  assert.deepEqual(browser.errors, []);
});

test('an incomplete capture says so: a badge, an inconclusive check, and no baseline learned from it', async () => {
  const { page } = browser;
  await page.keyboard.press('b');
  await page.getByTestId('baseline-load-path').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.keyboard.press('r');
  await openCapture(page, 'cut.imprint');
  await page.getByTestId('capture-incomplete').waitFor();
  assert.match(await page.getByTestId('capture-incomplete').getAttribute('title') ?? '', /cut short/);
  await page.getByTestId('verdict').filter({ hasText: 'inconclusive' }).waitFor();
  await page.keyboard.press('b');
  await page.getByTestId('baseline-out').fill('from-cut.yaml');
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await page.getByTestId('error-banner').filter({ hasText: /incomplete/ }).waitFor();
  await page.getByTestId('error-banner').getByRole('button', { name: 'Dismiss' }).click();
  await assert.rejects(readFile(join(dir, 'from-cut.yaml'), 'utf8'));
});

test('a file that is no capture is refused by what it is, and the capture on screen stays', async () => {
  const { page } = browser;
  await page.keyboard.press('r');
  await openCapture(page, 'normal.imprint');
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  const banner = page.getByTestId('error-banner');
  await openCapture(page, 'baseline.yaml');
  await banner.filter({ hasText: 'baseline.yaml is not an Imprint capture (it looks like a baseline: open it on the Baselines screen)' }).waitFor();
  assert.equal(await page.getByTestId('total-events').textContent(), '228', 'still the capture that was open');
  assert.equal(await page.getByTestId('capture-incomplete').count(), 0);
  await openCapture(page, 'a-folder');
  await banner.filter({ hasText: /a-folder is a folder: choose a \.imprint capture file/ }).waitFor();
  assert.doesNotMatch(await banner.textContent() ?? '', /EISDIR/);
  assert.equal(await page.getByTestId('total-events').textContent(), '228');
  // A capture without events says so, not that events will come "as the container runs".
  await openCapture(page, 'nothing.imprint');
  await banner.waitFor({ state: 'detached' });
  const empty = page.getByTestId('timeline-empty');
  await empty.filter({ hasText: 'This capture holds no events.' }).waitFor();
  assert.doesNotMatch(await empty.textContent() ?? '', /as the container runs/);
  assert.deepEqual(browser.errors, []);
});

test('long names and paths are cut, not pushing counts away; escaped text reads as in the logs; more rows are counted', async () => {
  const { page } = browser;
  await page.keyboard.press('r');
  await openCapture(page, 'awkward.imprint');
  await page.getByTestId('total-events').filter({ hasText: String(awkward.events) }).waitFor();
  const inside = async (panel: string, what: ReturnType<typeof page.locator>) => {
    const box = (await page.getByTestId(panel).boundingBox())!;
    const b = (await what.boundingBox())!;
    assert.ok(b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1, `${panel}: ${await what.textContent()} is in view (${b.x}+${b.width} vs ${box.x}+${box.width})`);
  };

  // Processes: the long name is cut with an ellipsis; its pid, args and exit code stay in view.
  const tree = page.getByTestId('process-tree');
  const row = tree.locator('.tree-row', { hasText: 'a-very-long-program-name' });
  assert.equal(await row.locator('.proc-name').getAttribute('title'), `/usr/local/bin/${awkward.longName}`);
  for (const part of [row.locator('.pid'), row.locator('.argv'), row.getByText('exit 3')]) await inside('process-tree', part);
  assert.equal(await row.locator('.proc-name').evaluate((el) => getComputedStyle(el).textOverflow), 'ellipsis');
  // Backslashes as the Logs panel shows them: one, not the stored two.
  assert.equal(await tree.locator('.tree-row', { hasText: 'sh' }).first().locator('.argv').textContent(), '-c printf "\\033[31m red"');
  assert.doesNotMatch(await tree.textContent() ?? '', /\\\\/);
  await page.getByRole('searchbox', { name: 'Search events' }).fill('printf');
  await page.getByTestId('event-table').getByText('/bin/sh -c printf "\\033[31m red"', { exact: true }).waitFor();
  await page.getByRole('searchbox', { name: 'Search events' }).fill('');

  // Files: numbers right-aligned under right-aligned headers; the long directory is cut, with its full path as a tooltip.
  const files = page.getByTestId('file-activity');
  for (const h of ['R', 'W', 'C', 'D', '✗']) {
    assert.equal(await files.locator('th', { hasText: h }).evaluate((el) => getComputedStyle(el).textAlign), 'right', h);
  }
  assert.ok(await files.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'no sideways scroll: every count column in view');
  const long = files.locator('td.path-cell', { hasText: 'srv/xxx' });
  assert.equal(await long.getAttribute('title'), `${awkward.longDir}/`);
  assert.ok(await long.evaluate((el) => el.scrollWidth > el.clientWidth), 'the long path is cut');
  await inside('file-activity', files.locator('tr', { has: page.locator('td.path-cell', { hasText: 'srv/xxx' }) }).locator('td').last());
  await files.getByText('/tmp/', { exact: true }).click();
  await files.getByText('back\\slash', { exact: true }).waitFor();
  // More than the panel draws: counted, never dropped in silence.
  await files.getByText(/^… \d+ more directories/).waitFor();
  await files.getByText('/data/many/', { exact: true }).click();
  await files.getByText('… 50 more files in /data/many/').waitFor();
  await files.getByText('/data/many/', { exact: true }).click(); // folded again: the long path shows in the screenshot
  await files.scrollIntoViewIfNeeded();
  await screenshot(page, 'replay-awkward');
  assert.deepEqual(browser.errors, []);
});

test('baselines screen: a good load clears an earlier failure, a failed save hides the earlier "Saved", and clean looks clean', async () => {
  const { page } = browser;
  await page.keyboard.press('r');
  await openCapture(page, 'normal.imprint');
  await page.getByTestId('total-events').filter({ hasText: '228' }).waitFor();
  await page.keyboard.press('b');
  const banner = page.getByTestId('error-banner');
  await page.getByTestId('baseline-load-path').fill('no-such-baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await banner.filter({ hasText: /Could not load no-such-baseline\.yaml/ }).waitFor();
  await page.getByTestId('baseline-load-path').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByTestId('baseline-loaded').waitFor();
  await banner.waitFor({ state: 'detached' });

  await page.getByTestId('baseline-out').fill('second.yaml');
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await page.getByTestId('baseline-saved').waitFor();
  await page.getByRole('button', { name: 'Save baseline of this run' }).click();
  await banner.filter({ hasText: /second\.yaml already exists/ }).waitFor();
  assert.equal(await page.getByTestId('baseline-saved').count(), 0, 'no green "Saved" next to the red error');
  await banner.getByRole('button', { name: 'Dismiss' }).click();

  await page.keyboard.press('r');
  await page.getByTestId('verdict').filter({ hasText: 'clean' }).waitFor();
  const count = page.getByTestId('deviation-count');
  assert.equal(await count.textContent(), '0');
  assert.doesNotMatch(await count.getAttribute('class') ?? '', /danger/);
  assert.deepEqual(browser.errors, []);
});

test('policies: the loaded baseline as a NetworkPolicy, byte for byte what imprint export prints, saved into the workspace', async () => {
  const { page } = browser;
  await page.keyboard.press('b');
  await page.getByTestId('baseline-load-path').fill('baseline.yaml');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByTestId('baseline-loaded').waitFor();
  const panel = page.getByTestId('policy-export');
  await panel.getByTestId('policy-target').selectOption('networkpolicy');
  await panel.getByTestId('policy-text').filter({ hasText: 'kind: NetworkPolicy' }).waitFor();
  const cli = execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'export', join(dir, 'baseline.yaml'), '--to', 'networkpolicy'], { encoding: 'utf8' });
  assert.equal(await panel.getByTestId('policy-text').textContent(), cli, 'the same function, the same bytes');
  assert.equal(await panel.getByTestId('policy-out').inputValue(), 'baseline.networkpolicy.yaml');
  await panel.getByRole('button', { name: 'Save policy' }).click();
  await panel.getByTestId('policy-saved').filter({ hasText: 'baseline.networkpolicy.yaml' }).waitFor();
  assert.equal(await readFile(join(dir, 'baseline.networkpolicy.yaml'), 'utf8'), cli);
  // a second save asks first; a seccomp profile is one service's, so one is chosen for it
  await panel.getByRole('button', { name: 'Save policy' }).click();
  await panel.getByTestId('policy-error').filter({ hasText: /already exists/ }).waitFor();
  await panel.getByTestId('policy-target').selectOption('seccomp');
  await panel.getByTestId('policy-text').filter({ hasText: '"defaultAction": "SCMP_ACT_ERRNO"' }).waitFor();
  assert.equal(await panel.getByTestId('policy-service').inputValue(), 'api');
  assert.equal(await panel.getByTestId('policy-out').inputValue(), 'baseline.api.seccomp.json');
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'baselines-policy');
  assert.deepEqual(browser.errors, []);
});
