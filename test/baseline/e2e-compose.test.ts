/**
 * Baselines of a real compose run (Debian fixture: redis-server and a worker calling it by service name):
 * peers by service, DNS names, listen ports and dynamic binaries, then every export checked on that real
 * baseline: NetworkPolicy and Falco against their structure schemas, AppArmor through apparmor_parser, and
 * the seccomp profile enforced by Docker on redis-server itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { parseBaseline } from '../../common/baseline/file.js';
import type { Baseline } from '../../common/baseline/schema.js';
import { startCompose } from '../../electron/engine/index.js';
import { DEBIAN, imprint, TEST_LABELS } from './harness.js';

const REDIS = ['redis-server', '--port', '6379', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
// Waits for the cache without `sleep`, so a slow start changes how often it asks, never which programs run.
const WORKER = 'i=0; until redis-cli -h cache -p 6379 ping 2>/dev/null | grep -q PONG; do i=$$((i+1)); [ $$i -gt 400 ] && exit 1; done; redis-cli -h cache -p 6379 set k v >/dev/null; echo done';

let dir: string;
let compose: string;
let baselineFile: string;
let baseline: Baseline;
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), 'utf8'));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imprint-baseline-compose-'));
  compose = join(dir, 'compose.yaml');
  writeFileSync(compose, [
    'services:',
    '  cache:',
    `    image: ${DEBIAN}`,
    `    command: ${JSON.stringify(REDIS)}`,
    '  worker:',
    `    image: ${DEBIAN}`,
    `    command: ${JSON.stringify(['sh', '-c', WORKER])}`,
    '',
  ].join('\n'));
  const capture = join(dir, 'shop.imprint');
  const session = await startCompose({ file: compose, until: 'worker', duration: 60, seccompUnconfined: true }, { capture, labels: TEST_LABELS });
  const result = await session.done;
  assert.equal(result.complete, true, JSON.stringify(result));
  baselineFile = join(dir, 'shop.baseline.yaml');
  const r = await imprint(['baseline', capture, '-o', baselineFile]);
  assert.equal(r.code, 0, r.stderr);
  baseline = parseBaseline(readFileSync(baselineFile, 'utf8'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('learns peers by service name, DNS, listen port and the programs of both services', () => {
  const cache = baseline.services.cache!, worker = baseline.services.worker!;
  assert.deepEqual(cache.executables.map((e) => e.path), ['/usr/bin/redis-server']);
  assert.deepEqual(cache.listen.map((l) => `${l.protocol}/${l.port}`), ['tcp/6379']);
  assert.deepEqual(cache.inbound.map((i) => [i.peer, i.kind, i.port]), [['worker', 'service', 6379]]);
  assert.ok(worker.outbound.some((o) => o.peer === 'cache' && o.kind === 'service' && o.port === 6379), JSON.stringify(worker.outbound));
  assert.deepEqual(worker.dns.map((d) => d.name), ['cache']);
  assert.ok(worker.executables.some((e) => e.path === '/usr/bin/redis-cli' && e.parents.includes('/usr/bin/sh')));
  assert.ok(cache.files.read.some((f) => f.path === '/lib/x86_64-linux-gnu/libc.so.6'), 'dynamic loader reads are listed');
  for (const s of ['socket', 'bind', 'listen', 'accept4']) assert.ok(cache.syscalls.some((x) => x.name === s), s);
});

test('NetworkPolicy export of the real baseline: valid, ingress from worker, egress to cache plus DNS', async () => {
  const r = await imprint(['export', baselineFile, '--to', 'networkpolicy']);
  assert.equal(r.code, 0, r.stderr);
  const validate = new Ajv({ strict: false }).compile(schema('networkpolicy-v1.schema.json'));
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  for (const d of docs) assert.equal(validate(d), true, JSON.stringify(validate.errors));
  const cache = docs.find((d) => d.metadata.name === 'cache'), worker = docs.find((d) => d.metadata.name === 'worker');
  assert.deepEqual(cache.spec.ingress, [{ from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
  assert.deepEqual(cache.spec.egress, []);
  assert.deepEqual(worker.spec.ingress, []);
  assert.deepEqual(worker.spec.egress, [
    { to: [{ podSelector: { matchLabels: { app: 'cache' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
    { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
  ]);
});

test('Falco and AppArmor exports of the real baseline are valid', async (t) => {
  const falco = await imprint(['export', baselineFile, '--to', 'falco']);
  assert.equal(falco.code, 0, falco.stderr);
  const validate = new Ajv({ strict: false }).compile(schema('falco-rules.schema.json'));
  const items = parse(falco.stdout);
  assert.equal(validate(items), true, JSON.stringify(validate.errors));
  assert.ok(items.some((i: { list?: string; items?: string[] }) => i.list === 'imprint_worker_executables' && i.items!.includes('/usr/bin/redis-cli')));
  const apparmor = await imprint(['export', baselineFile, '--to', 'apparmor', '--service', 'cache', '-o', join(dir, 'cache.apparmor')]);
  assert.equal(apparmor.code, 0, apparmor.stderr);
  const profile = readFileSync(join(dir, 'cache.apparmor'), 'utf8');
  assert.match(profile, /^  \/usr\/bin\/redis-server mrix,$/m);
  assert.match(profile, /^  \/lib\/x86_64-linux-gnu\/libc\.so\.6 mr,$/m);
  assert.match(profile, /^  owner \/proc\/\*\/stat r,$/m);
  if (spawnSync('apparmor_parser', ['--version']).status !== 0) { t.skip('apparmor_parser is not installed'); return; }
  execFileSync('apparmor_parser', ['-Q', '-K', join(dir, 'cache.apparmor')], { stdio: 'pipe' });
});

test('the seccomp export runs redis-server under Docker until it accepts connections', async () => {
  const profile = join(dir, 'cache.seccomp.json');
  const r = await imprint(['export', baselineFile, '--to', 'seccomp', '--service', 'cache', '-o', profile]);
  assert.equal(r.code, 0, r.stderr);
  const id = execFileSync('docker', ['run', '-d', '--label', 'imprint.test=1', '--network', 'none', '--security-opt', `seccomp=${profile}`, DEBIAN, ...REDIS], { encoding: 'utf8' }).trim();
  try {
    let logs = '';
    for (let i = 0; i < 50 && !/Ready to accept connections/.test(logs); i++) {
      await new Promise((res) => setTimeout(res, 100));
      logs = spawnSync('docker', ['logs', id], { encoding: 'utf8' }).stdout;
    }
    assert.match(logs, /Ready to accept connections/);
  } finally {
    spawnSync('docker', ['rm', '-f', id]);
  }
});

test('the compose run checks clean against its own baseline from the capture', async () => {
  const r = await imprint(['check', join(dir, 'shop.imprint'), '--baseline', baselineFile, '--format', 'junit']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /<testsuites name="imprint check" tests="12" failures="0" errors="0">/);
});

test('a fresh compose run checks clean through the CLI (same services, same peers, learned profile)', async () => {
  const r = await imprint(['check', '--compose', compose, '--until', 'worker', '--duration', '60', '--baseline', baselineFile, '--label', 'imprint.test=1']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^clean: /);
});
