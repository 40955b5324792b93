/**
 * Merging baselines: runs add up, item lists are unions keyed like the observation keys, `by`/`parents`/
 * `argv`/`addresses` are sorted unions cut to their bound (the alphabetically first ones, so the result does
 * not depend on merge order). Learning from N runs is merging N one-run baselines. A baseline does not name
 * its runs (the same behaviour gives the same bytes), so a run held by both is counted twice: merge new runs.
 */
import { LIST_NAMES, MAX_ADDRESSES, MAX_ARGV_PATTERNS, MAX_BY, type Baseline, type ServiceBaseline } from './schema.js';

export class BaselineMergeError extends Error {}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortedUnion(a: readonly string[] = [], b: readonly string[] = [], max = MAX_BY): string[] {
  return [...new Set([...a, ...b])].sort(cmp).slice(0, max);
}

/** The keys items are identified by, in the file and in drift checks (see observe.ts for the same keys). */
export const itemKey = {
  executable: (i: { path: string }) => i.path,
  file: (i: { path: string }) => i.path,
  listen: (i: { protocol: string; port: number }) => `${i.protocol}/${i.port}`,
  peer: (i: { protocol: string; peer: string; port: number }) => `${i.protocol} ${i.peer}:${i.port}`,
  dns: (i: { name: string }) => i.name,
  uid: (i: { syscall: string; uid?: number; gid?: number; caps?: number }) =>
    [i.syscall, i.uid !== undefined ? `uid=${i.uid}` : '', i.gid !== undefined ? `gid=${i.gid}` : '', i.caps !== undefined ? `caps=${i.caps}` : '']
      .filter(Boolean).join(' '),
  syscall: (i: { name: string }) => i.name,
};

type Item = { runs: number; by?: string[] };

function mergeItems<T extends Item>(a: readonly T[], b: readonly T[], key: (i: T) => string, combine: (x: T, y: T) => T): T[] {
  const map = new Map<string, T>();
  for (const i of a) map.set(key(i), i);
  for (const i of b) {
    const k = key(i);
    const prev = map.get(k);
    map.set(k, prev ? combine(prev, i) : i);
  }
  return [...map.entries()].sort(([x], [y]) => cmp(x, y)).map(([, v]) => v);
}

const seen = <T extends { runs: number; by: string[] }>(x: T, y: T): T => ({ ...x, runs: x.runs + y.runs, by: sortedUnion(x.by, y.by) });

export function mergeServices(a: ServiceBaseline, b: ServiceBaseline): ServiceBaseline {
  const truncated = LIST_NAMES.filter((l) => a.truncated?.includes(l) || b.truncated?.includes(l));
  const out: ServiceBaseline = {
    runs: a.runs + b.runs,
    ...(truncated.length ? { truncated } : {}),
    executables: mergeItems(a.executables, b.executables, itemKey.executable, (x, y) => ({
      path: x.path, parents: sortedUnion(x.parents, y.parents), argv: sortedUnion(x.argv, y.argv, MAX_ARGV_PATTERNS), runs: x.runs + y.runs,
    })),
    files: {
      read: mergeItems(a.files.read, b.files.read, itemKey.file, seen),
      write: mergeItems(a.files.write, b.files.write, itemKey.file, seen),
      create: mergeItems(a.files.create, b.files.create, itemKey.file, seen),
      delete: mergeItems(a.files.delete, b.files.delete, itemKey.file, seen),
    },
    listen: mergeItems(a.listen, b.listen, itemKey.listen, seen),
    outbound: mergeItems(a.outbound, b.outbound, itemKey.peer, (x, y) => {
      const m = seen(x, y);
      const addresses = sortedUnion(x.addresses, y.addresses, MAX_ADDRESSES);
      return addresses.length ? { ...m, addresses } : m;
    }),
    inbound: mergeItems(a.inbound, b.inbound, itemKey.peer, seen),
    dns: mergeItems(a.dns, b.dns, itemKey.dns, seen),
    uids: mergeItems(a.uids, b.uids, itemKey.uid, seen),
    syscalls: mergeItems(a.syscalls, b.syscalls, itemKey.syscall, seen),
  };
  const image = a.image ?? b.image;
  return image !== undefined ? { image, ...out } : out;
}

export function mergeBaselines(a: Baseline, b: Baseline): Baseline {
  if (a.learned.arch !== b.learned.arch) {
    throw new BaselineMergeError(`cannot merge baselines learned on ${a.learned.arch} and ${b.learned.arch}: syscall names differ`);
  }
  const services: Record<string, ServiceBaseline> = {};
  for (const name of [...new Set([...Object.keys(a.services), ...Object.keys(b.services)])].sort(cmp)) {
    const x = a.services[name], y = b.services[name];
    services[name] = x && y ? mergeServices(x, y) : (x ?? y)!;
  }
  return {
    version: 1,
    learned: {
      runs: a.learned.runs + b.learned.runs,
      // Calls the default profile denies are invisible under it: one such run makes the whole set partial.
      seccomp: a.learned.seccomp === 'default' || b.learned.seccomp === 'default' ? 'default' : 'unconfined',
      arch: a.learned.arch,
      alwaysAllowed: sortedUnion(a.learned.alwaysAllowed, b.learned.alwaysAllowed, 4096),
    },
    services,
  };
}
