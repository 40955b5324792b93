/**
 * Baselines end to end on the busybox fixture: learn from real probed runs, check fresh runs of the same
 * behaviour (5 of 5 clean), check a variant (exactly its deviations), merge, exit codes and report formats,
 * and the seccomp export enforced by Docker itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBaseline } from '../../common/baseline/file.js';
import { BUSYBOX, dockerRun, imprint, recordRun, removeTestNetwork, testNetwork } from './harness.js';

// What the app does normally: a temp file (random name), reads, /proc of its own pid, a refused connection.
const NORMAL = 'set -e; f=$(mktemp); echo data > "$f"; cat /etc/passwd > /dev/null; rm "$f"; ls /proc/$$/ > /dev/null; nc -w 1 127.0.0.1 7000 </dev/null || true; echo done';
// The variant: a new program, a write under /etc, a connection to a new port.
const DRIFT = `${NORMAL}; /bin/busybox id > /dev/null; echo x > /etc/imprint-drift; nc -w 1 127.0.0.1 7001 </dev/null || true`;

let dir: string;
let baselineFile: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imprint-baseline-e2e-'));
  await recordRun(BUSYBOX, ['sh', '-c', NORMAL], join(dir, 'learn-1.imprint'));
  await recordRun(BUSYBOX, ['sh', '-c', NORMAL], join(dir, 'learn-2.imprint'));
  baselineFile = join(dir, 'app.baseline.yaml');
  const r = await imprint(['baseline', join(dir, 'learn-1.imprint'), join(dir, 'learn-2.imprint'), '-o', baselineFile]);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removeTestNetwork();
});

test('learns the fixture run: programs, normalized files, the connection, the syscall set, unconfined', () => {
  const b = parseBaseline(readFileSync(baselineFile, 'utf8'));
  assert.equal(b.learned.runs, 2);
  assert.equal(b.learned.seccomp, 'unconfined', 'recorded from the capture header');
  const svc = b.services.busybox!;
  assert.equal(svc.runs, 2);
  assert.deepEqual(svc.executables.map((e) => e.path), ['/bin/sh']);
  assert.ok(svc.files.create.some((f) => f.path === '/tmp/tmp.*' && f.runs === 2), JSON.stringify(svc.files.create));
  assert.ok(svc.files.delete.some((f) => f.path === '/tmp/tmp.*'));
  assert.ok(svc.files.read.some((f) => f.path === '/proc/*/'), JSON.stringify(svc.files.read));
  assert.deepEqual(svc.outbound.map((o) => [o.peer, o.protocol, o.port]), [['127.0.0.1', 'tcp', 7000]]);
  for (const s of ['execve', 'openat', 'socket', 'connect']) assert.ok(svc.syscalls.some((x) => x.name === s && x.runs === 2), s);
  assert.ok(svc.syscalls.every((s) => s.runs === 2), 'no flaky syscalls between identical runs');
});

test('the unchanged image passes against its own baseline in 5 of 5 fresh runs', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await imprint(['check', '--image', BUSYBOX, '--baseline', baselineFile, '--label', 'imprint.test=1', '--network', await testNetwork(), '--', 'sh', '-c', NORMAL]);
    assert.equal(r.code, 0, `run ${i + 1}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^clean: the run matches/);
  }
});

test('the variant yields exactly its three deviations (exit 1), in every report format', async () => {
  const capture = join(dir, 'drift.imprint');
  await recordRun(BUSYBOX, ['sh', '-c', DRIFT], capture);
  const json = await imprint(['check', capture, '--baseline', baselineFile, '--format', 'json']);
  assert.equal(json.code, 1, json.stderr);
  const report = JSON.parse(json.stdout) as { deviations: { rule: string; item: string; event: { kind: string } }[] };
  assert.deepEqual(report.deviations.map((d) => [d.rule, d.item, d.event.kind]), [
    ['new-executable', '/bin/busybox', 'exec'],
    ['new-file-create', '/etc/imprint-drift', 'open'],
    ['new-outbound-peer', 'tcp 127.0.0.1:7001', 'connect'],
  ]);
  const sarif = await imprint(['check', capture, '--baseline', baselineFile, '--format', 'sarif']);
  assert.equal(sarif.code, 1);
  const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  const line = readFileSync(baselineFile, 'utf8').split('\n').indexOf('  busybox:') + 1;
  assert.deepEqual(results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine]), [
    ['new-executable', line], ['new-file-create', line], ['new-outbound-peer', line]]);
  const junit = await imprint(['check', capture, '--baseline', baselineFile, '--format', 'junit']);
  assert.equal(junit.code, 1);
  assert.match(junit.stdout, /<testsuite name="busybox" tests="6" failures="3" errors="0">/);
  const text = await imprint(['check', capture, '--baseline', baselineFile]);
  assert.equal(text.code, 1);
  assert.doesNotMatch(text.stdout, /\x1b\[/, 'plain text when not a terminal');
});

test('a capture cut short is inconclusive (exit 3); a bad baseline is an error (exit 2)', async () => {
  const lines = readFileSync(join(dir, 'learn-1.imprint'), 'utf8').trimEnd().split('\n');
  const cut = join(dir, 'cut.imprint');
  writeFileSync(cut, lines.filter((l) => !l.startsWith('{"record":"end"')).join('\n') + '\n');
  const r = await imprint(['check', cut, '--baseline', baselineFile]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /^inconclusive/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'version: 1\nservices: {}\n');
  const e = await imprint(['check', join(dir, 'learn-1.imprint'), '--baseline', bad]);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /invalid baseline at learned/);
});

test('merging: learning runs one by one with --merge gives the same file as learning them together', async () => {
  const one = join(dir, 'one.yaml'), merged = join(dir, 'merged.yaml');
  assert.equal((await imprint(['baseline', join(dir, 'learn-1.imprint'), '-o', one])).code, 0);
  assert.equal((await imprint(['baseline', join(dir, 'learn-2.imprint'), '--merge', one, '-o', merged])).code, 0);
  assert.equal(readFileSync(merged, 'utf8'), readFileSync(baselineFile, 'utf8'));
});

test('the seccomp export is enforced by Docker: the app runs under it, a syscall never seen is refused', async () => {
  const profile = join(dir, 'seccomp.json');
  const r = await imprint(['export', baselineFile, '--to', 'seccomp', '-o', profile]);
  assert.equal(r.code, 0, r.stderr);
  const allowed = JSON.parse(readFileSync(profile, 'utf8')).syscalls[0].names as string[];
  assert.ok(!allowed.includes('personality'));
  const app = await dockerRun(['--security-opt', `seccomp=${profile}`, BUSYBOX, 'sh', '-c', NORMAL]);
  assert.equal(app.code, 0, app.stderr);
  assert.match(app.stdout, /done/);
  const unconfined = await dockerRun([BUSYBOX, '/opt/fixture/personality-query']);
  assert.equal(unconfined.code, 0, `without the profile the call runs: ${unconfined.stdout}${unconfined.stderr}`);
  const refused = await dockerRun(['--security-opt', `seccomp=${profile}`, BUSYBOX, '/opt/fixture/personality-query']);
  assert.equal(refused.code, 3, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /personality refused: Operation not permitted/);
});
