/**
 * Learning: the baseline of one or more runs. Each run's events become facts (observe.ts), the facts of one
 * run become a one-run baseline, and the runs are merged (merge.ts), so every item's `runs` says how many
 * runs saw it.
 */
import type { ImprintEvent } from '../events.js';
import { ALWAYS_ALLOWED, isArch, type Arch } from './always-allowed.js';
import { boundList, type BoundNote } from './bounds.js';
import { itemKey, mergeBaselines, sortedUnion } from './merge.js';
import { observe, type Fact, type FactCategory } from './observe.js';
import { LIST_NAMES, MAX_ADDRESSES, MAX_ARGV_PATTERNS, type Baseline, type ListName, type ServiceBaseline } from './schema.js';

export interface LearningRun {
  /** The run's events in capture order. */
  events: Iterable<ImprintEvent>;
  /** Image reference per service, from the capture's metadata. */
  images?: Readonly<Record<string, string>>;
  /** The probe's architecture (HELLO), when the capture recorded it. */
  arch?: string;
  /**
   * The run's identity (the capture header's `runId`): a run given twice to one learning counts once. Not
   * written to the file: ids differ on every run, and the same behaviour must give the same bytes.
   */
  id?: string;
}

export interface LearnOptions {
  /** The seccomp profile the learning runs ran under: `unconfined` sees every call the app makes. */
  seccomp: 'default' | 'unconfined';
  /** Used when a run does not say; x86_64 otherwise. */
  arch?: Arch;
  /** Told when a list of `run` was over its bound and had to be folded or cut (bounds.ts): never silent. */
  onBound?: (note: BoundNote, run: LearningRun) => void;
}

export { MAX_ITEMS_PER_LIST } from './bounds.js';

export class LearnError extends Error {}

export function learnBaseline(runs: readonly LearningRun[], options: LearnOptions): Baseline {
  if (runs.length === 0) throw new LearnError('no runs to learn from');
  // A run given twice (the same capture, or a copy of it) is learned once: counted twice, flaky items look stable.
  const ids = new Set<string>();
  const once = runs.filter((r) => !r.id || (!ids.has(r.id) && Boolean(ids.add(r.id))));
  return once.map((r) => learnRun(r, options)).reduce((a, b) => mergeBaselines(a, b));
}

function emptyService(): ServiceBaseline {
  return { runs: 1, executables: [], files: { read: [], write: [], create: [], delete: [] }, listen: [], outbound: [], inbound: [], dns: [], uids: [], syscalls: [] };
}

interface Acc { fact: Fact; by: Set<string>; parents: Set<string>; argv: Set<string>; addresses: Set<string> }

export function learnRun(run: LearningRun, options: LearnOptions): Baseline {
  const arch: Arch = run.arch && isArch(run.arch) ? run.arch : options.arch ?? 'x86_64';
  const perService = new Map<string, Map<string, Map<string, Acc>>>();
  observe(run.events, (fact) => {
    let lists = perService.get(fact.service);
    if (!lists) perService.set(fact.service, (lists = new Map()));
    let list = lists.get(fact.category);
    if (!list) lists.set(fact.category, (list = new Map()));
    let acc = list.get(fact.key);
    if (!acc) list.set(fact.key, (acc = { fact, by: new Set(), parents: new Set(), argv: new Set(), addresses: new Set() }));
    acc.by.add(fact.exe);
    if (fact.category === 'executable') { acc.parents.add(fact.parent); if (acc.argv.size < 64) acc.argv.add(fact.argv); }
    if ((fact.category === 'outbound' || fact.category === 'inbound') && fact.kind === 'dns' && fact.address && acc.addresses.size < 64) acc.addresses.add(fact.address);
  });

  const services: Record<string, ServiceBaseline> = {};
  for (const name of [...perService.keys()].sort()) {
    const lists = perService.get(name)!;
    const truncated: ListName[] = [];
    for (const [category, list] of lists) {
      const { into, note } = boundList(category as FactCategory, [...list.keys()]);
      if (!note) continue;
      lists.set(category, foldAccs(list, into));
      options.onBound?.({ service: name, ...note }, run);
      if (note.truncated) truncated.push(note.list);
    }
    const svc = emptyService();
    const image = run.images?.[name];
    const items = (category: string) => [...(lists.get(category)?.values() ?? [])];
    const by = (a: Acc) => sortedUnion([...a.by]);
    for (const a of items('executable')) {
      if (a.fact.category !== 'executable') continue;
      svc.executables.push({ path: a.fact.path, parents: sortedUnion([...a.parents]), argv: sortedUnion([...a.argv], [], MAX_ARGV_PATTERNS), runs: 1 });
    }
    for (const access of ['read', 'write', 'create', 'delete'] as const) {
      for (const a of items(access)) if (a.fact.category === access) svc.files[access].push({ path: a.fact.path, runs: 1, by: by(a) });
    }
    for (const a of items('listen')) if (a.fact.category === 'listen') svc.listen.push({ protocol: a.fact.protocol, port: a.fact.port, runs: 1, by: by(a) });
    for (const a of items('outbound')) {
      if (a.fact.category !== 'outbound') continue;
      const { peer, kind, protocol, port } = a.fact;
      const addresses = sortedUnion([...a.addresses], [], MAX_ADDRESSES);
      svc.outbound.push({ peer, kind, protocol, port, ...(addresses.length ? { addresses } : {}), runs: 1, by: by(a) });
    }
    for (const a of items('inbound')) {
      if (a.fact.category !== 'inbound') continue;
      const { peer, kind, protocol, port } = a.fact;
      svc.inbound.push({ peer, kind, protocol, port, runs: 1, by: by(a) });
    }
    for (const a of items('dns')) if (a.fact.category === 'dns') svc.dns.push({ name: a.fact.name, runs: 1, by: by(a) });
    for (const a of items('uid')) {
      if (a.fact.category !== 'uid') continue;
      const { syscall, uid, gid, caps } = a.fact;
      svc.uids.push({ syscall, ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}), ...(caps !== undefined ? { caps } : {}), runs: 1, by: by(a) });
    }
    for (const a of items('syscall')) if (a.fact.category === 'syscall') svc.syscalls.push({ name: a.fact.name, runs: 1, by: by(a) });
    sortService(svc);
    const { runs, ...rest } = svc;
    services[name] = {
      ...(image !== undefined ? { image: image.slice(0, 4096) } : {}),
      runs,
      ...(truncated.length ? { truncated: LIST_NAMES.filter((l) => truncated.includes(l)) } : {}),
      ...rest,
    };
  }
  return {
    version: 1,
    learned: { runs: 1, seccomp: options.seccomp, arch, alwaysAllowed: [...ALWAYS_ALLOWED[arch]] },
    services,
  };
}

/** The accumulators of a bounded list: folded paths merge into their glob's, cut items are gone. */
function foldAccs(list: ReadonlyMap<string, Acc>, into: ReadonlyMap<string, string>): Map<string, Acc> {
  const out = new Map<string, Acc>();
  for (const [key, acc] of list) {
    const item = into.get(key);
    if (item === undefined) continue;
    const prev = out.get(item);
    if (!prev) { out.set(item, item === key ? acc : { ...acc, fact: { ...acc.fact, key: item, path: item } as Fact }); continue; }
    for (const x of acc.by) prev.by.add(x);
    for (const x of acc.parents) prev.parents.add(x);
    for (const x of acc.argv) if (prev.argv.size < 64) prev.argv.add(x);
  }
  return out;
}

const byKey = <T>(key: (i: T) => string) => (a: T, b: T) => { const x = key(a), y = key(b); return x < y ? -1 : x > y ? 1 : 0; };

function sortService(s: ServiceBaseline): void {
  s.executables.sort(byKey(itemKey.executable));
  for (const l of Object.values(s.files)) l.sort(byKey(itemKey.file));
  s.listen.sort(byKey(itemKey.listen));
  s.outbound.sort(byKey(itemKey.peer));
  s.inbound.sort(byKey(itemKey.peer));
  s.dns.sort(byKey(itemKey.dns));
  s.uids.sort(byKey(itemKey.uid));
  s.syscalls.sort(byKey(itemKey.syscall));
}
