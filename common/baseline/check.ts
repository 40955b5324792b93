/**
 * The drift check (pure): a run's events against a baseline. Every deviation names the rule, the service, the
 * normalized item and the first event that caused it; baseline items this run did not show are information,
 * never failures (behaviour is allowed to be rarer than in learning). A capture that is incomplete (stream
 * broke, sequence gaps, frames lost) cannot prove a clean run: the verdict is then `inconclusive`.
 */
import type { ImprintEvent } from '../events.js';
import { LIST_OF } from './bounds.js';
import { itemKey } from './merge.js';
import { globMatch } from './normalize.js';
import { ALWAYS_WRITABLE } from './always-allowed.js';
import { observe, type Fact } from './observe.js';
import type { Baseline, ServiceBaseline } from './schema.js';

export const RULES = {
  'new-executable': 'A program ran that the baseline does not list',
  'new-file-write': 'A file was written that the baseline does not list as written',
  'new-file-create': 'A file was created that the baseline does not list as created',
  'new-file-delete': 'A file was deleted that the baseline does not list as deleted',
  'new-outbound-peer': 'An outbound connection went to a peer or port the baseline does not list',
  'new-inbound-peer': 'An inbound connection came from a peer or to a port the baseline does not list',
  'new-listen-port': 'A port was listened on that the baseline does not list',
  'new-dns-name': 'A DNS name was resolved that the baseline does not list',
  'new-syscall': 'A syscall was used that the baseline does not list',
  'uid-change': 'A uid, gid or capability change the baseline does not list',
  'new-service': 'A service ran that the baseline does not know',
} as const;
export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export interface Deviation {
  rule: RuleId;
  service: string;
  /** The normalized item, as it would appear in the baseline. */
  item: string;
  message: string;
  /** Executable that caused it. */
  exe: string;
  /** The first event that caused it. */
  event: ImprintEvent;
  /** How many events in this run caused it. */
  count: number;
}

export interface UnseenItem {
  service: string;
  category: string;
  item: string;
  /** Learning runs that saw it, out of the service's runs. */
  runs: number;
  of: number;
}

export interface CheckInput {
  /** The run's events in capture order. */
  events: Iterable<ImprintEvent>;
  /** Why the capture is known to be incomplete (from the capture file: no END, lost frames, broken stream). */
  incomplete?: readonly string[];
}

export type Verdict = 'clean' | 'drift' | 'inconclusive';

export interface CheckResult {
  /** Drift wins over inconclusive: a deviation seen is proven even in a partial capture. */
  verdict: Verdict;
  deviations: Deviation[];
  unseen: UnseenItem[];
  incomplete: string[];
  /** Capture service → baseline service it was checked against. */
  services: Record<string, string>;
  events: number;
}

const RULE_OF: Record<Fact['category'], RuleId> = {
  executable: 'new-executable', read: 'new-file-write', write: 'new-file-write', create: 'new-file-create',
  delete: 'new-file-delete', listen: 'new-listen-port', outbound: 'new-outbound-peer', inbound: 'new-inbound-peer',
  dns: 'new-dns-name', uid: 'uid-change', syscall: 'new-syscall',
};

/** Index of one service's baseline: exact keys plus glob patterns (hand-edited `/var/log/**`). */
class ServiceIndex {
  private exact = new Map<string, Set<string>>();
  private globs = new Map<string, string[]>();
  private truncated: ReadonlySet<string>;
  constructor(readonly svc: ServiceBaseline, readonly alwaysAllowed: ReadonlySet<string>) {
    this.truncated = new Set(svc.truncated);
    const add = (cat: string, key: string) => {
      let s = this.exact.get(cat);
      if (!s) this.exact.set(cat, (s = new Set()));
      s.add(key);
      if (key.includes('*')) { const g = this.globs.get(cat) ?? []; g.push(key); this.globs.set(cat, g); }
    };
    for (const i of svc.executables) add('executable', itemKey.executable(i));
    for (const access of ['read', 'write', 'create', 'delete'] as const) for (const i of svc.files[access]) add(access, i.path);
    for (const i of svc.listen) add('listen', itemKey.listen(i));
    for (const i of svc.dns) add('dns', i.name);
    for (const i of svc.uids) add('uid', itemKey.uid(i));
    for (const i of svc.syscalls) add('syscall', i.name);
  }
  /** The baseline item ("category key") covering `key`, exactly or by glob. */
  private find(cat: string, key: string, glob = false): string | undefined {
    if (this.exact.get(cat)?.has(key)) return `${cat} ${key}`;
    const g = glob ? (this.globs.get(cat) ?? []).find((p) => globMatch(p, key)) : undefined;
    return g === undefined ? undefined : `${cat} ${g}`;
  }
  /**
   * The baseline item ("category key") that allows this fact, `always` for calls on the always-allowed list,
   * `truncated` when its list was cut, or undefined: a deviation. Reads are always allowed: listed for review
   * and policies, never drift.
   */
  covering(f: Fact): string | undefined {
    return this.listed(f) ?? this.cut(f);
  }

  /**
   * A list cut at its bound when learned (bounds.ts) lost items the learning run did show: what it does not
   * list is not drift. Writes and creates cover each other, so either list being cut covers both.
   */
  private cut(f: Fact): string | undefined {
    const lists = f.category === 'write' || f.category === 'create' ? [LIST_OF.write, LIST_OF.create] : [LIST_OF[f.category]];
    return lists.some((l) => this.truncated.has(l)) ? 'truncated' : undefined;
  }

  private listed(f: Fact): string | undefined {
    switch (f.category) {
      case 'executable': return this.find('executable', f.key, true);
      case 'read': return this.find('read', f.key, true) ?? 'always';
      // Creating and writing both modify the path: either listing covers both.
      case 'write': case 'create': return this.find(f.category, f.key, true) ?? this.find(f.category === 'write' ? 'create' : 'write', f.key, true) ??
        (ALWAYS_WRITABLE.has(f.key) ? 'always' : undefined);
      case 'delete': return this.find('delete', f.key, true);
      case 'dns': return this.find('dns', f.key, true); // hand-edited `*.example.com`
      case 'listen': case 'uid': return this.find(f.category, f.key);
      case 'syscall': return this.find('syscall', f.key) ?? (this.alwaysAllowed.has(f.key) ? 'always' : undefined);
      case 'outbound': case 'inbound': {
        const list = f.category === 'outbound' ? this.svc.outbound : this.svc.inbound;
        // The same peer may be named by service, DNS name or address in different runs: any of them matches.
        const item = list.find((i) => i.protocol === f.protocol && i.port === f.port &&
          (i.peer === f.peer || (f.address !== undefined && (i.peer === f.address || addressesOf(i).includes(f.address))) ||
           ((f.kind === 'unix' || f.kind === 'dns') && i.kind === f.kind && globMatch(i.peer, f.peer))));
        return item ? `${f.category} ${itemKey.peer(item)}` : undefined;
      }
    }
  }
}

const addressesOf = (i: object): readonly string[] => ("addresses" in i && Array.isArray(i.addresses) ? i.addresses : []);

function describe(f: Fact, exe: string): string {
  const who = exe === '?' ? '' : ` (by ${exe})`;
  switch (f.category) {
    case 'executable': return `${f.service} ran ${f.path}, started by ${f.parent === '-' ? 'the entrypoint' : f.parent}: not in the baseline`;
    case 'read': return `${f.service} read ${f.path}${who}`;
    case 'write': return `${f.service} wrote ${f.path}${who}: not in the baseline`;
    case 'create': return `${f.service} created ${f.path}${who}: not in the baseline`;
    case 'delete': return `${f.service} deleted ${f.path}${who}: not in the baseline`;
    case 'listen': return `${f.service} listened on ${f.protocol}/${f.port}${who}: not in the baseline`;
    case 'outbound': return `${f.service} connected to ${f.peer}${f.address && f.address !== f.peer ? ` (${f.address})` : ''} ${f.protocol}/${f.port}${who}: not in the baseline`;
    case 'inbound': return `${f.service} accepted ${f.protocol}/${f.port} from ${f.peer}${who}: not in the baseline`;
    case 'dns': return `${f.service} resolved ${f.name}${who}: not in the baseline`;
    case 'uid': return `${f.service} changed identity: ${f.key}${who}: not in the baseline`;
    case 'syscall': return `${f.service} used syscall ${f.name}${who}: not in the baseline`;
  }
}

/** Proven losses in the events themselves: per-container sequence gaps. */
export function sequenceGaps(events: Iterable<ImprintEvent>): string[] {
  const seqs = new Map<string, number[]>();
  for (const e of events) { let l = seqs.get(e.container); if (!l) seqs.set(e.container, (l = [])); l.push(e.seq); }
  const out: string[] = [];
  for (const [container, list] of [...seqs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a - b);
    let missing = 0;
    for (let i = 1; i < list.length; i++) if (list[i]! > list[i - 1]! + 1) missing += list[i]! - list[i - 1]! - 1;
    if (missing) out.push(`${missing} event(s) missing in ${container.slice(0, 64)} (sequence gaps)`);
  }
  return out;
}

/**
 * Why the run shows nothing of an app, though the capture is whole: `ptrace-denied` (native/PROTOCOL.md,
 * "Notice codes") leaves the app running untraced; and a service whose every exec failed never ran its
 * app at all (the image's entrypoint is missing, a typo in the command). Either way a run without
 * deviations proves nothing, so it must not pass a check, nor teach a baseline.
 */
export function probeBlindSpots(events: Iterable<ImprintEvent>): string[] {
  const out = new Set<string>();
  const denied = new Set<string>();
  const started = new Set<string>();
  const failedExec = new Map<string, string>(); // service → the first exec that failed
  for (const e of events) {
    if (e.kind === 'notice' && e.code === 'ptrace-denied') {
      denied.add(e.service);
      out.add(`the probe could not trace ${e.service.slice(0, 64)} (ptrace denied): its behaviour was not seen`);
    } else if (e.kind === 'exec') {
      if (e.result === 0) started.add(e.service);
      else if (!failedExec.has(e.service)) failedExec.set(e.service, e.path);
    }
  }
  for (const [service, path] of failedExec) {
    if (!started.has(service) && !denied.has(service)) {
      out.add(`the app of ${service.slice(0, 64)} never started: exec ${JSON.stringify(path.slice(0, 256))} failed, and nothing else ran`);
    }
  }
  return [...out].sort();
}

/** Which baseline service each capture service is checked against. One-to-one by name; a lone service maps to a lone service. */
function mapServices(baseline: Baseline, seen: readonly string[]): Record<string, string> {
  const names = Object.keys(baseline.services);
  const out: Record<string, string> = {};
  if (names.length === 1 && seen.length === 1) { out[seen[0]!] = names[0]!; return out; }
  for (const s of seen) if (baseline.services[s]) out[s] = s;
  return out;
}

export function checkDrift(baseline: Baseline, input: CheckInput): CheckResult {
  const events = [...input.events];
  const services = mapServices(baseline, [...new Set(events.map((e) => e.service))].sort());
  const alwaysAllowed = new Set(baseline.learned.alwaysAllowed);
  const indexes = new Map<string, ServiceIndex>();
  for (const [seen, name] of Object.entries(services)) indexes.set(seen, new ServiceIndex(baseline.services[name]!, alwaysAllowed));

  const deviations = new Map<string, Deviation>();
  const seenKeys = new Map<string, Set<string>>(); // baseline service → "category key" seen this run
  const newServices = new Map<string, Deviation>();
  for (const e of events) {
    if (!services[e.service] && !newServices.has(e.service)) {
      newServices.set(e.service, { rule: 'new-service', service: e.service, item: e.service, message: `service ${e.service} is not in the baseline`, exe: '?', event: e, count: 1 });
    }
  }
  observe(events, (f) => {
    const index = indexes.get(f.service);
    if (!index) return;
    const target = services[f.service]!;
    let s = seenKeys.get(target);
    if (!s) seenKeys.set(target, (s = new Set()));
    const covered = index.covering(f);
    if (covered !== undefined) { s.add(covered); return; }
    const rule = RULE_OF[f.category];
    const id = `${rule}\0${f.service}\0${f.key}`;
    const prev = deviations.get(id);
    if (prev) { prev.count++; return; }
    deviations.set(id, { rule, service: target, item: f.key, message: describe(f, f.exe), exe: f.exe, event: f.event, count: 1 });
  });

  const unseen: UnseenItem[] = [];
  for (const [name, svc] of Object.entries(baseline.services).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const s = seenKeys.get(name) ?? new Set<string>();
    const check = (category: string, key: string, runs: number) => { if (!s.has(`${category} ${key}`)) unseen.push({ service: name, category, item: key, runs, of: svc.runs }); };
    if (!Object.values(services).includes(name)) { unseen.push({ service: name, category: 'service', item: name, runs: svc.runs, of: baseline.learned.runs }); continue; }
    for (const i of svc.executables) check('executable', i.path, i.runs);
    for (const access of ['read', 'write', 'create', 'delete'] as const) for (const i of svc.files[access]) check(access, i.path, i.runs);
    for (const i of svc.listen) check('listen', itemKey.listen(i), i.runs);
    for (const i of svc.outbound) check('outbound', itemKey.peer(i), i.runs);
    for (const i of svc.inbound) check('inbound', itemKey.peer(i), i.runs);
    for (const i of svc.dns) check('dns', i.name, i.runs);
    for (const i of svc.uids) check('uid', itemKey.uid(i), i.runs);
    for (const i of svc.syscalls) check('syscall', i.name, i.runs);
  }

  const incomplete = [...new Set([...(input.incomplete ?? []), ...sequenceGaps(events), ...probeBlindSpots(events)])];
  const list = [...newServices.values(), ...deviations.values()].sort((a, b) =>
    a.service < b.service ? -1 : a.service > b.service ? 1 : a.event.time - b.event.time || a.event.seq - b.event.seq);
  const verdict: Verdict = list.length ? 'drift' : incomplete.length || events.length === 0 ? 'inconclusive' : 'clean';
  if (events.length === 0 && !incomplete.length) incomplete.push('the capture holds no events');
  return { verdict, deviations: list, unseen, incomplete, services, events: events.length };
}
