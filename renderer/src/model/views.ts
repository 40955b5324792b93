/**
 * What the panels show, folded from a list of events (the whole run, or the brushed time range). Pure, so
 * the same code serves live runs and replay and is tested without a browser. Everything here is untrusted
 * text from the container: it is only ever rendered as text.
 */
import type { ImprintEvent, EventOf } from '../../../common/events.js';
import { basename, programName } from './event-log.js';
import { ConnectAttempts } from '../../../common/models/connect-attempts.js';
import { readableText } from '../../../common/protocol/text.js';

export interface ProcessNode {
  key: string;
  service: string;
  pid: number;
  parent?: number;
  exe?: string;
  argv?: string[];
  /** The parent's program at the fork, for a forked child that never called exec itself (an nginx worker). */
  forkedFrom?: string;
  /** Set when the process exited: the code, or 128 + signal. */
  exit?: { code?: number; signal?: number };
  start: number;
  events: number;
  children: ProcessNode[];
}

/**
 * The process tree of `events`. With `context` (the whole run, when `events` is a time range of it), a
 * process that exec'd or was forked before the range still shows its program and its parent.
 */
export function processTree(events: Iterable<ImprintEvent>, context?: Iterable<ImprintEvent>): ProcessNode[] {
  const nodes = new Map<string, ProcessNode>();
  const parentOf = new Map<string, number>();
  const known = new Map<string, { exe: string; argv: string[] }>();
  if (context) {
    for (const e of context) {
      if (e.kind === 'fork' && e.clone !== 'thread') parentOf.set(`${e.service}\u0000${e.child}`, e.pid);
      else if (e.kind === 'exec' && e.result === 0) known.set(`${e.service}\u0000${e.pid}`, { exe: e.path, argv: e.argv });
    }
  }
  const node = (service: string, pid: number, time: number): ProcessNode => {
    const key = `${service}\u0000${pid}`;
    let n = nodes.get(key);
    if (!n) {
      nodes.set(key, (n = { key, service, pid, start: time, events: 0, children: [] }));
      const k = known.get(key);
      if (k) { n.exe = k.exe; n.argv = k.argv; }
    }
    return n;
  };
  for (const e of events) {
    if (e.kind === 'log' || e.kind === 'notice') continue;
    const n = node(e.service, e.pid, e.time);
    n.events++;
    if (e.kind === 'fork' && e.clone !== 'thread') {
      const child = node(e.service, e.child, e.time);
      parentOf.set(`${e.service}\u0000${e.child}`, e.pid);
      // The child runs the program its parent ran at the fork (a shell that later exec'd its last command).
      const from = n.exe ? programName(n.exe, n.argv) : n.forkedFrom;
      if (from && !child.exe) child.forkedFrom = from;
    } else if (e.kind === 'exec' && e.result === 0) {
      n.exe = e.path;
      n.argv = e.argv;
    } else if (e.kind === 'exit' && e.pid === e.tid) {
      n.exit = { code: e.code, signal: e.signal };
    }
  }
  const roots: ProcessNode[] = [];
  for (const n of nodes.values()) {
    const parent = parentOf.get(n.key);
    const p = parent === undefined ? undefined : nodes.get(`${n.service}\u0000${parent}`);
    if (p && p !== n) { n.parent = parent; p.children.push(n); } else roots.push(n);
  }
  // A child that never exec'd runs its parent's program: named as the parent is (programName: a busybox
  // applet run through /proc/self/exe is its argv[0], as in the timeline's lanes).
  const inherit = (n: ProcessNode, from?: string) => {
    if (!n.exe && !n.forkedFrom && from) n.forkedFrom = from;
    for (const c of n.children) inherit(c, n.exe ? programName(n.exe, n.argv) : n.forkedFrom);
  };
  for (const r of roots) inherit(r);
  const byStart = (a: ProcessNode, b: ProcessNode) => a.start - b.start || a.pid - b.pid;
  for (const n of nodes.values()) n.children.sort(byStart);
  return roots.sort((a, b) => a.service.localeCompare(b.service) || byStart(a, b));
}

export function processLabel(n: ProcessNode): string {
  if (n.exe) return programName(n.exe, n.argv);
  return n.forkedFrom ? `${n.forkedFrom} (fork)` : `pid ${n.pid}`;
}

export interface FileStat { path: string; reads: number; writes: number; creates: number; deletes: number; other: number; failed: number; total: number }
export interface DirStat extends FileStat { files: FileStat[] }

type FileEvent = EventOf<'open'> | EventOf<'unlink'> | EventOf<'rename'> | EventOf<'mkdir'> | EventOf<'rmdir'> | EventOf<'chmod'>
  | EventOf<'chown'> | EventOf<'link'> | EventOf<'symlink'> | EventOf<'truncate'> | EventOf<'mount'> | EventOf<'umount'> | EventOf<'mknod'>;

function isFileEvent(e: ImprintEvent): e is FileEvent {
  return 'path' in e && e.kind !== 'exec';
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return path.startsWith('/') ? '/' : '.';
  return path.slice(0, i);
}

const emptyStat = (path: string): FileStat => ({ path, reads: 0, writes: 0, creates: 0, deletes: 0, other: 0, failed: 0, total: 0 });

/** File activity grouped by directory, busiest first. */
export function filesByDirectory(events: Iterable<ImprintEvent>): DirStat[] {
  const dirs = new Map<string, DirStat>();
  const files = new Map<string, FileStat>();
  for (const e of events) {
    if (!isFileEvent(e)) continue;
    const path = e.path;
    const dir = dirname(path);
    let d = dirs.get(dir);
    if (!d) dirs.set(dir, (d = { ...emptyStat(dir), files: [] }));
    let f = files.get(path);
    if (!f) { files.set(path, (f = emptyStat(path))); d.files.push(f); }
    for (const s of [d, f]) {
      s.total++;
      if (e.result !== undefined && e.result < 0) { s.failed++; continue; }
      if (e.kind === 'open') {
        if (e.access.includes('create')) s.creates++;
        else if (e.access.includes('write') || e.access.includes('append') || e.access.includes('truncate')) s.writes++;
        else s.reads++;
      } else if (e.kind === 'unlink' || e.kind === 'rmdir') s.deletes++;
      else if (e.kind === 'mkdir') s.creates++;
      else if (e.kind === 'rename' || e.kind === 'truncate' || e.kind === 'chmod' || e.kind === 'chown') s.writes++;
      else s.other++;
    }
  }
  const out = [...dirs.values()].sort((a, b) => b.total - a.total || a.path.localeCompare(b.path));
  for (const d of out) d.files.sort((a, b) => b.total - a.total || a.path.localeCompare(b.path));
  return out;
}

export type GraphNodeKind = 'service' | 'endpoint' | 'port';
export interface GraphNode { id: string; kind: GraphNodeKind; label: string; service?: string; events: number; deviant?: boolean }
export interface GraphEdge {
  id: string; source: string; target: string;
  protocols: string[]; ports: number[];
  count: number; failed: number; first: number; last: number;
  /** An event behind this edge is a deviation from the loaded baseline. */
  deviant?: boolean;
}
export interface ConnectionGraph { nodes: GraphNode[]; edges: GraphEdge[] }

/**
 * Services, the outside endpoints they talk to (named by the DNS answers seen in the run) and the ports
 * they listen on. One edge per pair, whose width shows the volume (Weave Scope #1092).
 */
export function connectionGraph(events: Iterable<ImprintEvent>, flagged?: ReadonlySet<ImprintEvent>): ConnectionGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const names = new Map<string, string>();
  const list: EventOf<'connect' | 'accept' | 'bind' | 'listen'>[] = [];
  const attempts = new ConnectAttempts();
  const addNode = (id: string, kind: GraphNodeKind, label: string, service?: string) => {
    let n = nodes.get(id);
    // Shown as the other panels show text (readableText): ids keep the stored form.
    if (!n) nodes.set(id, (n = { id, kind, label: readableText(label), service, events: 0 }));
    n.events++;
    return n;
  };
  for (const e of events) {
    if (e.kind === 'dns' && e.phase === 'answer') {
      for (const a of e.answers ?? []) {
        const [type, value] = a.split(' ', 2);
        if ((type === 'A' || type === 'AAAA') && value) names.set(value, e.name);
      }
    } else if (e.kind === 'connect' || e.kind === 'accept' || e.kind === 'bind' || e.kind === 'listen') {
      list.push(e);
    }
  }
  for (const e of list) {
    // Only IP traffic is drawn: unix sockets stay local, and connect(AF_UNSPEC) merely dissolves a UDP
    // association (glibc's resolver does it), it reaches nobody.
    if (e.family !== 'inet' && e.family !== 'inet6') continue;
    const svc = `svc:${e.service}`;
    addNode(svc, 'service', e.service, e.service);
    if (e.kind === 'listen' || (e.kind === 'bind' && e.protocol === 'udp')) {
      const port = e.local?.port ?? 0;
      if (port === 0 || e.result < 0) continue;
      const id = `port:${e.service}:${e.protocol}/${port}`;
      const n = addNode(id, 'port', `${e.protocol}/${port}`, e.service);
      if (flagged?.has(e)) n.deviant = true;
      addEdge(svc, id, e);
      continue;
    }
    if (e.kind === 'bind') continue;
    if (e.kind === 'connect' && attempts.isFollowUp(e)) continue; // one connection, asked again
    // Between two probed services one connection shows up twice, as the client's connect and the server's
    // accept: count it once, from the client's side.
    if (e.kind === 'accept' && e.peer?.service) continue;
    const peer = e.peer;
    if (!peer || (!peer.address && !peer.service && !peer.name)) continue;
    // The Docker host's address changes every run, as does another container's on the run's network:
    // baselines call them `host` and by the network's name, so does the graph.
    const named = peer.host ? 'host' : peer.name ?? names.get(peer.address) ?? (peer.network !== undefined ? `network ${peer.network}` : undefined);
    // An unnamed peer on port 53 is the resolver the container asks (Docker's is 127.0.0.11): say so.
    const label = named ?? (peer.port === 53 ? `DNS ${peer.address}` : peer.address);
    const other = peer.service
      ? addNode(`svc:${peer.service}`, 'service', peer.service, peer.service)
      : addNode(`ep:${named ?? peer.address}`, 'endpoint', label);
    // A new outside peer is itself the news: mark the node, not only the edge.
    if (flagged?.has(e) && other.kind === 'endpoint') other.deviant = true;
    if (e.kind === 'connect') addEdge(svc, other.id, e);
    else addEdge(other.id, svc, e);
  }
  function addEdge(source: string, target: string, e: EventOf<'connect' | 'accept' | 'bind' | 'listen'>) {
    const id = `${source}\u2192${target}`;
    let edge = edges.get(id);
    if (!edge) edges.set(id, (edge = { id, source, target, protocols: [], ports: [], count: 0, failed: 0, first: e.time, last: e.time }));
    edge.count++;
    if (flagged?.has(e)) edge.deviant = true;
    if (e.result < 0 && e.result !== -115) edge.failed++; // -EINPROGRESS is a non-blocking connect under way
    if (!edge.protocols.includes(e.protocol)) edge.protocols.push(e.protocol);
    const port = e.kind === 'connect' ? e.peer?.port : e.local?.port;
    if (port !== undefined && port !== 0 && !edge.ports.includes(port) && edge.ports.length < 32) edge.ports.push(port);
    edge.first = Math.min(edge.first, e.time);
    edge.last = Math.max(edge.last, e.time);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * A one-line description of an event for the table and search, in the display form the log view uses
 * (`\\` shown as `\`, readableText): what is shown, and so what a search finds, never what is stored.
 */
export function describeEvent(e: ImprintEvent): string {
  return readableText(rawDescription(e));
}

function rawDescription(e: ImprintEvent): string {
  switch (e.kind) {
    case 'exec': return `${e.path} ${e.argv.slice(1).join(' ')}`.trim() + (e.result === undefined ? '  (failed)' : e.result < 0 ? `  (${e.result})` : '');
    case 'fork': return `${e.clone} → ${e.child}`;
    case 'exit': return e.signal !== undefined ? `signal ${e.signal}` : `code ${e.code ?? '?'}`;
    case 'open': return `${e.path} [${e.access.join(',')}]` + (e.result !== undefined && e.result < 0 ? `  (${e.result})` : '');
    case 'socket': return `${e.family} ${e.protocol}`;
    case 'connect': case 'accept': {
      const p = e.peer;
      return p ? `${e.protocol} ${p.service ?? p.name ?? p.address}:${p.port}` + (e.result < 0 && e.result !== -115 ? `  (${e.result})` : '') : e.protocol;
    }
    case 'bind': case 'listen': return `${e.protocol} ${e.local ? `${e.local.address}:${e.local.port}` : ''}`;
    case 'dns': return `${e.phase} ${e.qtype} ${e.name}` + (e.answers?.length ? ` → ${e.answers.join(', ')}` : '');
    case 'setuid': return `${e.syscall}(${e.args.join(', ')})`;
    case 'risky': return `${e.syscall} ${e.action}`;
    case 'log': return e.line;
    case 'syscall': return `${e.syscall} by ${e.exe}`;
    case 'notice': return `${e.code}: ${e.message}`;
    case 'unknown': return `frame type ${e.type}`;
    default: return 'path' in e ? `${e.path}${'path2' in e && e.path2 ? ` → ${e.path2}` : ''}` + (e.result < 0 ? `  (${e.result})` : '') : '';
  }
}

/** What an empty run view says: only a live run's events are still to come; a capture holds what it holds. */
export function noEventsText(on: { capture: boolean; loading?: boolean; live?: boolean }): string {
  if (on.capture) return on.loading ? 'Reading the capture…' : 'This capture holds no events.';
  return on.live ? 'No events yet. They appear here as the container runs.' : 'This run recorded no events.';
}
