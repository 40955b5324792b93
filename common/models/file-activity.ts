/**
 * File activity per path: what was done to each path, by which services, how often, first and last seen.
 * Paths are grouped by directory by the UI from this flat map. Bounded to MAX_PATHS paths; activity on
 * further paths is counted in `untracked`.
 */
import type { ImprintEvent } from '../events.js';

export const MAX_PATHS = 100_000;

export interface FileEntry {
  path: string;
  services: string[];
  reads: number;
  writes: number;
  creates: number;
  /** unlink, rmdir, rename away */
  deletes: number;
  /** chmod, chown, link, symlink, truncate, mkdir, mknod, mount, umount, rename target */
  changes: number;
  /** Calls that returned an error (-errno), e.g. ENOENT probes of search paths. */
  failures: number;
  first: number;
  last: number;
}

export interface FileActivitySnapshot {
  files: FileEntry[];
  untracked: number;
  /** File events whose path the probe could not read (marked `unreadable`): counted, not listed as "". */
  unreadablePaths: number;
}

export class FileActivity {
  readonly files = new Map<string, FileEntry>();
  untracked = 0;
  unreadablePaths = 0;

  fold(ev: ImprintEvent): void {
    switch (ev.kind) {
      case 'open': {
        const f = this.entry(ev.path, ev);
        if (!f) return;
        // read-only opens carry no result (an attempt): they count as reads
        if (ev.result !== undefined && ev.result < 0) { f.failures++; return; }
        let wrote = false;
        for (const a of ev.access) {
          if (a === 'write' || a === 'append' || a === 'truncate') wrote = true;
          else if (a === 'create') f.creates++;
        }
        if (wrote) f.writes++;
        else f.reads++;
        return;
      }
      case 'unlink': case 'rmdir': {
        const f = this.entry(ev.path, ev);
        if (f) { if (ev.result < 0) f.failures++; else f.deletes++; }
        return;
      }
      case 'rename': {
        const f = this.entry(ev.path, ev);
        if (f) { if (ev.result < 0) f.failures++; else f.deletes++; }
        if (ev.path2 !== undefined && ev.result >= 0) { const t = this.entry(ev.path2, ev); if (t) t.changes++; }
        return;
      }
      case 'mkdir': case 'chmod': case 'chown': case 'link': case 'symlink': case 'truncate': case 'mount': case 'umount': case 'mknod': {
        const f = this.entry(ev.kind === 'symlink' || ev.kind === 'link' ? ev.path2 ?? ev.path : ev.path, ev);
        if (f) { if (ev.result < 0) f.failures++; else if (ev.kind === 'mkdir' || ev.kind === 'mknod') f.creates++; else f.changes++; }
        return;
      }
      default:
    }
  }

  snapshot(): FileActivitySnapshot {
    return { files: [...this.files.values()], untracked: this.untracked, unreadablePaths: this.unreadablePaths };
  }

  private entry(path: string, ev: ImprintEvent): FileEntry | undefined {
    if (path === '') { this.unreadablePaths++; return undefined; }
    let f = this.files.get(path);
    if (!f) {
      if (this.files.size >= MAX_PATHS) { this.untracked++; return undefined; }
      f = { path, services: [ev.service], reads: 0, writes: 0, creates: 0, deletes: 0, changes: 0, failures: 0, first: ev.time, last: ev.time };
      this.files.set(path, f);
      return f;
    }
    f.last = ev.time;
    if (!f.services.includes(ev.service)) f.services.push(ev.service);
    return f;
  }
}
