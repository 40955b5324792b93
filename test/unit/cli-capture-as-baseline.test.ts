/**
 * A capture given where a baseline belongs (`check --baseline run.imprint`, `export run.imprint`,
 * `baseline --merge run.imprint`) is named as a capture, with the command that learns a baseline from it,
 * instead of a YAML parser's complaint about `{`. Still a usage error: exit 2. Real capture files, the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaselineFileError, parseBaseline } from '../../common/baseline/file.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'imprint-capture-as-baseline-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const capture = join(dir, 'run.imprint');
copyFileSync(join(REPO, 'test/fixtures/captures/busybox-normal-1.imprint'), capture);
const baseline = join(REPO, 'test/fixtures/captures/busybox.baseline.yaml');

function assertNamed(r: ReturnType<typeof imprint>, command: string, file = capture): void {
  assert.equal(r.status, 2, `${command}: ${r.stderr}`);
  assert.equal(r.stderr, `imprint ${command}: ${file} is an Imprint capture, not a baseline: learn one with \`imprint baseline ${file} -o FILE\`\n`);
}

test('check --baseline CAPTURE (the two files swapped) names the capture and how to learn a baseline', () => {
  assertNamed(imprint('check', baseline, '--baseline', capture), 'check');
});

test('export CAPTURE names the capture and how to learn a baseline', () => {
  assertNamed(imprint('export', capture, '--to', 'seccomp'), 'export');
});

test('baseline --merge CAPTURE names the capture and how to learn a baseline', () => {
  assertNamed(imprint('baseline', capture, '--merge', capture, '-o', join(dir, 'out.yaml')), 'baseline');
});

test('a capture cut short (.partial of a crashed run) is recognised by its header too', () => {
  const partial = join(dir, 'crashed.imprint.partial');
  writeFileSync(partial, readFileSync(capture, 'utf8').split('\n').slice(0, 3).join('\n'));
  assertNamed(imprint('export', partial, '--to', 'seccomp'), 'export', partial);
});

test('parseBaseline (the app reads baselines with it too) says capture, not YAML', () => {
  assert.throws(() => parseBaseline(readFileSync(capture, 'utf8')), (err: unknown) =>
    err instanceof BaselineFileError && /is an Imprint capture, not a baseline.*imprint baseline/.test(err.message));
  // Other JSON is still judged as YAML (JSON is YAML): a baseline written as JSON stays readable.
  assert.throws(() => parseBaseline('{"format":"something-else"}\n'), /invalid baseline/);
});
