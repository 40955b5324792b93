/** The Baselines screen's pure logic: the review diff and its decisions, live highlights, the learning curve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureText } from '../../common/baseline/capture-input.js';
import { learnBaseline } from '../../common/baseline/learn.js';
import { parseBaseline, stringifyBaseline } from '../../common/baseline/file.js';
import { applyDecisions, diffBaselines, suggestPattern, type Decision } from '../../renderer/src/baseline/diff.js';
import { highlight, learningCurve } from '../../renderer/src/baseline/live-check.js';
import { EventLog } from '../../renderer/src/model/event-log.js';
import { fixtureCapture } from '../e2e/fixture-capture.js';

const normal = readCaptureText(fixtureCapture());
const drift = readCaptureText(fixtureCapture({ drift: true }));
const learn = (events: typeof normal.events) => learnBaseline([{ events }], { seccomp: 'default' });

test('the review lists exactly what the newer baseline adds, and what it drops', () => {
  const entries = diffBaselines(learn(normal.events), learn(drift.events));
  assert.deepEqual(entries.map((e) => `${e.change} ${e.service} ${e.list} ${e.key}`).sort(), [
    'added api executables /usr/bin/curl',
    'added api files.create /etc/cron.d/persist',
    'added api outbound tcp 10.9.9.9:4444',
  ]);
  assert.deepEqual(entries.filter((e) => e.generalisable).map((e) => e.key).sort(), ['/etc/cron.d/persist', '/usr/bin/curl']);
  const back = diffBaselines(learn(drift.events), learn(normal.events));
  assert.ok(back.every((e) => e.change === 'removed'));
  assert.equal(back.length, 3);
});

test('decisions: rejected entries leave, generalised ones become patterns, the rest stay; the file round-trips', () => {
  const after = learn(drift.events);
  const entries = diffBaselines(learn(normal.events), after);
  const id = (key: string) => entries.find((e) => e.key === key)!.id;
  const decisions = new Map<string, Decision>([
    [id('/usr/bin/curl'), { action: 'reject' }],
    [id('/etc/cron.d/persist'), { action: 'generalise', pattern: suggestPattern('/etc/cron.d/persist') }],
  ]);
  const result = applyDecisions(after, entries, decisions);
  const api = result.services.api!;
  assert.ok(!api.executables.some((e) => e.path === '/usr/bin/curl'));
  assert.ok(api.files.create.some((f) => f.path === '/etc/cron.d/*'));
  assert.ok(api.outbound.some((o) => o.peer === '10.9.9.9' && o.port === 4444));
  assert.ok(after.services.api!.executables.some((e) => e.path === '/usr/bin/curl'), 'the input is not modified');
  const reparsed = parseBaseline(stringifyBaseline(result, 'schema.json'));
  assert.deepEqual(reparsed.services.api!.files.create.map((f) => f.path), api.files.create.map((f) => f.path));
});

test('live highlights: the three deviations of the drifting run, with timeline marks on their lanes', () => {
  const log = new EventLog();
  log.append(drift.events);
  const h = highlight(learn(normal.events), log);
  assert.equal(h.result.verdict, 'drift');
  assert.equal(h.flagged.size, 3);
  assert.deepEqual([...h.exePaths], ['/usr/bin/curl']);
  assert.deepEqual([...h.filePaths], ['/etc/cron.d/persist']);
  assert.equal(h.marks.length, 3);
  assert.ok(h.marks.every((m) => log.laneList[m.lane!]!.label.startsWith('curl')));
  const clean = new EventLog();
  clean.append(normal.events);
  assert.equal(highlight(learn(normal.events), clean).result.verdict, 'clean');
});

test('the learning curve rises to the number of distinct items and never falls', () => {
  const curve = learningCurve(normal.events, 50);
  assert.equal(curve.length, 51);
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.items >= curve[i - 1]!.items);
  const b = learn(normal.events);
  const svcItems = Object.values(b.services).reduce((n, s) => n + s.executables.length + s.files.read.length + s.files.write.length
    + s.files.create.length + s.files.delete.length + s.listen.length + s.outbound.length + s.inbound.length + s.dns.length + s.uids.length + s.syscalls.length, 0);
  assert.equal(curve.at(-1)!.items, svcItems);
  assert.deepEqual(learningCurve([]), []);
});

test('the folder (what the fold worker runs) folds the range on screen and checks the whole run', async () => {
  const { Folder } = await import('../../renderer/src/model/fold.js');
  const folder = new Folder();
  folder.append(drift.events.slice(0, 100));
  folder.append(drift.events.slice(100));
  folder.setBaseline(learn(normal.events));
  const all = folder.fold({ range: null, playhead: null, incomplete: [] });
  assert.equal(all.events, drift.events.length);
  assert.equal(all.highlights!.result.deviations.length, 3);
  assert.ok(all.graph.edges.some((e) => e.deviant));
  // A range before the drift: panels show only that stretch, deviations still cover the whole run.
  const early = folder.fold({ range: { t0: drift.events[0]!.time, t1: drift.events[30]!.time }, playhead: null, incomplete: [] });
  assert.ok(!early.tree.some(function has(n): boolean { return n.exe === '/usr/bin/curl' || n.children.some(has); }));
  assert.equal(early.highlights!.result.deviations.length, 3);
  assert.equal(early.highlights, all.highlights, 'the drift check is cached while the log is unchanged');
  folder.reset();
  assert.equal(folder.fold({ range: null, playhead: null, incomplete: [] }).events, 0);
});
