/**
 * The side-by-side review of two baseline files: which items the newer one adds or drops, per service and
 * list, and the decisions a reviewer makes on each added item (accept it, reject it, or generalise its
 * path into a pattern) applied to produce the file that is written back. Pure.
 */
import { itemKey } from '../../../common/baseline/merge.js';
import type { Baseline, ServiceBaseline } from '../../../common/baseline/schema.js';

export type ListName = 'executables' | 'files.read' | 'files.write' | 'files.create' | 'files.delete' | 'listen' | 'outbound' | 'inbound' | 'dns' | 'uids' | 'syscalls';
export const LISTS: readonly ListName[] = ['executables', 'files.read', 'files.write', 'files.create', 'files.delete', 'listen', 'outbound', 'inbound', 'dns', 'uids', 'syscalls'];

type AnyItem = Record<string, unknown> & { runs: number };

export interface DiffEntry {
  id: string;
  service: string;
  list: ListName;
  key: string;
  change: 'added' | 'removed';
  item: AnyItem;
  /** Whether the key is a path a pattern can stand for. */
  generalisable: boolean;
}

export type Decision = { action: 'accept' } | { action: 'reject' } | { action: 'generalise'; pattern: string };

function getList(svc: ServiceBaseline, list: ListName): AnyItem[] {
  if (list.startsWith('files.')) return svc.files[list.slice(6) as keyof ServiceBaseline['files']] as unknown as AnyItem[];
  return svc[list as Exclude<ListName, `files.${string}`>] as unknown as AnyItem[];
}

function setList(svc: ServiceBaseline, list: ListName, items: AnyItem[]): void {
  if (list.startsWith('files.')) (svc.files as Record<string, unknown>)[list.slice(6)] = items;
  else (svc as unknown as Record<string, unknown>)[list] = items;
}

export function keyOf(list: ListName, raw: AnyItem): string {
  const item = raw as unknown;
  switch (list) {
    case 'listen': return itemKey.listen(item as { protocol: string; port: number });
    case 'outbound': case 'inbound': return itemKey.peer(item as { protocol: string; peer: string; port: number });
    case 'dns': return itemKey.dns(item as { name: string });
    case 'uids': return itemKey.uid(item as { syscall: string });
    case 'syscalls': return itemKey.syscall(item as { name: string });
    default: return String(raw.path);
  }
}

const PATH_LISTS = new Set<ListName>(['executables', 'files.read', 'files.write', 'files.create', 'files.delete']);

export function diffBaselines(before: Baseline, after: Baseline): DiffEntry[] {
  const out: DiffEntry[] = [];
  const services = [...new Set([...Object.keys(before.services), ...Object.keys(after.services)])].sort();
  for (const service of services) {
    const a = before.services[service], b = after.services[service];
    for (const list of LISTS) {
      const left = new Map((a ? getList(a, list) : []).map((i) => [keyOf(list, i), i]));
      const right = new Map((b ? getList(b, list) : []).map((i) => [keyOf(list, i), i]));
      for (const [key, item] of right) if (!left.has(key)) out.push({ id: `${service}\u0000${list}\u0000${key}`, service, list, key, change: 'added', item, generalisable: PATH_LISTS.has(list) && key.startsWith('/') });
      for (const [key, item] of left) if (!right.has(key)) out.push({ id: `${service}\u0000${list}\u0000${key}`, service, list, key, change: 'removed', item, generalisable: false });
    }
  }
  return out;
}

/** A suggested pattern for a path: its last segment as `*` (`/tmp/x1/a.log` → `/tmp/x1/*`). */
export function suggestPattern(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/**';
  return `${path.slice(0, i)}/*`;
}

/**
 * The reviewed file: the newer baseline with rejected additions removed and generalised ones replaced by
 * their pattern (merged when two become the same pattern). Removed items are informational here: they stay
 * removed. Decisions default to accept.
 */
export function applyDecisions(after: Baseline, entries: readonly DiffEntry[], decisions: ReadonlyMap<string, Decision>): Baseline {
  const result = structuredClone(after) as Baseline;
  for (const e of entries) {
    if (e.change !== 'added') continue;
    const d = decisions.get(e.id);
    if (!d || d.action === 'accept') continue;
    const svc = result.services[e.service];
    if (!svc) continue;
    const items = getList(svc, e.list);
    const idx = items.findIndex((i) => keyOf(e.list, i) === e.key);
    if (idx < 0) continue;
    if (d.action === 'reject') { items.splice(idx, 1); setList(svc, e.list, items); continue; }
    const pattern = d.pattern.trim();
    if (!pattern || !e.generalisable) continue;
    const existing = items.find((i) => keyOf(e.list, i) === pattern);
    if (existing) {
      existing.runs = Math.max(existing.runs, items[idx]!.runs);
      items.splice(idx, 1);
    } else {
      items[idx] = { ...items[idx]!, path: pattern };
    }
    items.sort((x, y) => (keyOf(e.list, x) < keyOf(e.list, y) ? -1 : 1));
    setList(svc, e.list, items);
  }
  return result;
}
