/**
 * `imprint show` names peers exactly as the baseline learned from the same capture does (F16): the Docker
 * host is `host`, a client gone before the engine read its address is named by its own connect, loopback
 * stays an address. And `--name SERVICE` shows that one service. Real capture file, the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBaseline } from '../../common/baseline/file.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

const seqs = new Map<string, number>();
const ev = (service: string, pid: number, fields: object) => {
  const seq = (seqs.get(service) ?? 0) + 1;
  seqs.set(service, seq);
  return { seq, time: 1_764_000_000_000 + seq, service, container: `${service}-c`, pid, tid: pid, ...fields };
};
const connect = (service: string, address: string, port: number, extra: object = {}) =>
  ev(service, 7, { kind: 'connect', fd: 4, family: 'inet', protocol: 'tcp', peer: { address, port, ...extra }, result: 0 });
const lines = [
  { format: 'imprint-capture', version: 1, eventSchema: 1, imprint: '0.1.0', runId: 'show-1', mode: 'compose', source: 'compose.yaml', startedAt: 1_764_000_000_000,
    services: ['api', 'redis', 'job'].map((s) => ({ service: s, image: 'imprint-fixture/debian:latest', config: {} })) },
  { record: 'container', time: 1, service: 'api', container: 'api-c', name: 'api', addresses: ['172.30.0.3'], gateways: ['172.30.0.1'] },
  { record: 'container', time: 1, service: 'redis', container: 'redis-c', name: 'redis', addresses: ['172.30.0.4'] },
  // job exited before the engine read its address: only its own connect can name it.
  { record: 'container', time: 1, service: 'job', container: 'job-c', name: 'job', addresses: [] },
  ev('redis', 1, { kind: 'exec', path: '/usr/bin/redis-server', argv: ['redis-server'], argc: 1, cwd: '/', uid: 0, gid: 0, result: 0 }),
  ev('redis', 1, { kind: 'listen', fd: 6, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 6379 }, backlog: 511, result: 0 }),
  ev('api', 7, { kind: 'exec', path: '/usr/local/bin/api', argv: ['api'], argc: 1, cwd: '/', uid: 0, gid: 0, result: 0 }),
  connect('api', '172.30.0.1', 5432), // the Docker host (a published port of the host's database)
  connect('api', '127.0.0.1', 7000), // its own sidecar port, inside the container
  ev('api', 7, { kind: 'dns', phase: 'query', name: 'db.example.test', qtype: 'A', id: 1 }),
  ev('api', 7, { kind: 'dns', phase: 'answer', name: 'db.example.test', qtype: 'A', id: 1, rcode: 0, answers: ['A 10.1.2.3'] }),
  connect('api', '10.1.2.3', 5432),
  connect('job', '172.30.0.4', 6379, { service: 'redis' }),
  ev('redis', 1, { kind: 'accept', fd: 6, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.9', port: 40001 }, local: { address: '172.30.0.4', port: 6379 }, result: 8 }),
  { record: 'end', time: 2, complete: true, problems: [], events: 10, missing: 0, decodeErrors: 0 },
];

const dir = mkdtempSync(join(tmpdir(), 'imprint-show-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const capture = join(dir, 'trio.imprint');
writeFileSync(capture, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

test('show lists every peer under the name the baseline gives it', () => {
  const baselineFile = join(dir, 'trio.yaml');
  assert.equal(imprint('baseline', capture, '-o', baselineFile).status, 0);
  const baseline = parseBaseline(readFileSync(baselineFile, 'utf8'));
  const show = imprint('show', capture);
  assert.equal(show.status, 0, show.stderr);
  const expected: string[] = [];
  for (const [service, s] of Object.entries(baseline.services)) {
    for (const o of s.outbound) expected.push(`${service} → ${o.peer} ${o.protocol}/${o.port}`);
    for (const i of s.inbound) expected.push(`${service} ← ${i.peer} ${i.protocol}/${i.port}`);
  }
  assert.deepEqual(expected.sort(), [
    'api → 127.0.0.1 tcp/7000', 'api → db.example.test tcp/5432', 'api → host tcp/5432', 'job → redis tcp/6379', 'redis ← job tcp/6379',
  ]);
  const rows = show.stdout.split('\n').filter((l) => /^ {2}\S+ [→←] /.test(l)).map((l) => l.trim().replace(/ {2}×.*$/, '')).sort();
  assert.deepEqual(rows, expected.sort());
  assert.doesNotMatch(show.stdout, /172\.30\.0\.[19]/, 'no address that changes from run to run');
  assert.match(show.stdout, /^ {2}api → db\.example\.test tcp\/5432 {2}×1 {2}\[dns 10\.1\.2\.3\]$/m);
});

test('--name shows one service; a name the capture does not have is an error naming those it has', () => {
  const redis = imprint('show', capture, '--name', 'redis');
  assert.equal(redis.status, 0, redis.stderr);
  assert.match(redis.stdout, /service redis only/);
  assert.match(redis.stdout, /^PROCESSES \(1\)\n {2}redis 1 redis-server$/m);
  assert.deepEqual(redis.stdout.split('\n').filter((l) => /^ {2}\S+ [→←] /.test(l)).map((l) => l.trim().replace(/ {2}×.*$/, '')), ['redis ← job tcp/6379']);
  assert.doesNotMatch(redis.stdout, /api →|\/usr\/local\/bin\/api/);
  const json = JSON.parse(imprint('show', capture, '--name', 'api', '--json').stdout) as { connections: { flows: { service: string }[] }; models: { processes: { nodes: { service: string }[] } } };
  assert.deepEqual([...new Set(json.connections.flows.map((f) => f.service))], ['api']);
  assert.deepEqual([...new Set(json.models.processes.nodes.map((n) => n.service))], ['api']);
  const missing = imprint('show', capture, '--name', 'web');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /has no service web \(its services: api, redis, job\)/);
});

test('a process that exec\'d shows its chain, so an entrypoint script is not hidden behind what it exec\'d', () => {
  const exec = (service: string, pid: number, path: string, argv: string[]) => ev(service, pid, { kind: 'exec', path, argv, argc: argv.length, cwd: '/', uid: 0, gid: 0, result: 0 });
  const file = join(dir, 'chain.imprint');
  writeFileSync(file, [
    { ...lines[0], runId: 'show-chain', mode: 'compose', services: ['ep', 'loop'].map((s) => ({ service: s, image: 'imprint-fixture/debian:latest', config: {} })) },
    exec('ep', 1, '/ep.sh', ['/ep.sh']),
    exec('ep', 1, '/bin/bash', ['bash', '-c', 'exec sleep 2']),
    exec('ep', 1, '/bin/sleep', ['sleep', '2']),
    ev('ep', 1, { kind: 'exit', code: 0 }),
    // Twelve execs in one pid: the first (the entrypoint) and the latest stay, the middle is counted.
    ...Array.from({ length: 12 }, (_, i) => exec('loop', 1, `/bin/s${i + 1}`, [`s${i + 1}`])),
    { record: 'end', time: 2, complete: true, problems: [], events: 17, missing: 0, decodeErrors: 0 },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n');
  const show = imprint('show', file);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /^ {2}ep 1 \/ep\.sh → \/bin\/bash → sleep 2 \(exit 0\)$/m);
  assert.match(show.stdout, /^ {2}loop 1 \/bin\/s1 → \(7 more\) → \/bin\/s9 → \/bin\/s10 → \/bin\/s11 → s12$/m);
});
