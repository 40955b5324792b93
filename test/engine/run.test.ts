/** Single-image runs against the real dockerd with the real probe; nothing may be left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { mkdtemp, rm, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import type { ImprintEvent } from '../../common/events.js';
import { readCapture } from '../../electron/capture/reader.js';
import { EngineError, startCompose, startRun, sweepLeftovers, type SessionMessage } from '../../electron/engine/index.js';
import { createOptions, effectiveCommand } from '../../electron/engine/run.js';
import { readableText } from '../../common/protocol/text.js';
import { BUSYBOX, TEST_LABELS, leftovers } from './helpers.js';

const docker = new Dockerode();

test('the container is created from the image config with the probe as entrypoint and no log driver', async () => {
  const imageInfo = await docker.getImage(BUSYBOX).inspect();
  const fakeInfo = { ...imageInfo, Config: { ...imageInfo.Config, Entrypoint: ['/bin/entry'], Cmd: ['serve', '--port', '1'] } } as Dockerode.ImageInspectInfo;
  assert.deepEqual(effectiveCommand({ imageInfo: fakeInfo }), ['/bin/entry', 'serve', '--port', '1']);
  assert.deepEqual(effectiveCommand({ imageInfo: fakeInfo, command: ['other'] }), ['/bin/entry', 'other']);
  assert.deepEqual(effectiveCommand({ imageInfo: fakeInfo, entrypoint: ['/x'] }), ['/x']);
  const o = createOptions({ service: 's', image: BUSYBOX, imageInfo: fakeInfo, labels: { a: 'b' }, ports: ['127.0.0.1:8080:80', '53/udp'], env: ['A=1'] });
  assert.deepEqual(o.Entrypoint, ['/.imprint/probe', '--']);
  assert.deepEqual(o.Cmd, ['/bin/entry', 'serve', '--port', '1']);
  assert.deepEqual(o.HostConfig?.LogConfig, { Type: 'none', Config: {} });
  assert.equal(o.Tty, false);
  assert.deepEqual(o.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostPort: '' }] });
  assert.deepEqual(o.Labels, { a: 'b', 'imprint.service': 's' });
  assert.throws(() => createOptions({ service: 's', image: BUSYBOX, imageInfo: fakeInfo, labels: {}, ports: ['99999:1'] }), EngineError);
  // CAP_SYS_PTRACE only for a root probe (only root can use it, and drop it from the app's sets)
  assert.deepEqual(o.HostConfig?.CapAdd, ['SYS_PTRACE']);
  const nobody = { ...fakeInfo, Config: { ...fakeInfo.Config, User: 'nobody' } } as Dockerode.ImageInspectInfo;
  assert.deepEqual(createOptions({ service: 's', image: BUSYBOX, imageInfo: nobody, labels: {} }).HostConfig?.CapAdd, []);
  assert.deepEqual(createOptions({ service: 's', image: BUSYBOX, imageInfo: nobody, labels: {}, user: '0:0' }).HostConfig?.CapAdd, ['SYS_PTRACE']);
  assert.deepEqual(createOptions({ service: 's', image: BUSYBOX, imageInfo: fakeInfo, labels: {}, user: '65534' }).HostConfig?.CapAdd, []);
});

test('an app run as another user has the bounding set docker gives it, with no CAP_SYS_PTRACE of ours', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-user-'));
  try {
    const file = join(dir, 'user.yaml');
    const script = 'grep -E "^(Uid|CapBnd)" /proc/self/status';
    await writeFile(file, `services:\n  app: { image: ${BUSYBOX}, user: "65534", command: ["sh", "-c", ${JSON.stringify(script)}] }\n`);
    const session = await startCompose({ file, seccomp: false }, { labels: TEST_LABELS });
    const r = await session.done;
    assert.equal(r.exitCode, 0, r.problems.join());
    const lines = session.events(0, 10_000).events.flatMap((e) => (e.kind === 'log' ? [readableText(e.line).replace(/\s+/g, ' ').trim()] : []));
    const plain = execFileSync('docker', ['run', '--rm', '--label', 'imprint.test=1', '--network', 'none', '-u', '65534', BUSYBOX, 'sh', '-c', script], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map((l) => l.replace(/\s+/g, ' ').trim());
    assert.deepEqual(lines, plain);
    assert.ok(plain.some((l) => l.startsWith('Uid: 65534')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a run: events, models, exit code, capture round trip, nothing left behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-run-'));
  try {
    const capture = join(dir, 'run.imprint');
    const batches: ImprintEvent[][] = [];
    const session = await startRun(
      { image: BUSYBOX, command: ['sh', '-c', 'echo hello; cat /etc/hostname > /dev/null; mkdir /tmp/made; exit 3'], env: ['DB_PASSWORD=secret'] },
      { labels: TEST_LABELS, capture, onEvents: (b) => batches.push(b) },
    );
    const r = await session.done;
    assert.equal(r.exitCode, 3);
    assert.equal(r.status, 'exited');
    assert.equal(r.complete, true, r.problems.join());
    assert.equal(r.dropped, 0);
    const events = batches.flat();
    assert.equal(events.length, r.events);
    assert.ok(events.some((e) => e.kind === 'exec' && e.path === '/bin/sh'), 'exec of the entrypoint');
    assert.ok(events.some((e) => e.kind === 'log' && e.line === 'hello'), 'stdout relayed as a log event');
    assert.ok(events.some((e) => e.kind === 'mkdir' && e.path === '/tmp/made'), 'mkdir seen');
    assert.ok(session.models.files.files.has('/etc/hostname'));
    assert.equal(session.models.processes.nodes.size >= 2, true);
    assert.equal(session.state().status, 'exited');
    assert.deepEqual(session.events(0, 1_000_000).events, events, 'events kept in memory in order');

    // The capture: renamed from .partial, same events, header metadata, complete end record.
    assert.equal(r.capture, capture);
    assert.deepEqual(await readdir(dir), ['run.imprint']);
    const fromFile: ImprintEvent[] = [];
    const records: string[] = [];
    const summary = await readCapture(capture, { onEvent: (e) => fromFile.push(e), onRecord: (x) => records.push(x.record) });
    assert.deepEqual(fromFile, events);
    assert.equal(summary.complete, true, summary.incompleteBecause.join());
    assert.equal(summary.header?.services[0]?.image, BUSYBOX);
    assert.ok(summary.header?.services[0]?.imageId?.startsWith('sha256:'));
    assert.ok(summary.header?.services[0]?.config.env?.includes('DB_PASSWORD=***'), 'secrets masked');
    assert.equal(summary.header?.probe?.arch, 'x86_64');
    assert.deepEqual(records.filter((x) => x !== 'output').sort(), ['container', 'end', 'exit', 'probe']);
    assert.equal(records.at(-1), 'end');
    assert.equal(summary.end?.exitCode, 3);
    assert.deepEqual(await leftovers(session.id), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('early exit: a command that does not exist ends the run with 127, cleanly', async () => {
  const session = await startRun({ image: BUSYBOX, command: ['/no/such/program'] }, { labels: TEST_LABELS });
  const r = await session.done;
  assert.equal(r.exitCode, 127);
  assert.equal(r.complete, true, r.problems.join());
  assert.deepEqual(await leftovers(session.id), []);
});

test('the app under test crashing (SIGSEGV) is reported and cleaned up', async () => {
  const session = await startRun({ image: BUSYBOX, command: ['sh', '-c', 'kill -SEGV $$'] }, { labels: TEST_LABELS });
  const r = await session.done;
  assert.equal(r.exitCode, 139);
  assert.ok(session.models.processes.snapshot().nodes.some((n) => n.signal === 11));
  assert.deepEqual(await leftovers(session.id), []);
});

test('stop (Ctrl-C) and --duration end a long-running app with SIGTERM; the capture stays complete', async () => {
  const session = await startRun({ image: BUSYBOX, command: ['sleep', '300'] }, { labels: TEST_LABELS, stopGraceSeconds: 5 });
  await new Promise((r) => setTimeout(r, 300));
  const r = await session.stop();
  assert.equal(r.exitCode, 143, 'killed by the forwarded SIGTERM');
  assert.equal(r.complete, true, r.problems.join());
  assert.deepEqual(await leftovers(session.id), []);

  const timed = await startRun({ image: BUSYBOX, command: ['sleep', '300'], duration: 0.5 }, { labels: TEST_LABELS });
  const t = await timed.done;
  assert.equal(t.exitCode, 143);
  // who ended it is part of the result and of the state the app shows (the 143 answers Imprint's stop)
  assert.equal(t.stoppedBy, 'duration');
  assert.equal(timed.state().stoppedBy, 'duration');
  assert.equal(r.stoppedBy, 'request');
  assert.equal(t.services[0]!.stopped, true);
  assert.deepEqual(await leftovers(timed.id), []);
});

test('image not found and bad references are clear errors, before anything is created', async () => {
  const missing = await startRun({ image: 'imprint-fixture/nope:1' }, { labels: TEST_LABELS }).catch((e: unknown) => e);
  assert.ok(missing instanceof EngineError);
  assert.equal(missing.code, 'image-not-found');
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/engine.sock'; // proves no engine call is made first
  try {
    const bad = await startRun({ image: 'Not A Reference' }, { labels: TEST_LABELS }).catch((e: unknown) => e);
    assert.ok(bad instanceof EngineError);
    assert.equal(bad.code, 'bad-reference');
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
  }
  const net = await startRun({ image: BUSYBOX, command: ['true'], network: 'imprint-no-such-network' }, { labels: TEST_LABELS }).catch((e: unknown) => e);
  assert.ok(net instanceof EngineError);
  assert.match(net.message, /network/);
  const left = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ['imprint.test=1', 'imprint.run'], ancestor: [BUSYBOX] }) });
  assert.deepEqual(left.filter((c) => c.State === 'created' && c.Labels['imprint.owner'] === `${hostname()}/${process.pid}`), []);
});

test('leftovers of a crashed Imprint (owner process gone) are swept; live owners are left alone', async () => {
  const make = (owner: string) => docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: { ...TEST_LABELS, 'imprint.run': 'crashed', 'imprint.owner': owner } });
  const dead = await make(`${hostname()}/999999`);
  const alive = await make(`${hostname()}/${process.ppid}`);
  const deadVolume = `imprint-test-swept-${process.pid}`;
  await docker.createVolume({ Name: deadVolume, Labels: { ...TEST_LABELS, 'imprint.run': 'crashed', 'imprint.owner': `${hostname()}/999999` } });
  try {
    const swept = await sweepLeftovers(docker);
    assert.ok(swept.containers >= 1);
    assert.ok(swept.volumes >= 1);
    await assert.rejects(dead.inspect(), /no such container/i);
    await assert.rejects(docker.getVolume(deadVolume).inspect(), /no such volume/i);
    assert.equal((await alive.inspect()).Id, alive.id);
  } finally {
    await alive.remove({ force: true });
    await dead.remove({ force: true }).catch(() => undefined);
    await docker.getVolume(deadVolume).remove().catch(() => undefined);
  }
});

test('-v: a host folder mounted read-only, and an anonymous volume, as docker run -v', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-run-volume-'));
  try {
    await writeFile(join(dir, 'greeting'), 'mounted from the host\n');
    const session = await startRun({
      image: BUSYBOX, volumes: [`${dir}:/in:ro`, '/cache'],
      command: ['sh', '-c', 'cat /in/greeting; touch /in/x 2>/dev/null || echo read-only; touch /cache/ok && echo cache-writable'],
    }, { labels: TEST_LABELS });
    const r = await session.done;
    assert.equal(r.exitCode, 0);
    const lines = session.events(0, 1e5).events.flatMap((e) => (e.kind === 'log' ? [e.line] : []));
    assert.deepEqual(lines, ['mounted from the host', 'read-only', 'cache-writable']);
    assert.deepEqual(await leftovers(session.id), []);
    await assert.rejects(startRun({ image: BUSYBOX, volumes: ['data:relative/path'] }, { labels: TEST_LABELS }), /must be absolute/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a probe that does not start: its output is shown as raw output and the run is marked incomplete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-noprobe-'));
  try {
    const fake = join(dir, 'probe-x86_64');
    await writeFile(fake, '#!/bin/sh\necho "this is not a probe"\nexit 4\n', { mode: 0o755 });
    const messages: SessionMessage[] = [];
    const session = await startRun({ image: BUSYBOX, command: ['true'] }, { labels: TEST_LABELS, probePath: fake, onMessage: (m) => messages.push(m) });
    const r = await session.done;
    assert.equal(r.exitCode, 4);
    assert.equal(r.complete, false);
    assert.ok(r.problems.includes('no-probe'));
    assert.ok(messages.some((m) => m.code === 'raw-output' && m.text.includes('this is not a probe')), JSON.stringify(messages));
    assert.ok(messages.some((m) => m.code === 'decode' && /probe did not start/.test(m.text)));
    assert.deepEqual(await leftovers(session.id), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--no-seccomp reaches the probe: it traces with ptrace alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-noseccomp-'));
  try {
    const capture = join(dir, 'p.imprint');
    const session = await startRun({ image: BUSYBOX, command: ['true'], seccomp: false }, { labels: TEST_LABELS, capture });
    const r = await session.done;
    assert.equal(r.exitCode, 0);
    const modes: string[] = [];
    await readCapture(capture, { onRecord: (x) => { if (x.record === 'probe') modes.push(x.mode); } });
    assert.deepEqual(modes, ['ptrace']);
    assert.ok(!session.events(0, 1000).events.some((e) => e.kind === 'notice' && e.code === 'no-new-privs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stdin is passed to the app and its end is the app\'s EOF', async () => {
  const session = await startRun({ image: BUSYBOX, command: ['wc', '-c'] }, { labels: TEST_LABELS, stdin: Readable.from([Buffer.from('hello '), Buffer.from('world')]) });
  const r = await session.done;
  assert.equal(r.exitCode, 0);
  const lines = session.events(0, 1000).events.flatMap((e) => (e.kind === 'log' ? [e.line.trim()] : []));
  assert.deepEqual(lines, ['11']);
  assert.deepEqual(await leftovers(session.id), []);
});

test('a request through a published port comes from the Docker host, named `host` live and in the capture', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-host-'));
  try {
    const capture = join(dir, 'web.imprint');
    const hostPort = 20_000 + (process.pid % 20_000);
    const session = await startRun(
      { image: BUSYBOX, command: ['httpd', '-f', '-p', '8080', '-h', '/etc'], ports: [`127.0.0.1:${hostPort}:8080`] },
      { labels: TEST_LABELS, capture, stopGraceSeconds: 2 },
    );
    const listening = () => session.events(0, 10_000).events.some((e) => e.kind === 'listen' && e.local?.port === 8080);
    for (let i = 0; i < 100 && !listening(); i++) await new Promise((r) => setTimeout(r, 50));
    // loopback only: the engine's proxy (or NAT) forwards it from the network's gateway
    const res = await fetch(`http://127.0.0.1:${hostPort}/hostname`);
    assert.equal(res.status, 200);
    await res.text();
    for (let i = 0; i < 100 && !session.events(0, 10_000).events.some((e) => e.kind === 'accept'); i++) await new Promise((r) => setTimeout(r, 50));
    await session.stop();
    // busybox httpd listens on a dual-stack socket: the kernel says ::ffff:<gateway>
    const accepts = session.events(0, 10_000).events.filter((e) => e.kind === 'accept' && e.result >= 0);
    assert.ok(accepts.length >= 1, 'the request was accepted');
    assert.ok(accepts.every((e) => e.kind === 'accept' && e.peer?.host === true), JSON.stringify(accepts.map((e) => e.kind === 'accept' && e.peer)));
    assert.ok(session.models.graph.snapshot().nodes.some((n) => n.label === 'host'));
    const fromFile: ImprintEvent[] = [];
    await readCapture(capture, { onEvent: (e) => fromFile.push(e) });
    assert.ok(fromFile.some((e) => e.kind === 'accept' && e.peer?.host === true), 'the capture keeps the name');
    assert.deepEqual(await leftovers(session.id), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a client container on the run\'s network, outside the run, is named by that network (its address is new every run)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-net-'));
  const net = `imprint-test-net-${process.pid}`;
  execFileSync('docker', ['network', 'create', '--label', 'imprint.test=1', net]);
  try {
    const capture = join(dir, 'web.imprint');
    const name = `imprint-test-web-${process.pid}`;
    const session = await startRun(
      { image: BUSYBOX, command: ['httpd', '-f', '-p', '8080', '-h', '/etc'], network: net, name },
      { labels: TEST_LABELS, capture, stopGraceSeconds: 2 },
    );
    const listening = () => session.events(0, 10_000).events.some((e) => e.kind === 'listen' && e.local?.port === 8080);
    for (let i = 0; i < 100 && !listening(); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('docker', ['run', '--rm', '--label', 'imprint.test=1', '--network', net, BUSYBOX, 'wget', '-q', '-O', '/dev/null', `http://${name}:8080/hostname`]);
    for (let i = 0; i < 100 && !session.events(0, 10_000).events.some((e) => e.kind === 'accept'); i++) await new Promise((r) => setTimeout(r, 50));
    await session.stop();
    const accepts = session.events(0, 10_000).events.filter((e) => e.kind === 'accept' && e.result >= 0);
    assert.ok(accepts.length >= 1, 'the request was accepted');
    assert.ok(accepts.every((e) => e.kind === 'accept' && e.peer?.network === net), JSON.stringify(accepts.map((e) => e.kind === 'accept' && e.peer)));
    const { readCaptureText } = await import('../../common/baseline/capture-input.js');
    const { learnBaseline } = await import('../../common/baseline/learn.js');
    const { readFile } = await import('node:fs/promises');
    const baseline = learnBaseline([{ events: readCaptureText(await readFile(capture, 'utf8')).events }], { seccomp: 'default' });
    assert.deepEqual(Object.values(baseline.services)[0]!.inbound.map((i) => [i.peer, i.kind, i.port]), [[net, 'network', 8080]]);
    assert.deepEqual(await leftovers(session.id), []);
  } finally {
    execFileSync('docker', ['network', 'rm', net]);
    await rm(dir, { recursive: true, force: true });
  }
});
