/**
 * Runs containers with the probe injected the way the engine does it (entrypoint /.imprint/probe, Tty
 * off, stdout carries frames), but through the `docker` CLI so the probe can be tested on its own.
 * Every container is labelled imprint.test=1 and removed afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from 'tar-stream';
import type { ImprintEvent, EventOf, EventKind } from '../../common/events.js';
import { ProbeStream, type ProbeEnd, type ProbeHello, type DecodeError } from '../../common/protocol/index.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROBE_PATH = join(repo, 'native', 'build', 'probe-x86_64');
export const BUSYBOX = 'imprint-fixture/busybox:latest';
export const DEBIAN = 'imprint-fixture/debian:latest';

let built = false;
/** Builds the probe once per test process (make is a no-op when it is up to date). */
export function buildProbe(): string {
  if (!built) {
    execFileSync('make', ['-s', '-C', join(repo, 'native')], { stdio: ['ignore', 'ignore', 'inherit'] });
    built = true;
  }
  if (!existsSync(PROBE_PATH)) throw new Error(`probe not built at ${PROBE_PATH}`);
  return PROBE_PATH;
}

export function docker(args: string[], input?: Buffer): string {
  return execFileSync('docker', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).trim();
}

/** A tar archive holding /.imprint/probe (mode 0755), for `docker cp - CONTAINER:/`. */
export async function probeTar(probePath = buildProbe()): Promise<Buffer> {
  const body = await readFile(probePath);
  const p = pack();
  p.entry({ name: '.imprint', type: 'directory', mode: 0o755 });
  p.entry({ name: '.imprint/probe', mode: 0o755, size: body.length }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface ProbeRunOptions {
  image?: string;
  cmd: string[];
  /** Options for the probe itself, before `--` (e.g. --no-seccomp). */
  probeArgs?: string[];
  /** Extra `docker create` options (network, name, user, caps, env). */
  dockerArgs?: string[];
  /** Bytes for the container's stdin (attached with `docker start -a -i`), closed after. */
  stdin?: string;
}

export interface ProbeRun {
  id: string;
  events: ImprintEvent[];
  hello?: ProbeHello;
  end?: ProbeEnd;
  errors: DecodeError[];
  /** Frames proven missing by sequence gaps. */
  missing: number;
  /** Number of frames decoded, HELLO and END included. */
  frames: number;
  /** Non-frame bytes on stdout (none when the probe started). */
  raw: string;
  /** What the container wrote on stderr (the probe's own; the app's goes into LOG frames). */
  stderr: string;
  exitCode: number;
}

export interface ProbeHandle {
  id: string;
  done: Promise<ProbeRun>;
  /** Resolves once an event matching `pred` has been decoded (the stream is live). */
  waitFor(pred: (e: ImprintEvent) => boolean, timeoutMs?: number): Promise<ImprintEvent>;
  remove(): void;
}

/** Creates, injects and starts a probed container; the stream is decoded as it arrives. */
export async function startProbed(opts: ProbeRunOptions): Promise<ProbeHandle> {
  const tar = await probeTar();
  const id = docker([
    'create', '--label', 'imprint.test=1', '--log-driver', 'none', '-i', '--entrypoint', '/.imprint/probe',
    // no network unless the test asks for one: nothing leaves the machine, no default bridge needed
    ...(opts.dockerArgs?.includes('--network') ? [] : ['--network', 'none']),
    ...(opts.dockerArgs ?? []), opts.image ?? BUSYBOX, ...(opts.probeArgs ?? []), '--', ...opts.cmd,
  ]);
  try {
    docker(['cp', '-', `${id}:/`], tar);
  } catch (err) {
    docker(['rm', '-f', id]);
    throw err;
  }
  const stream = new ProbeStream('test', id.slice(0, 12));
  const events: ImprintEvent[] = [];
  const errors: DecodeError[] = [];
  const raw: Buffer[] = [];
  const waiters: { pred: (e: ImprintEvent) => boolean; resolve: (e: ImprintEvent) => void }[] = [];
  const take = (batch: ReturnType<ProbeStream['push']>) => {
    errors.push(...batch.errors);
    for (const r of batch.raw) raw.push(Buffer.from(r));
    for (const e of batch.events) {
      events.push(e);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.pred(e)) { waiters[i]!.resolve(e); waiters.splice(i, 1); }
      }
    }
  };
  let frames = 0;
  const withStdin = opts.stdin !== undefined;
  const child = spawn('docker', ['start', '-a', ...(withStdin ? ['-i'] : []), id], { stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (withStdin) child.stdin!.end(opts.stdin);
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => take(stream.push(new Uint8Array(chunk))));
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<ProbeRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      take(stream.finish());
      frames = stream.decoder.stats.frames;
      let exitCode = -1;
      try { exitCode = Number(docker(['inspect', '-f', '{{.State.ExitCode}}', id])); } catch { /* removed */ }
      resolve({
        id, events, hello: stream.hello, end: stream.end, errors, missing: stream.missing, frames,
        raw: Buffer.concat(raw).toString('utf8'), stderr, exitCode,
      });
    });
  });
  return {
    id,
    done,
    waitFor(pred, timeoutMs = 15_000) {
      const hit = events.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    remove() {
      try { docker(['rm', '-f', id]); } catch { /* already gone */ }
    },
  };
}

/** Runs a probed container to completion and removes it. */
export async function runProbed(opts: ProbeRunOptions): Promise<ProbeRun> {
  const h = await startProbed(opts);
  try {
    return await h.done;
  } finally {
    h.remove();
  }
}

export function ofKind<K extends EventKind>(run: { events: ImprintEvent[] }, kind: K): EventOf<K>[] {
  return run.events.filter((e): e is EventOf<K> => e.kind === kind);
}

/** The app's output lines on one stream. */
export function logLines(run: ProbeRun, stream: 'stdout' | 'stderr' = 'stdout'): string[] {
  return ofKind(run, 'log').filter((e) => e.stream === stream).map((e) => e.line);
}

/** Checks what every probed run must satisfy: HELLO, END, no loss, END's count matches. */
export function assertComplete(run: ProbeRun): void {
  const problems: string[] = [];
  if (!run.hello) problems.push('no HELLO');
  if (!run.end) problems.push('no END');
  if (run.missing !== 0) problems.push(`${run.missing} frames missing`);
  if (run.errors.length) problems.push(`decode errors: ${run.errors.map((e) => e.code).join(', ')}`);
  // END counts the frames written before it: all of them must have been decoded.
  if (run.end && run.end.events !== run.frames - 1) problems.push(`END says ${run.end.events} frames, got ${run.frames - 1}`);
  if (run.raw) problems.push(`raw bytes on stdout: ${JSON.stringify(run.raw.slice(0, 200))}`);
  if (problems.length) throw new Error(`incomplete probe stream: ${problems.join('; ')}\nstderr: ${run.stderr}`);
}

/** A user-defined network for a test; removed by the returned function. */
export function createNetwork(name: string): () => void {
  docker(['network', 'create', '--label', 'imprint.test=1', name]);
  return () => { try { docker(['network', 'rm', name]); } catch { /* gone */ } };
}
