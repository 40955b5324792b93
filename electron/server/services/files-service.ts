/**
 * Files in the workspace: recent captures, baselines and compose files; reading captures for replay;
 * reading, writing and learning baselines. Registers its own methods on the dispatcher.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { CaptureCollector, learningRun, type CaptureInput } from '../../../common/baseline/capture-input.js';
import { MAX_CAPTURE_LINE, parseCaptureLine } from '../../../common/capture.js';
import { BASELINE_SCHEMA_FILE, parseBaseline, stringifyBaseline } from '../../../common/baseline/file.js';
import { learnBaseline, type LearningRun } from '../../../common/baseline/learn.js';
import { ExportError, exportPolicy, exportWarnings, type ExportTarget } from '../../../common/export/index.js';
import type { PolicyText } from '../../../common/api.js';
import { probeBlindSpots, sequenceGaps } from '../../../common/baseline/check.js';
import type { Dispatcher } from '../dispatcher.js';
import { schemaRef } from '../../capture/schema-ref.js';
import { UserError } from '../dispatcher.js';
import { peek, type Workspace } from '../workspace.js';

export const CAPTURE_EXTENSIONS = /\.(imprint|ndjson|jsonl)$/i;
const YAML = /\.ya?ml$/i;
/** Captures larger than this are refused for replay rather than exhausting the main process. */
const MAX_CAPTURE_BYTES = 2 * 1024 ** 3;

export interface FilesServiceOptions {
  /** The app's own folder, where assets/schema lives: new baselines reference the schema from there. */
  appRoot: string;
}

/** One capture kept parsed, so paging through it for replay does not re-read the file per chunk. */
let cached: { path: string; mtime: number; size: number; input: CaptureInput } | undefined;

/**
 * `shown`: the path as the user gave it, for messages. Anything but a capture (a folder, a baseline, a
 * compose file, any other file) is refused with what it is and what to do, rather than read as an empty,
 * "incomplete" capture.
 */
export async function readCaptureFile(path: string, shown = path): Promise<CaptureInput> {
  const info = await stat(path);
  if (cached && cached.path === path && cached.mtime === info.mtimeMs && cached.size === info.size) return cached.input;
  if (info.isDirectory()) throw new UserError(`${shown} is a folder: choose a .imprint capture file (runs write theirs in captures/)`);
  if (info.size > MAX_CAPTURE_BYTES) throw new UserError(`${shown} is larger than ${MAX_CAPTURE_BYTES / 1024 ** 3} GiB`);
  if (info.size === 0) throw new UserError(`${shown} is empty: it is not an Imprint capture. Choose a .imprint file a run wrote`);
  await assertCaptureHeader(path, shown);
  const collector = new CaptureCollector();
  await new Promise<void>((ok, fail) => {
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => collector.push(chunk as string));
    stream.on('end', () => ok());
    stream.on('error', fail);
  });
  const input = collector.finish();
  cached = { path, mtime: info.mtimeMs, size: info.size, input };
  return input;
}

/** The first line of every capture is its header (common/capture.ts): without one the file is something else. */
async function assertCaptureHeader(abs: string, shown: string): Promise<void> {
  const line = parseCaptureLine(await firstLine(abs), 1);
  if (line.type === 'header') return;
  const reason = line.type === 'invalid' ? line.reason : '';
  if (/newer than this Imprint reads/.test(reason)) throw new UserError(`${shown}: ${reason}. Update Imprint to replay it`);
  const kind = await kindOf(abs);
  const what = kind === 'baseline' ? 'it looks like a baseline: open it on the Baselines screen'
    : kind === 'compose' ? 'it looks like a compose file: run it from the Start screen'
    : 'its first line is not a capture header: choose a .imprint file a run wrote';
  throw new UserError(`${shown} is not an Imprint capture (${what})`);
}

/** A file's first line, read no further than a capture line may be long (a longer one is no header either). */
async function firstLine(abs: string): Promise<string> {
  const fh = await open(abs, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, size);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      chunks.push(chunk);
      size += bytesRead;
      if (chunk.includes(10) || size > MAX_CAPTURE_LINE) break;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return text.slice(0, text.includes('\n') ? text.indexOf('\n') : undefined).replace(/\r$/, '');
  } finally { await fh.close(); }
}

async function kindOf(abs: string): Promise<'baseline' | 'compose' | 'other'> {
  const head = await peek(abs).catch(() => '');
  if (/^\s*learned:/m.test(head) && /^\s*services:/m.test(head)) return 'baseline';
  if (/^services:/m.test(head)) return 'compose';
  return 'other';
}

export function registerFilesService(dispatcher: Dispatcher, workspace: Workspace, opts: FilesServiceOptions): void {
  dispatcher.register('files.recent', async () => {
    const captures = await workspace.scan((n) => CAPTURE_EXTENSIONS.test(n));
    const yaml = await workspace.scan((n) => YAML.test(n));
    const baselines = [], compose = [];
    for (const f of yaml) {
      const kind = await kindOf(join(workspace.root, f.path));
      if (kind === 'baseline') baselines.push(f); else if (kind === 'compose') compose.push(f);
    }
    return { captures: captures.filter((f) => !f.name.endsWith('.partial')), baselines, compose };
  });

  dispatcher.register('capture.read', async ({ path, offset, limit }) => {
    const abs = await workspace.existing(path);
    const input = await readCaptureFile(abs, path);
    const events = input.events.slice(offset, offset + limit);
    const next = offset + events.length < input.events.length ? offset + events.length : undefined;
    return {
      header: offset === 0 ? input.header ?? null : null,
      events, incomplete: input.incomplete, total: input.events.length,
      ...(next !== undefined ? { next } : {}),
    };
  });

  async function readBaselineFile(path: string): Promise<{ path: string; yaml: string }> {
    if (!YAML.test(path)) throw new UserError('a baseline file ends in .yaml or .yml');
    const abs = await workspace.existing(path);
    const info = await stat(abs);
    if (info.size > 16 * 1024 * 1024) throw new UserError(`${path} is too large for a baseline`);
    return { path: workspace.display(abs), yaml: await readFile(abs, 'utf8') };
  }

  dispatcher.register('baseline.read', ({ path }) => readBaselineFile(path));

  dispatcher.register('baseline.write', async ({ path, yaml }) => {
    if (!YAML.test(path)) throw new UserError('a baseline file ends in .yaml or .yml');
    parseBaseline(yaml); // refuse to write something `imprint check` could not read back
    const abs = await workspace.writable(path);
    await writeFileAtomic(abs, yaml);
    return { path: workspace.display(abs), yaml };
  });

  /** The baseline at `path` turned into `to`, as `imprint export` does it. */
  async function policyOf(path: string, to: ExportTarget, service: string | undefined): Promise<PolicyText> {
    const { yaml } = await readBaselineFile(path);
    const baseline = parseBaseline(yaml);
    try {
      return { text: exportPolicy(baseline, to, service), warnings: exportWarnings(baseline, to) };
    } catch (err) {
      if (err instanceof ExportError) throw new UserError(err.message.replace(/pass --service/, 'choose a service'));
      throw err;
    }
  }

  dispatcher.register('policy.preview', ({ baseline, to, service }) => policyOf(baseline, to, service));

  dispatcher.register('policy.write', async ({ baseline, to, service, out, replace }) => {
    const policy = await policyOf(baseline, to, service);
    const abs = await workspace.writable(out);
    if (abs === await workspace.existing(baseline).catch(() => undefined)) throw new UserError(`${out} is the baseline itself: choose another file name`);
    // An enforced policy may be in use where it is: never replaced by a click by accident.
    if (!replace && existsSync(abs)) throw new UserError(`${out} already exists: choose another name, or tick "Replace it if the file exists"`);
    await writeFileAtomic(abs, policy.text);
    return { ...policy, path: workspace.display(abs) };
  });

  dispatcher.register('baseline.learn', async ({ captures, out, replace }) => {
    if (!YAML.test(out)) throw new UserError('a baseline file ends in .yaml or .yml');
    // A committed baseline is the reference a check runs against: never replaced by a click by accident.
    if (!replace && (await workspace.writable(out).then((abs) => existsSync(abs)))) {
      throw new UserError(`${out} already exists: choose another name, or tick "Replace it if the file exists" to learn it again from this run`);
    }
    // The same rules as `imprint baseline`: never learn from a capture that is known to miss behaviour,
    // and record the seccomp profile the runs had (calls the default profile denies are never seen).
    const runs: LearningRun[] = [];
    const profiles = new Set<string>();
    for (const c of captures) {
      const input = await readCaptureFile(await workspace.existing(c), c);
      if (input.events.length === 0) throw new UserError(`${c} has no events to learn from`);
      const incomplete = [...input.incomplete, ...sequenceGaps(input.events), ...probeBlindSpots(input.events)];
      if (incomplete.length) throw new UserError(`${c} is incomplete (${incomplete.join('; ')}): a baseline learned from it would miss behaviour. Record the run again.`);
      profiles.add(input.seccomp ?? 'default');
      runs.push(learningRun(input));
    }
    const abs = await workspace.writable(out);
    const baseline = learnBaseline(runs, { seccomp: profiles.has('default') ? 'default' : 'unconfined' });
    // Notes people wrote in the file being replaced stay with the items that still exist.
    const previous = await readFile(abs, 'utf8').catch(() => undefined);
    const yaml = stringifyBaseline(baseline, schemaRef(join(opts.appRoot, BASELINE_SCHEMA_FILE), abs), previous);
    await writeFileAtomic(abs, yaml);
    return { path: workspace.display(abs), yaml };
  });
}

