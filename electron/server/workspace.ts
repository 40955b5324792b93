/**
 * The workspace: the folder `imprint serve` (or the app) was opened on. Paths from the page are resolved
 * inside it and never leave it, so a page (or whoever got hold of a token) can read and write Imprint's
 * files there and nothing else on the machine.
 */
import { realpath, readdir, stat, open } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep, basename } from 'node:path';
import type { FileEntry } from '../../common/api.js';
import { UserError } from './dispatcher.js';

export class Workspace {
  readonly root: string;
  constructor(root: string) { this.root = resolve(root); }

  /** An existing file inside the workspace (symlinks resolved and checked too). */
  async existing(path: string): Promise<string> {
    const abs = this.lexical(path);
    let real: string;
    try { real = await realpath(abs); } catch { throw new UserError(`${path}: no such file in the workspace`); }
    const rootReal = await realpath(this.root);
    if (!inside(rootReal, real)) throw new UserError(`${path} is outside the workspace`);
    return real;
  }

  /** A file to create or replace inside the workspace: its folder must exist inside it. */
  async writable(path: string): Promise<string> {
    const abs = this.lexical(path);
    const rootReal = await realpath(this.root);
    let dirReal: string;
    try { dirReal = await realpath(dirname(abs)); } catch { throw new UserError(`${path}: its folder does not exist in the workspace`); }
    if (!inside(rootReal, dirReal)) throw new UserError(`${path} is outside the workspace`);
    const target = join(dirReal, basename(abs));
    const info = await stat(target).catch(() => undefined);
    if (info && !info.isFile()) throw new UserError(`${path} is not a file`);
    return target;
  }

  /** How a path is shown to the user: relative to the workspace. */
  display(abs: string): string {
    const rel = relative(this.root, abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  }

  private lexical(path: string): string {
    if (path.includes('\0')) throw new UserError('invalid path');
    const abs = resolve(this.root, path);
    if (!inside(this.root, abs)) throw new UserError(`${path} is outside the workspace`);
    return abs;
  }

  /** Files under the workspace (two levels deep, skipping dependency and VCS folders), newest first. */
  async scan(match: (name: string) => boolean, limit = 200): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    const walk = async (dir: string, depth: number) => {
      let entries;
      try { entries = await readdir(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        if (out.length >= limit) return;
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (depth < 2 && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'dist') await walk(p, depth + 1);
        } else if (e.isFile() && match(e.name)) {
          const info = await stat(p).catch(() => undefined);
          if (info) out.push({ path: this.display(p), name: this.display(p), size: info.size, modified: info.mtimeMs });
        }
      }
    };
    await walk(this.root, 0);
    return out.sort((a, b) => b.modified - a.modified);
  }
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The first bytes of a file, to tell a baseline from a compose file without parsing either. */
export async function peek(path: string, bytes = 4096): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally { await fh.close(); }
}
