/** Capture files: incremental, atomic at the end, and readable after a crash of Imprint itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { CaptureHeader } from '../../common/capture.js';
import type { ImprintEvent } from '../../common/events.js';
import { readCapture, readCaptureChunk } from '../../electron/capture/reader.js';
import { CaptureWriter } from '../../electron/capture/writer.js';
import { sweepLeftovers } from '../../electron/engine/index.js';
import { BUSYBOX } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const header: CaptureHeader = { format: 'imprint-capture', version: 1, eventSchema: 1, imprint: 'test', runId: 'w1', mode: 'image', startedAt: 0, services: [] };
const ev = (seq: number): ImprintEvent => ({ seq, time: seq, service: 's', container: 'c', pid: 1, tid: 1, kind: 'exit', code: 0 });

test('the writer flushes within a second, renames atomically at the end, and pages back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-writer-'));
  try {
    const file = join(dir, 'a.imprint');
    const w = await CaptureWriter.open(file, header);
    for (let i = 1; i <= 100; i++) w.line(JSON.stringify(ev(i)));
    await sleep(1000);
    const partial = await readCapture(`${file}.partial`);
    assert.equal(partial.events, 100, 'on disk within a second, before close');
    assert.equal(partial.complete, false);
    assert.equal(existsSync(file), false);
    await w.close({ record: 'end', time: 1, complete: true, problems: [], events: 100, missing: 0, decodeErrors: 0 });
    assert.deepEqual(await readdir(dir), ['a.imprint']);
    assert.equal((await readCapture(file)).complete, true);
    const chunk = await readCaptureChunk(file, 90, 20);
    assert.deepEqual(chunk.events.map((e) => e.seq), [91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    assert.equal(chunk.next, undefined);
    assert.equal((await readCaptureChunk(file, 0, 10)).next, 10);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('Imprint killed mid-run: the .partial capture reads, and the next start sweeps its container', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-crash-'));
  const file = join(dir, 'crash.imprint');
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'run', '--label', 'imprint.test=1', '--capture', file,
    BUSYBOX, '--', 'sh', '-c', 'while :; do cat /etc/hostname > /dev/null; sleep 0.05; done'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 300; i++) {
      if (existsSync(`${file}.partial`) && (await stat(`${file}.partial`)).size > 4000) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const s = await readCapture(`${file}.partial`);
    assert.ok(s.header, 'header readable');
    assert.ok(s.events > 0, 'events readable');
    assert.equal(s.complete, false);
    assert.match(s.incompleteBecause.join(), /cut short/);
    const docker = new Dockerode();
    const mine = JSON.stringify({ label: [`imprint.owner=${hostname()}/${child.pid}`] });
    assert.equal((await docker.listContainers({ all: true, filters: mine })).length, 1, 'the crashed run left its container');
    await sweepLeftovers(docker);
    assert.deepEqual(await docker.listContainers({ all: true, filters: mine }), []);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const docker = new Dockerode();
    for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`imprint.owner=${hostname()}/${child.pid}`] }) })) {
      await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C on imprint run stops the app, removes the container and exits with the app\'s code', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-sigint-'));
  const file = join(dir, 'int.imprint');
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'run', '--label', 'imprint.test=1', '--capture', file,
    BUSYBOX, '--', 'sleep', '600'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 300 && !existsSync(`${file}.partial`); i++) await sleep(100);
    await sleep(1000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 143, 'sleep ended by the forwarded SIGTERM');
    const s = await readCapture(file);
    assert.equal(s.complete, true, s.incompleteBecause.join());
    const docker = new Dockerode();
    assert.deepEqual(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`imprint.owner=${hostname()}/${child.pid}`] }) }), []);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('a capture that cannot keep up reports congestion and drains (the engine then pauses the probe)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-backlog-'));
  try {
    const w = await CaptureWriter.open(join(dir, 'b.imprint'), header);
    const line = JSON.stringify({ ...ev(1), pad: 'x'.repeat(1000) });
    for (let i = 0; i < 70_000; i++) w.line(line);
    assert.equal(w.congested, true);
    await w.drained();
    assert.equal(w.congested, false);
    assert.ok(w.backlog < 8 * 1024 * 1024);
    await w.close({ record: 'end', time: 1, complete: true, problems: [], events: 70_000, missing: 0, decodeErrors: 0 });
    assert.equal((await stat(join(dir, 'b.imprint'))).size > 70_000_000, true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
