/**
 * `imprint baseline` counts each learning run once (F15): the same capture given twice, a copy of it, or a
 * capture the --merge baseline already holds is skipped with a note on stderr, and the file records which
 * runs it learned (`learned.runIds`). Real capture files, the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBaseline } from '../../common/baseline/file.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'imprint-runs-once-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const a = join(dir, 'a.imprint'), b = join(dir, 'b.imprint');
copyFileSync(join(REPO, 'test/fixtures/captures/busybox-normal-1.imprint'), a);
copyFileSync(join(REPO, 'test/fixtures/captures/busybox-normal-2.imprint'), b);
const runIdOf = (capture: string) => (JSON.parse(readFileSync(capture, 'utf8').split('\n')[0]!) as { runId: string }).runId;
const read = (file: string) => readFileSync(file, 'utf8');

test('the same capture twice, or a copy of it, is learned once and the skip is said', () => {
  const once = join(dir, 'once.yaml'), twice = join(dir, 'twice.yaml');
  assert.equal(imprint('baseline', a, '-o', once).status, 0);
  const copy = join(dir, 'a-copy.imprint');
  copyFileSync(a, copy);
  const r = imprint('baseline', a, a, copy, '-o', twice);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`skipped ${a}: already learned \\(run ${runIdOf(a)}, from ${a}\\)`));
  assert.match(r.stderr, new RegExp(`skipped ${copy}: already learned`));
  assert.match(r.stdout, /from 1 run\(s\)/);
  const learned = parseBaseline(read(twice));
  assert.equal(learned.learned.runs, 1);
  assert.deepEqual(learned.learned.runIds, [runIdOf(a)]);
  for (const svc of Object.values(learned.services)) assert.equal(svc.runs, 1);
  assert.equal(read(twice), read(once), 'the same file as learning it once');
});

test('re-learning with --merge skips the runs the baseline already holds', () => {
  const first = join(dir, 'first.yaml'), both = join(dir, 'both.yaml');
  assert.equal(imprint('baseline', a, '-o', first).status, 0);
  const r = imprint('baseline', a, b, '--merge', first, '-o', first);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`skipped ${a}: already learned \\(run ${runIdOf(a)}, from ${first}\\)`));
  assert.equal(imprint('baseline', a, b, '-o', both).status, 0);
  assert.equal(read(first), read(both), 'the same bytes as learning both runs at once');
  const merged = parseBaseline(read(first));
  assert.equal(merged.learned.runs, 2);
  assert.deepEqual(merged.learned.runIds, [runIdOf(a), runIdOf(b)].sort());
  // Nothing new at all: the file is written again unchanged.
  const again = imprint('baseline', b, '--merge', first, '-o', first);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(read(first), read(both));
});

test('a v1 baseline from before runIds still merges, and says it cannot recognise its runs', () => {
  const old = join(dir, 'old.yaml');
  copyFileSync(join(REPO, 'test/fixtures/captures/busybox.baseline.yaml'), old);
  const r = imprint('baseline', a, '--merge', old, '-o', join(dir, 'old-merged.yaml'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /does not name every run it was learned from/);
  const merged = parseBaseline(read(join(dir, 'old-merged.yaml')));
  assert.equal(merged.learned.runs, 3);
  assert.deepEqual(merged.learned.runIds, [runIdOf(a)]);
});
