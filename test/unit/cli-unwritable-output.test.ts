/**
 * An output path that cannot be written (--capture of run/up/check, -o of baseline/export/check) is one line
 * naming the path, the reason and the fix, never a stack trace (F11); a run refuses it before it contacts
 * the engine, so nothing is created and nothing is left running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CAPTURE = join(REPO, 'test/fixtures/captures/busybox-normal-1.imprint');
const BASELINE = join(REPO, 'test/fixtures/captures/busybox.baseline.yaml');
// No engine answers here: a run that got as far as connecting would fail with "not running" instead.
const NO_ENGINE = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/imprint-test.sock', NO_COLOR: '1' };
const imprint = (...args: string[]) =>
  // SIGKILL: before the fix a capture below /proc made Imprint spin in Node's recursive mkdir, deaf to SIGTERM.
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8', env: NO_ENGINE, timeout: 60_000, killSignal: 'SIGKILL' });

function assertOneLine(r: ReturnType<typeof imprint>, status: number, message: RegExp): void {
  assert.equal(r.status, status, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line, not:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/, 'no stack trace');
}

const dir = mkdtempSync(join(tmpdir(), 'imprint-unwritable-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const missing = join(dir, 'missing');
const file = join(dir, 'a-file');
writeFileSync(file, 'not a directory\n');

test('run --capture into a missing directory: one line naming it and --capture, exit 125, nothing created', () => {
  const capture = join(missing, 'x.imprint');
  const r = imprint('run', '--capture', capture, 'imprint-fixture/busybox:latest', '--', 'true');
  assertOneLine(r, 125, new RegExp(`^imprint run: cannot write capture ${capture}: directory ${missing} does not exist — choose a writable path with --capture$`, 'm'));
  assert.equal(existsSync(missing), false, 'the directory is not created behind the user\'s back');
});

test('run and up --capture below a file, or where no file can be created, are refused the same way', () => {
  assertOneLine(imprint('run', '--capture', join(file, 'x.imprint'), 'imprint-fixture/busybox:latest'), 125, new RegExp(`cannot write capture .*: ${file} is not a directory — choose a writable path with --capture`));
  assertOneLine(imprint('run', '--capture', join(file, 'sub', 'x.imprint'), 'imprint-fixture/busybox:latest'), 125, new RegExp(`${file} is a file, not a directory`));
  assertOneLine(imprint('run', '--capture', '/proc/imprint-test/x.imprint', 'imprint-fixture/busybox:latest'), 125, /directory \/proc\/imprint-test does not exist/);
  assertOneLine(imprint('run', '--capture', '/proc/x.imprint', 'imprint-fixture/busybox:latest'), 125, /cannot write capture \/proc\/x\.imprint: files cannot be created in \/proc/);
  assertOneLine(imprint('run', '--capture', dir, 'imprint-fixture/busybox:latest'), 125, /is a directory — choose a writable path with --capture/);
  const compose = join(REPO, 'test/fixtures/compose/trio.yaml');
  if (existsSync(compose)) assertOneLine(imprint('up', '--capture', join(missing, 'x.imprint'), compose), 125, /cannot write capture .*does not exist — choose a writable path with --capture/);
});

test('baseline, export and check -o into a missing directory: one line naming it and -o, exit 2', () => {
  const out = join(missing, 'b.yaml');
  assertOneLine(imprint('baseline', CAPTURE, '-o', out), 2, new RegExp(`^imprint baseline: cannot write ${out}: directory ${missing} does not exist — choose a writable path with -o$`, 'm'));
  assertOneLine(imprint('export', BASELINE, '--to', 'seccomp', '-o', join(missing, 'p.json')), 2, /^imprint export: cannot write .*p\.json: directory .* does not exist — choose a writable path with -o$/m);
  assertOneLine(imprint('check', CAPTURE, '--baseline', BASELINE, '-o', join(file, 'r.txt')), 2, /^imprint check: cannot write .*r\.txt: .* is not a directory — choose a writable path with -o$/m);
  assert.equal(existsSync(missing), false);
});
