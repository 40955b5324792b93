/** A compose file of three services where one calls the other two by name, on the real dockerd. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayCapture } from '../../electron/capture/reader.js';
import { EngineError, startCompose, type SessionMessage } from '../../electron/engine/index.js';
import { TEST_LABELS, leftovers } from './helpers.js';

test('trio: client reaches cache and web by service name; the graph shows it; --until returns its code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-compose-'));
  try {
    const capture = join(dir, 'trio.imprint');
    const session = await startCompose({ file: 'test/fixtures/compose/trio.yaml', until: 'client', duration: 120 }, { labels: TEST_LABELS, capture });
    const r = await session.done;
    assert.equal(r.exitCode, 0, JSON.stringify(r.services));
    assert.equal(r.complete, true, r.problems.join());
    assert.deepEqual(r.services.map((s) => s.service), ['cache', 'web', 'client']);
    const g = session.models.graph.snapshot();
    const edge = (to: string, port: number) => g.edges.find((e) => e.from === 'service:client' && e.to === `service:${to}` && e.port === port && e.count > 0);
    assert.ok(edge('cache', 6379), 'client → cache tcp/6379');
    assert.ok(edge('web', 80), 'client → web tcp/80');
    assert.deepEqual(g.nodes.find((n) => n.id === 'service:cache')?.listen, [{ protocol: 'tcp', port: 6379 }]);
    assert.ok(g.nodes.find((n) => n.id === 'service:web')?.listen.some((l) => l.port === 80));
    const names = session.events(0, 1e6).events.filter((e) => e.kind === 'connect' && e.peer?.service === 'cache');
    assert.ok(names.length > 0, 'connect events carry the peer service name');
    // Replayed from the capture, with no engine: the same graph.
    const replay = await replayCapture(capture);
    assert.equal(replay.summary.complete, true);
    assert.deepEqual(replay.models.graph.snapshot().edges.map((e) => e.id).sort(), g.edges.map((e) => e.id).sort());
    assert.deepEqual(await leftovers(session.id), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('volumes: a named volume shared by two services, a read-only host folder and a tmpfs; the run removes its volume', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-volumes-'));
  try {
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'greeting'), 'hello from the host\n');
    const file = join(dir, 'compose.yaml');
    await writeFile(file, [
      'services:',
      '  writer:',
      '    image: imprint-fixture/busybox:latest',
      '    command: ["sh", "-c", "cat /conf/greeting; echo from-writer > /shared/note; grep -q \' /scratch tmpfs\' /proc/mounts && echo scratch-is-tmpfs; touch /conf/x 2>/dev/null || echo conf-is-read-only"]',
      '    volumes: ["shared:/shared", "./conf:/conf:ro"]',
      '    tmpfs: /scratch',
      '  reader:',
      '    image: imprint-fixture/busybox:latest',
      '    depends_on: [writer]',
      '    command: ["sh", "-c", "until test -s /shared/note; do sleep 0.1; done; cat /shared/note"]',
      '    volumes: [{ type: volume, source: shared, target: /shared, read_only: true }]',
      'volumes:',
      '  shared: {}',
    ].join('\n'));
    const session = await startCompose({ file, until: 'reader', duration: 60 }, { labels: TEST_LABELS });
    const r = await session.done;
    assert.equal(r.exitCode, 0, JSON.stringify(r.services));
    const events = session.events(0, 1e6).events;
    const lines = (service: string) => events.flatMap((e) => (e.kind === 'log' && e.service === service ? [e.line] : []));
    assert.deepEqual(lines('writer'), ['hello from the host', 'scratch-is-tmpfs', 'conf-is-read-only']);
    assert.deepEqual(lines('reader'), ['from-writer']);
    assert.ok(events.some((e) => e.kind === 'open' && e.service === 'writer' && e.path === '/shared/note' && e.access.includes('create')), 'the write into the volume is seen');
    assert.deepEqual(await leftovers(session.id), [], 'the run\'s volume is removed with it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('unsupported compose keys are reported; an --until that is not a service is an error', async () => {
  const messages: SessionMessage[] = [];
  const session = await startCompose({ file: 'test/fixtures/compose/unsupported.yaml' }, { labels: TEST_LABELS, onMessage: (m) => messages.push(m) });
  const r = await session.done;
  assert.equal(r.exitCode, 0);
  assert.deepEqual(messages.filter((m) => m.code === 'compose-unsupported').map((m) => m.text).sort(),
    ['secrets: not supported, ignored', 'services.app.healthcheck: not supported, ignored', 'services.app.restart: not supported, ignored', 'services.app.secrets: not supported, ignored']);
  // the app learns them from the run's state, each once
  assert.deepEqual(session.state().messages?.filter((m) => m.code === 'compose-unsupported').length, 4);
  assert.deepEqual(await leftovers(session.id), []);
  const err = await startCompose({ file: 'test/fixtures/compose/trio.yaml', until: 'nope' }, { labels: TEST_LABELS }).catch((e: unknown) => e);
  assert.ok(err instanceof EngineError);
  assert.equal(err.code, 'compose-invalid');
});

test('a compose run ends when every service has exited (first non-zero code), or with --until that service\'s code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-until-'));
  try {
    const file = join(dir, 'pair.yaml');
    await writeFile(file, [
      'services:',
      '  quick: { image: imprint-fixture/busybox:latest, command: ["sh", "-c", "exit 0"] }',
      '  slow: { image: imprint-fixture/busybox:latest, command: ["sh", "-c", "sleep 0.5; exit 5"] }',
      '  forever: { image: imprint-fixture/busybox:latest, command: ["sleep", "600"] }',
    ].join('\n'));
    const until = await startCompose({ file, until: 'slow' }, { labels: TEST_LABELS });
    const u = await until.done;
    assert.equal(u.exitCode, 5, 'the --until service\'s code');
    assert.equal(u.services.find((s) => s.service === 'forever')?.exitCode, 143, 'the others were stopped');
    assert.deepEqual(await leftovers(until.id), []);

    await writeFile(file, [
      'services:',
      '  quick: { image: imprint-fixture/busybox:latest, command: ["sh", "-c", "exit 0"] }',
      '  slow: { image: imprint-fixture/busybox:latest, command: ["sh", "-c", "sleep 0.5; exit 5"] }',
    ].join('\n'));
    const all = await startCompose({ file }, { labels: TEST_LABELS });
    const a = await all.done;
    assert.equal(a.exitCode, 5);
    assert.equal(a.complete, true, a.problems.join());
    assert.deepEqual(await leftovers(all.id), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an external volume that does not exist is an error naming the fix, and none is created', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-extvol-'));
  const missing = `imprint-test-missing-${process.pid}`;
  try {
    const file = join(dir, 'compose.yaml');
    await writeFile(file, `services:\n  app: { image: imprint-fixture/busybox:latest, command: ["true"], volumes: ["data:/data"] }\nvolumes:\n  data: { external: true, name: ${missing} }\n`);
    const err = await startCompose({ file }, { labels: TEST_LABELS }).catch((e: unknown) => e);
    assert.ok(err instanceof EngineError && err.code === 'compose-invalid', String(err));
    assert.match(err.message, new RegExp(`external volume '${missing}' \\(volumes\\.data\\) does not exist`));
    assert.match(err.fix ?? '', /docker volume create/);
    assert.equal(execFileSync('docker', ['volume', 'ls', '-q', '--filter', `name=${missing}`]).toString().trim(), '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
