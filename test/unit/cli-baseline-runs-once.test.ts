/**
 * `imprint baseline` counts each learning run once within one call (F15): the same capture given twice, or a
 * copy of it, is skipped with a note on stderr. The file names no runs, so the same behaviour gives the same
 * bytes whichever runs showed it, and `--merge` cannot recognise a run the baseline already holds.
 * Real capture files, the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Another run of the same behaviour: the capture with a new runId in its header. */
function rerun(capture: string, runId: string): string {
  const [header, ...rest] = read(capture).split('\n');
  const out = join(dir, `${runId}.imprint`);
  writeFileSync(out, [JSON.stringify({ ...(JSON.parse(header!) as object), runId }), ...rest].join('\n'));
  return out;
}

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
  for (const svc of Object.values(learned.services)) assert.equal(svc.runs, 1);
  assert.equal(read(twice), read(once), 'the same file as learning it once');
});

test('other runs of the same behaviour give byte-identical files: the file names no runs', () => {
  const first = join(dir, 'first-runs.yaml'), again = join(dir, 'new-runs.yaml');
  assert.equal(imprint('baseline', a, b, '-o', first).status, 0);
  const r = imprint('baseline', rerun(a, 'rerun-a'), rerun(b, 'rerun-b'), '-o', again);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(read(again), read(first));
  assert.doesNotMatch(read(first), /runIds|9c03e4af0f/);
});

test('--merge adds new runs like learning them at once, and cannot recognise a run it already holds', () => {
  const first = join(dir, 'first.yaml'), both = join(dir, 'both.yaml');
  assert.equal(imprint('baseline', a, '-o', first).status, 0);
  const r = imprint('baseline', b, '--merge', first, '-o', first);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(imprint('baseline', a, b, '-o', both).status, 0);
  assert.equal(read(first), read(both), 'the same bytes as learning both runs at once');
  // docs/baseline.md: merge only new runs. A run merged again counts again, and nothing claims otherwise.
  const twice = imprint('baseline', a, '--merge', first, '-o', join(dir, 'a-twice.yaml'));
  assert.equal(twice.status, 0, twice.stderr);
  assert.doesNotMatch(twice.stderr, /skipped|already learned|name every run/);
  assert.equal(parseBaseline(read(join(dir, 'a-twice.yaml'))).learned.runs, 3);
});

test('a baseline that lists learned.runIds (written for a while) still reads; they are not written back', () => {
  const old = join(dir, 'with-run-ids.yaml'), merged = join(dir, 'with-run-ids-merged.yaml');
  assert.equal(imprint('baseline', a, '-o', old).status, 0);
  writeFileSync(old, read(old).replace(/^ {2}runs: 1$/m, `  runs: 1\n  runIds: [ ${runIdOf(a)} ]`));
  assert.match(read(old), /runIds/);
  assert.equal(parseBaseline(read(old)).learned.runs, 1);
  const r = imprint('baseline', b, '--merge', old, '-o', merged);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(parseBaseline(read(merged)).learned.runs, 2);
  assert.doesNotMatch(read(merged), /runIds/);
});
