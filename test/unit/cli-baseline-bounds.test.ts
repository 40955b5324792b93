/**
 * A learning run with more distinct items than a list keeps (5,000) must not drift against the baseline
 * learned from it, and the user must be told (F25): paths fold into directory globs, other lists are cut
 * and marked `truncated`. Real capture files on disk, the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunBuilder } from '../baseline/events-fixture.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
const letters = (n: number) => n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));

/** A complete one-service capture: 6,000 files written under /data, 5,100 names resolved, plus `extra`. */
function writeCapture(file: string, runId: string, extra: (r: RunBuilder) => void = () => undefined): void {
  const r = new RunBuilder();
  r.exec('app', 1, '/bin/sh', ['sh', '-c', 'fill']);
  for (let i = 0; i < 6000; i++) r.open('app', 1, `/data/out-${letters(i)}`, ['write', 'create']);
  for (let i = 0; i < 5100; i++) r.dns('app', 1, `h-${letters(i)}.example.test`);
  r.open('app', 1, '/etc/app.conf', ['read']);
  extra(r);
  const header = { format: 'imprint-capture', version: 1, eventSchema: 1, imprint: '0.1.0', runId, mode: 'image', startedAt: 1, seccomp: 'unconfined',
    probe: { file: 'probe', arch: 'x86_64' }, services: [{ service: 'app', image: 'imprint-fixture/busybox:latest', config: {} }] };
  const end = { record: 'end', time: 2, complete: true, problems: [], events: r.events.length, missing: 0, decodeErrors: 0 };
  writeFileSync(file, [header, ...r.events, end].map((l) => JSON.stringify(l)).join('\n') + '\n');
}

const dir = mkdtempSync(join(tmpdir(), 'imprint-bounds-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const capture = join(dir, 'big.imprint'), baseline = join(dir, 'big.yaml');
writeCapture(capture, 'big-1');

test('learning a run over the bound says so, list by list, and records what it did in the file', () => {
  const r = imprint('baseline', capture, '-o', baseline);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: .*big\.imprint: app files\.create: 6,000 distinct items, more than the 5,000 a list keeps; folded into 1 glob\(s\) \(\/data\/\*\): review them/);
  assert.match(r.stderr, /warning: .*big\.imprint: app dns: 5,100 distinct items, more than the 5,000 a list keeps; kept the first 5,000 and marked the list truncated: imprint check does not report dns items it lacks as drift/);
  const text = readFileSync(baseline, 'utf8');
  assert.match(text, /^ {8}- \{ path: \/data\/\*, runs: 1, by: \[ \/bin\/sh \] \}$/m);
  assert.match(text, /^ {4}truncated: \[ dns \]$/m);
  assert.equal(text.match(/^ {6}- \{ name: h-/gm)?.length, 5000);
});

test('checking the very run it was learned from is clean', () => {
  const r = imprint('check', capture, '--baseline', baseline);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^clean/);
});

test('what folding and cutting did not cover still drifts', () => {
  const drifting = join(dir, 'drift.imprint');
  writeCapture(drifting, 'big-2', (r) => {
    r.open('app', 1, '/etc/cron.d/evil', ['write', 'create']);
    r.dns('app', 1, 'not-learned.example.test');
  });
  const r = imprint('check', drifting, '--baseline', baseline, '--format', 'json');
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { deviations: { rule: string; item: string }[] };
  assert.deepEqual(report.deviations.map((d) => [d.rule, d.item]), [['new-file-create', '/etc/cron.d/evil']], 'a name the cut dns list lacks is not judged');
  const exported = imprint('export', baseline, '--to', 'falco');
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stderr, /service app: dns were cut at their bound when learned/);
});
