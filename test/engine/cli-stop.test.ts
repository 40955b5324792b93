/**
 * The ways a terminal user ends `imprint run` besides Ctrl-C: closing the terminal (SIGHUP) and closing
 * the pipe it prints into (`imprint run --json ... | head`). Either way the run stops, its container is
 * removed and its capture is finished. The real CLI, the real engine, the real probe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BUSYBOX = 'imprint-fixture/busybox:latest';

function cli(args: string[], tag: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args.slice(0, 1),
    '--label', 'imprint.test=1', '--label', `imprint.stoptest=${tag}`, ...args.slice(1)], { cwd: REPO });
}

const containers = (tag: string) =>
  execFileSync('docker', ['ps', '-aq', '--filter', `label=imprint.stoptest=${tag}`]).toString().trim();

async function untilRunning(tag: string): Promise<void> {
  for (;;) {
    if (execFileSync('docker', ['ps', '-q', '--filter', `label=imprint.stoptest=${tag}`]).toString().trim()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('close', resolve));

test('SIGHUP (the terminal closed) stops the run, removes its container and finishes the capture', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-hup-'));
  try {
    const tag = `hup-${process.pid}`;
    const capture = join(dir, 'hup.imprint');
    const child = cli(['run', '--capture', capture, BUSYBOX, '--', 'sleep', '600'], tag);
    child.stderr?.resume(); child.stdout?.resume();
    await untilRunning(tag);
    child.kill('SIGHUP');
    const code = await exited(child);
    assert.equal(code, 143, 'the app was stopped with SIGTERM');
    assert.equal(containers(tag), '', 'nothing left behind');
    await access(capture);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a closed stdout (`imprint run --json | head`) stops the run instead of crashing and leaving it running', async () => {
  const tag = `epipe-${process.pid}`;
  const child = cli(['run', '--json', BUSYBOX, '--', 'sh', '-c', 'while true; do echo line; sleep 0.1; done'], tag);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
  // Read a few lines, then go away like `head -3` does.
  await new Promise<void>((resolve) => {
    let lines = 0;
    child.stdout?.on('data', (b: Buffer) => {
      lines += b.toString().split('\n').length - 1;
      if (lines >= 3) { child.stdout?.destroy(); resolve(); }
    });
  });
  const code = await exited(child);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/, stderr);
  assert.equal(code, 143, `the app was stopped (stderr: ${stderr})`);
  assert.equal(containers(tag), '', 'nothing left behind');
});

test('Ctrl-C while `imprint up` is still starting removes what it had created (F26)', async () => {
  const { mkdtemp: mk, writeFile, rm: remove } = await import('node:fs/promises');
  const dir = await mk(join(tmpdir(), 'imprint-early-'));
  try {
    const file = join(dir, 'three.yaml');
    await writeFile(file, ['services:', ...['a', 'b', 'c'].map((s) => `  ${s}: { image: ${BUSYBOX}, command: ["sleep", "600"] }`)].join('\n'));
    const tag = `early-${process.pid}`;
    const child = cli(['up', file], tag);
    child.stdout?.resume(); child.stderr?.resume();
    // Interrupt as soon as the run's network exists: the start is under way, its containers not all there.
    for (;;) {
      if (execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=imprint.stoptest=${tag}`]).toString().trim()) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    await exited(child);
    assert.equal(containers(tag), '', 'no container left behind');
    assert.equal(execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=imprint.stoptest=${tag}`]).toString().trim(), '', 'no network left behind');
  } finally {
    await remove(dir, { recursive: true, force: true });
  }
});

test('--stop-timeout gives an app that drains on SIGTERM the time it needs, so its capture is complete (F12)', async () => {
  const { mkdtemp: mk, rm: remove, readFile } = await import('node:fs/promises');
  const dir = await mk(join(tmpdir(), 'imprint-grace-'));
  try {
    const tag = `grace-${process.pid}`;
    const capture = join(dir, 'slow.imprint');
    // Drains for 6 s after SIGTERM: more than a short grace, less than --stop-timeout 20.
    const child = cli(['run', '--duration', '2', '--stop-timeout', '20', '--capture', capture, BUSYBOX, '--',
      'sh', '-c', 'trap "echo draining; sleep 6; exit 0" TERM; while true; do sleep 0.2; done'], tag);
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await exited(child);
    assert.equal(code, 0, stderr);
    const end = JSON.parse((await readFile(capture, 'utf8')).trim().split('\n').at(-1)!) as { complete: boolean };
    assert.equal(end.complete, true, stderr);
    assert.equal(containers(tag), '');
  } finally {
    await remove(dir, { recursive: true, force: true });
  }
});

test('--stop-timeout 0 kills at once, as docker stop -t 0 does; --duration 0 stays refused', async () => {
  const { mkdtemp: mk, rm: remove } = await import('node:fs/promises');
  const dir = await mk(join(tmpdir(), 'imprint-grace0-'));
  try {
    const tag = `grace0-${process.pid}`;
    // Ignores SIGTERM: only the kill ends it, which the default grace would hold back for 10 s.
    const child = cli(['run', '--duration', '1', '--stop-timeout', '0', '--capture', join(dir, 'k.imprint'), BUSYBOX, '--',
      'sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'], tag);
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
    const started = Date.now();
    const code = await exited(child);
    assert.equal(code, 137, stderr);
    assert.ok(Date.now() - started < 8000, `killed at once, not after a grace (took ${Date.now() - started} ms)`);
    assert.match(stderr, /was killed at once/);
    assert.equal(containers(tag), '');
    const zero = cli(['run', '--duration', '0', BUSYBOX, '--', 'true'], `${tag}-d`);
    let usage = '';
    zero.stderr?.on('data', (b: Buffer) => { usage += b.toString(); });
    zero.stdout?.resume();
    assert.notEqual(await exited(zero), 0);
    assert.match(usage, /--duration.*expected a number of seconds greater than 0 and at most 86400/);
  } finally {
    await remove(dir, { recursive: true, force: true });
  }
});

test('--duration: a server stopped on schedule is a successful run (exit 0, said so); a crash before it keeps its code', async () => {
  const tag = `dur-${process.pid}`;
  let stderr = '';
  const child = cli(['run', '--duration', '1', '--stop-timeout', '5', BUSYBOX, '--', 'sleep', '600'], tag);
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  child.stdout?.resume();
  assert.equal(await exited(child), 0, stderr);
  assert.match(stderr, /exit code 143 is the app's answer to the stop signal, so imprint exits 0/);
  const crash = cli(['run', '--duration', '30', BUSYBOX, '--', 'sh', '-c', 'exit 3'], `${tag}-crash`);
  crash.stderr?.resume(); crash.stdout?.resume();
  assert.equal(await exited(crash), 3, 'the app failed on its own');
  assert.equal(containers(tag), '');
});
