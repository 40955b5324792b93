/**
 * The engine restarting in the middle of a run: a clear error, a capture that still reads, nothing left
 * once the engine is back. To leave the shared dockerd (and everyone's tests on it) alone, this test
 * starts a private dockerd on its own socket, data and exec roots, loads the busybox fixture into it,
 * and restarts that one.
 *
 * Careful: never start a second dockerd with `--bridge=none`: it then deletes the host's docker0
 * (removeDefaultBridgeInterface in moby's daemon_unix.go), breaking the shared engine. The private one
 * gets a bridge of its own, created here and deleted at the end, and leaves iptables alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { readCapture } from '../../electron/capture/reader.js';
import { connectEngine, startRun, type RunSession, type SessionMessage } from '../../electron/engine/index.js';
import { BUSYBOX, TEST_LABELS, leftovers } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The private engine's own bridge (a link-local-ish private range nobody else here uses). */
const BRIDGE = 'imprint-test0';

function createBridge(): void {
  execFileSync('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', '10.213.77.1/24', 'dev', BRIDGE]);
  execFileSync('ip', ['link', 'set', BRIDGE, 'up']);
}

function deleteBridge(): void {
  try { execFileSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' }); } catch { /* already gone */ }
}

function startDockerd(root: string): ChildProcess {
  const log = openSync(join(root, 'dockerd.log'), 'a');
  return spawn('dockerd', [
    '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'dockerd.pid'),
    '-H', `unix://${join(root, 'docker.sock')}`, `--bridge=${BRIDGE}`, '--iptables=false', '--ip6tables=false', '--ip-masq=false',
  ], { stdio: ['ignore', log, log] });
}

async function stopDockerd(d: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (d.exitCode !== null || d.signalCode !== null) return;
  const exited = new Promise((r) => d.once('exit', r));
  d.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 30_000); })]);
  clearTimeout(timer);
}

async function waitForEngine(socket: string): Promise<Dockerode> {
  const docker = new Dockerode({ socketPath: socket });
  for (let i = 0; i < 150; i++) {
    if (existsSync(socket)) {
      try { await docker.ping(); return docker; } catch { /* starting */ }
    }
    await sleep(200);
  }
  throw new Error('the private dockerd did not start');
}

test('dockerd restarted mid-run: clear error, readable capture, nothing left behind', { timeout: 180_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'imprint-dockerd-'));
  const socket = join(root, 'docker.sock');
  deleteBridge();
  createBridge();
  let dockerd = startDockerd(root);
  let session: RunSession | undefined;
  try {
    const priv = await waitForEngine(socket);
    // Load the fixture image from the shared engine into the private one (no registry here).
    const image = await new Dockerode().getImage(BUSYBOX).get();
    await new Promise<void>((resolve, reject) => {
      void priv.loadImage(image).then((s) => { s.on('data', () => undefined); s.on('end', resolve); s.on('error', reject); }, reject);
    });
    const engine = await connectEngine({ source: 'test', host: `unix://${socket}`, options: { socketPath: socket } });
    const capture = join(root, 'restart.imprint');
    let events = 0;
    const messages: SessionMessage[] = [];
    session = await startRun(
      { image: BUSYBOX, network: 'none', command: ['sh', '-c', 'while true; do cat /etc/hostname > /dev/null; sleep 0.05; done'] },
      { engine, labels: TEST_LABELS, capture, onEvents: (b) => { events += b.length; }, onMessage: (m) => messages.push(m) },
    );
    for (let i = 0; i < 100 && events < 20; i++) await sleep(100);
    assert.ok(events >= 20, 'events flowed before the restart');

    // A restart like `systemctl restart docker`: the engine stops the containers itself on the way down.
    await stopDockerd(dockerd);
    dockerd = startDockerd(root);
    await waitForEngine(socket);

    const r = await session.done;
    assert.equal(r.complete, false, 'a run cut by the engine is never complete');
    assert.ok(r.problems.includes('engine-lost') || r.problems.includes('interrupted'), r.problems.join());
    assert.ok(messages.some((m) => m.code === 'engine-lost' || m.code === 'stopped-outside'), 'a clear message says what happened');
    assert.ok(session.state().messages?.some((m) => m.code === 'engine-lost' || m.code === 'stopped-outside'), 'the app is told too');
    // The capture reads, with the events recorded before the restart and an end record saying why.
    const summary = await readCapture(r.capture ?? capture);
    assert.ok(summary.header);
    assert.ok(summary.events >= 20);
    assert.equal(summary.complete, false);
    assert.ok(summary.incompleteBecause.length > 0);
    assert.deepEqual(await leftovers(session.id, new Dockerode({ socketPath: socket })), []);
  } finally {
    await stopDockerd(dockerd);
    deleteBridge();
    if (process.env.KEEP_DOCKERD_LOG) console.log(readFileSync(join(root, 'dockerd.log'), 'utf8').split('\n').slice(-60).join('\n'));
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
});
