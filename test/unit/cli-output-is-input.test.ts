/**
 * `-o` never replaces one of the command's own inputs (a capture swapped for YAML, a baseline for a report
 * or a policy): the command refuses with one line naming the path and the fix, exit 2, before any work,
 * however the path is spelled (relative, through a symlink, a hard link). `--merge b.yaml -o b.yaml` still
 * updates the baseline in place, as docs/baseline.md describes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imprint-output-is-input-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
// No engine answers here: a live check that got past its argument checks would fail with "not running".
const NO_ENGINE = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/imprint-test.sock', NO_COLOR: '1' };
// Run from the test's folder, so that relative paths are the user's; tsx is then found by its full address.
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), `${REPO}/electron/cli/main.ts`, ...args], { cwd: dir, encoding: 'utf8', env: NO_ENGINE, timeout: 60_000 });

const capture = join(dir, 'C.imprint');
const baseline = join(dir, 'b.yaml');
copyFileSync(join(REPO, 'test/fixtures/captures/busybox-normal-1.imprint'), capture);
copyFileSync(join(REPO, 'test/fixtures/captures/busybox.baseline.yaml'), baseline);
const original = { capture: readFileSync(capture, 'utf8'), baseline: readFileSync(baseline, 'utf8') };
symlinkSync(baseline, join(dir, 'link.yaml'));
linkSync(capture, join(dir, 'hard.imprint'));

function refused(r: ReturnType<typeof imprint>, command: string, output: string, role: string, input: string): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trimEnd(), `imprint ${command}: cannot write ${output}: it is ${role} ${input}, which this command reads — choose another path with -o`);
  assert.equal(r.stdout, '', 'no work was done');
  assert.equal(readFileSync(capture, 'utf8'), original.capture, 'the capture is untouched');
  assert.equal(readFileSync(baseline, 'utf8'), original.baseline, 'the baseline is untouched');
}

test('baseline -o one of its captures is refused', () => {
  refused(imprint('baseline', 'C.imprint', '-o', 'C.imprint'), 'baseline', 'C.imprint', 'the capture', 'C.imprint');
  refused(imprint('baseline', capture, '-o', './sub/../C.imprint'), 'baseline', './sub/../C.imprint', 'the capture', capture);
  refused(imprint('baseline', 'C.imprint', '-o', 'hard.imprint'), 'baseline', 'hard.imprint', 'the capture', 'C.imprint');
});

test('check -o its baseline, its capture, or a --compose file is refused, before any run', () => {
  refused(imprint('check', 'C.imprint', '--baseline', 'b.yaml', '-o', 'b.yaml'), 'check', 'b.yaml', 'the baseline', 'b.yaml');
  refused(imprint('check', 'C.imprint', '--baseline', 'b.yaml', '-o', join(dir, 'C.imprint')), 'check', join(dir, 'C.imprint'), 'the capture', 'C.imprint');
  refused(imprint('check', '--image', 'imprint-fixture/busybox:latest', '--baseline', 'b.yaml', '-o', 'link.yaml', '--', 'true'), 'check', 'link.yaml', 'the baseline', 'b.yaml');
  refused(imprint('check', '--compose', 'b.yaml', '--baseline', 'C.imprint', '-o', 'link.yaml'), 'check', 'link.yaml', 'the compose file', 'b.yaml');
  // A --capture not yet recorded: the report would replace the capture the check reads back.
  const r = imprint('check', '--image', 'imprint-fixture/busybox:latest', '--baseline', 'b.yaml', '--capture', 'new.imprint', '-o', 'new.imprint', '--', 'true');
  assert.match(r.stderr, /^imprint check: cannot write new\.imprint: it is the --capture file new\.imprint, which this command reads/);
});

test('export -o its baseline is refused, through a symlink too', () => {
  refused(imprint('export', 'b.yaml', '--to', 'seccomp', '-o', 'b.yaml'), 'export', 'b.yaml', 'the baseline', 'b.yaml');
  refused(imprint('export', 'link.yaml', '--to', 'falco', '-o', baseline), 'export', baseline, 'the baseline', 'link.yaml');
});

test('other outputs still work, and --merge into the same baseline updates it in place', () => {
  // Copies of their own, so this holds whatever the tests above did to the shared files.
  copyFileSync(join(REPO, 'test/fixtures/captures/busybox-normal-1.imprint'), join(dir, 'm.imprint'));
  copyFileSync(join(REPO, 'test/fixtures/captures/busybox.baseline.yaml'), join(dir, 'm.yaml'));
  const r = imprint('export', 'm.yaml', '--to', 'falco', '-o', 'rules.yaml');
  assert.equal(r.status, 0, r.stderr);
  const merged = imprint('baseline', 'm.imprint', '--merge', 'm.yaml', '-o', 'm.yaml');
  assert.equal(merged.status, 0, merged.stderr);
  assert.notEqual(readFileSync(join(dir, 'm.yaml'), 'utf8'), original.baseline);
});
