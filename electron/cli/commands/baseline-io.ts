/**
 * File I/O shared by `imprint baseline`, `check` and `export`: reading captures (streamed) and baselines,
 * writing atomically, and finding the published schema to reference from a written baseline.
 */
import { createReadStream, existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import { outputClash, whyNotWritable, type CommandInput } from '../../capture/writable-path.js';
import { schemaRef } from '../../capture/schema-ref.js';
import { CaptureCollector, type CaptureInput } from '../../../common/baseline/capture-input.js';
import { BASELINE_SCHEMA_FILE, BaselineFileError, LEARN_FROM_CAPTURE, parseBaseline } from '../../../common/baseline/file.js';
import { MAX_CAPTURE_LINE, startsAsCapture } from '../../../common/capture.js';
import type { Baseline } from '../../../common/baseline/schema.js';
import { BASELINE_SCHEMA_ID } from '../../../common/baseline/json-schema.js';

/** A failure the user can fix: printed as one line, exit code 2. */
export class CliError extends Error {}

export async function readCaptureFile(path: string): Promise<CaptureInput> {
  if (!existsSync(path)) throw new CliError(`capture ${path} does not exist`);
  const collector = new CaptureCollector();
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) collector.push(chunk as string);
  } catch (err) {
    throw new CliError(`cannot read capture ${path}: ${(err as Error).message}`);
  }
  const input = collector.finish();
  if (!input.header) throw new CliError(`${path} is not an Imprint capture (no valid header line)`);
  return input;
}

export async function readBaselineFile(path: string): Promise<{ baseline: Baseline; text: string }> {
  let text: string;
  try {
    // A capture given as the baseline is said so before it is read whole (captures run to gigabytes).
    if (await fileStartsAsCapture(path)) throw new CliError(`${path} is an Imprint capture, not a baseline: ${LEARN_FROM_CAPTURE(path)}`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read baseline ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return { baseline: parseBaseline(text), text };
  } catch (err) {
    const line = err instanceof BaselineFileError && err.line !== undefined ? `:${err.line}` : '';
    throw new CliError(`${path}${line}: ${(err as Error).message}`);
  }
}

/** Reads no more than a capture's first line can be. */
async function fileStartsAsCapture(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(MAX_CAPTURE_LINE + 1);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return startsAsCapture(head.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await fh.close();
  }
}

/** temp file, fsync, rename: a reader never sees half a baseline or policy. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { encoding: 'utf8' });
  } catch (err) {
    // The library's message names its temporary file, not the path the user gave.
    throw new CliError(cannotWrite(path, (await whyNotWritable(path)) ?? (err as Error).message));
  }
}

/**
 * Before any work (learning, a live check): an -o file that cannot be written, or that is one of the
 * command's own `inputs` (it would be replaced by the output), is refused first.
 */
export async function checkWritable(path: string, inputs: readonly CommandInput[] = []): Promise<void> {
  const clash = await outputClash(path, inputs);
  if (clash) throw new CliError(`cannot write ${path}: it is ${clash.role} ${clash.path}, which this command reads — choose another path with -o`);
  const why = await whyNotWritable(path);
  if (why) throw new CliError(cannotWrite(path, why));
}

const cannotWrite = (path: string, why: string) => `cannot write ${path}: ${why} — choose a writable path with -o`;

/** The schema reference for a baseline written to `outFile` (capture/schema-ref.ts), from this install. */
export function schemaRefFor(outFile: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, BASELINE_SCHEMA_FILE);
    if (existsSync(candidate)) return schemaRef(candidate, resolve(outFile));
    dir = dirname(dir);
  }
  return BASELINE_SCHEMA_ID;
}

/** Path as a SARIF artifact URI: relative to the working directory, forward slashes. */
export function artifactUri(path: string): string {
  return relative(process.cwd(), path).split(sep).join('/') || path;
}
