/**
 * The per-list bound of a learned baseline. A container can touch any number of distinct paths, names or
 * peers, and a baseline nobody can review is no baseline; but cutting a list silently made the very run it
 * was learned from drift. So an overflowing list is never cut silently:
 * - paths (executables, files.*) are folded into directory globs, the deepest and fullest directories
 *   first, which `imprint check` and the exports already honour: every folded path still matches;
 * - any other list (and paths still too many after folding up to top-level directories) keeps its first
 *   items in key order and is named in the service's `truncated`, so check does not report its missing
 *   items as drift.
 * Both are reported to the caller (the CLI warns on stderr). Rules: docs/baseline.md, "Bounds".
 */
import type { FactCategory } from './observe.js';
import type { ListName } from './schema.js';

/** Distinct items per list and service in one learning run. */
export const MAX_ITEMS_PER_LIST = 5000;
/** Paths deeper than this are folded at this depth first: keeps folding linear in the number of paths. */
const MAX_FOLD_DEPTH = 32;

/** A fact category's list, as the file and the messages name it. */
export const LIST_OF: Record<FactCategory, ListName> = {
  executable: 'executables', read: 'files.read', write: 'files.write', create: 'files.create', delete: 'files.delete',
  listen: 'listen', outbound: 'outbound', inbound: 'inbound', dns: 'dns', uid: 'uids', syscall: 'syscalls',
};

const PATH_CATEGORIES: ReadonlySet<FactCategory> = new Set(['executable', 'read', 'write', 'create', 'delete']);

/** What bounding did to one list: `folded` globs replaced paths, or the list was `truncated`. */
export interface BoundNote { service: string; list: ListName; items: number; kept: number; folded: string[]; truncated: boolean }

/** The keys a list keeps, each original key mapped to the item it is now part of (itself, or a glob). */
export interface Bounded { into: Map<string, string>; note?: Omit<BoundNote, 'service'> }

/** One line for people: what happened to the list, and what it means for checks. */
export function describeBound(n: BoundNote): string {
  const parts = [`${n.service} ${n.list}: ${n.items.toLocaleString('en')} distinct items, more than the ${MAX_ITEMS_PER_LIST.toLocaleString('en')} a list keeps`];
  if (n.folded.length) parts.push(`folded into ${n.folded.length} glob(s) (${n.folded.slice(0, 3).join(', ')}${n.folded.length > 3 ? ', …' : ''}): review them`);
  if (n.truncated) parts.push(`kept the first ${n.kept.toLocaleString('en')} and marked the list truncated: imprint check does not report ${n.list} items it lacks as drift`);
  return parts.join('; ');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function boundList(category: FactCategory, keys: readonly string[], max = MAX_ITEMS_PER_LIST): Bounded {
  const into = new Map(keys.map((k) => [k, k]));
  if (keys.length <= max) return { into };
  if (PATH_CATEGORIES.has(category)) for (const [key, glob] of foldPaths(keys, max)) into.set(key, glob);
  const items = [...new Set(into.values())].sort(cmp);
  // What folding could not bring under the bound is cut in key order, not arrival order: deterministic.
  const kept = new Set(items.slice(0, max));
  const folded = new Set<string>();
  for (const [key, item] of into) {
    if (!kept.has(item)) into.delete(key);
    else if (item !== key) folded.add(item);
  }
  return { into, note: { list: LIST_OF[category], items: keys.length, kept: kept.size, folded: [...folded].sort(cmp), truncated: items.length > max } };
}

/** Directories of an absolute path, outermost first (`/a/b/c` → `/a`, `/a/b`; the directory item `/a/b/` → `/a`). */
function directories(path: string): string[] {
  const parts = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  const out: string[] = [];
  for (let i = 2; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/**
 * Folds paths into `dir/*` (all were files directly in dir) or `dir/**` until at most `max` items remain,
 * from the deepest directories up to top-level ones, fullest first at each depth. Returns path → glob for
 * the paths it folded.
 */
function foldPaths(keys: readonly string[], max: number): Map<string, string> {
  const up = new Map<string, string>(); // item → the glob it was folded into (globs fold again higher up)
  const items = new Set(keys.filter((k) => k.startsWith('/')));
  const others = keys.length - items.size;
  let deepest = 0;
  for (const item of items) deepest = Math.max(deepest, Math.min(MAX_FOLD_DEPTH, directories(item).length));
  for (let depth = deepest; depth >= 1 && items.size + others > max; depth--) {
    const groups = new Map<string, string[]>();
    for (const item of items) {
      const dir = directories(item)[depth - 1];
      if (dir === undefined) continue;
      const group = groups.get(dir);
      if (group) group.push(item);
      else groups.set(dir, [item]);
    }
    const fullest = [...groups].filter(([, g]) => g.length > 1).sort(([a, x], [b, y]) => y.length - x.length || cmp(a, b));
    for (const [dir, members] of fullest) {
      if (items.size + others <= max) break;
      const direct = members.every((m) => !m.endsWith('/') && !m.includes('**') && directories(m).length === depth);
      const glob = `${dir}/${direct ? '*' : '**'}`;
      for (const m of members) {
        items.delete(m);
        if (m !== glob) up.set(m, glob);
      }
      items.add(glob);
    }
  }
  const out = new Map<string, string>();
  for (const key of keys) {
    let to = key;
    for (let next = up.get(to); next !== undefined; next = up.get(to)) to = next;
    if (to !== key) out.set(key, to);
  }
  return out;
}
