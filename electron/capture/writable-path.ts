/**
 * Why a file cannot be written where the user asked, found before any work starts: a run whose capture
 * fails to open has already created networks (and the user waited for image checks), and `imprint baseline`
 * would have read every capture first. Used for `--capture` (engine) and `-o` (CLI), which must also not name
 * one of the command's own inputs (`outputClash`).
 *
 * Creating a file is the only reliable test: access(2) says yes to root almost everywhere, and /proc accepts
 * no new files (Node's recursive mkdir even loops forever below it, so nothing here creates directories).
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A short phrase ("directory out does not exist"), or undefined when a file can be created at `path`. */
export async function whyNotWritable(path: string): Promise<string | undefined> {
  const abs = resolve(path);
  if ((await stat(abs).catch(() => undefined))?.isDirectory()) return `${path} is a directory`;
  const dir = dirname(abs);
  const shown = dirname(path);
  const info = await stat(dir).catch(() => undefined);
  if (!info) return missingDirectory(dir, shown);
  if (!info.isDirectory()) return `${shown} is not a directory`;
  const probe = join(dir, `.imprint-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
    await unlink(probe).catch(() => undefined);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `directory ${shown} is not writable`;
    if (code === 'EROFS') return `${shown} is on a read-only file system`;
    return `files cannot be created in ${shown} (${code ?? (err as Error).message})`;
  }
}

/** Names the real problem: a missing directory, or a file standing where a directory should be. */
async function missingDirectory(dir: string, shown: string): Promise<string> {
  for (let up = dirname(dir); up !== dirname(up); up = dirname(up)) {
    const info = await stat(up).catch(() => undefined);
    if (info && !info.isDirectory()) return `${up} is a file, not a directory`;
    if (info) break;
  }
  return `directory ${shown} does not exist`;
}

/** A file a command reads, and what it is to the user ("the baseline"), for the message. */
export interface CommandInput { path: string; role: string }

/**
 * The input that writing `output` would replace, or undefined: `baseline X.imprint -o X.imprint` would
 * otherwise swap the capture for YAML after reading it. The same file through a symlink (the atomic write
 * follows it), a hard link or another spelling of the path counts; inputs that do not exist yet (a
 * --capture still to be recorded) are compared by their real directory and name.
 */
export async function outputClash(output: string, inputs: readonly CommandInput[]): Promise<CommandInput | undefined> {
  const target = await identity(output);
  for (const input of inputs) if ((await identity(input.path)) === target) return input;
  return undefined;
}

/**
 * Device and inode of an existing file (after symlinks), else the real path it would be created at. The path
 * is resolved first, as the atomic write resolves it: `missing/../b.yaml` is written as `b.yaml`.
 */
async function identity(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs).catch(() => undefined);
  if (info) return `inode ${info.dev}:${info.ino}`;
  return `path ${join(await realpath(dirname(abs)).catch(() => dirname(abs)), basename(abs))}`;
}
