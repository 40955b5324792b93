/**
 * One decoded frame → one `ImprintEvent` (common/events.ts). Every byte attribute becomes escaped text
 * (text.ts), every bound of the schema is enforced here, so the result always passes `eventSchema`
 * whatever the container sent. HELLO and END return undefined: they are run info (run-info.ts).
 */
import type { Endpoint, EventOf, FileOp, ImprintEvent, NetProtocol, OpenAccess } from '../events.js';
import { FILE_OPS } from '../events.js';
import {
  ACCESS_BITS, Attr, FAMILY_NAMES, FLAG_TRUNCATED, FLAG_UNREADABLE, FrameType, QTYPE_NAMES, SOCK_DGRAM,
  SOCK_RAW, SOCK_STREAM,
} from './constants.js';
import type { Frame } from './frame.js';
import type { RunClock } from './run-info.js';
import { bytesToText } from './text.js';

export interface EventContext {
  service: string;
  container: string;
  clock: RunClock;
}

const MAX_ARGV = 64;
const MAX_ARGS = 16;
const MAX_ANSWERS = 64;
const FILE_OP_SET: ReadonlySet<string> = new Set(FILE_OPS);

export function familyName(family: number): string {
  return FAMILY_NAMES[family] ?? `af${family}`;
}

export function protocolOf(family: number, socktype: number): NetProtocol {
  if (family === 1) return 'unix';
  if (family === 2 || family === 10) {
    if (socktype === SOCK_STREAM) return 'tcp';
    if (socktype === SOCK_DGRAM) return 'udp';
    if (socktype === SOCK_RAW) return 'raw';
  }
  if (socktype === SOCK_RAW) return 'raw';
  return 'other';
}

export function qtypeName(qtype: number): string {
  return QTYPE_NAMES[qtype] ?? `TYPE${qtype}`;
}

export function accessList(mask: number): OpenAccess[] {
  const out: OpenAccess[] = [];
  for (const [bit, name] of ACCESS_BITS) if (mask & bit) out.push(name);
  return out;
}

const clampPort = (n: number | undefined): number => (n !== undefined && n >= 0 && n <= 65535 ? n : 0);
/** A dual-stack (IPv6) socket talking IPv4 sees its peer as `::ffff:a.b.c.d`; the peer is the IPv4 host
 * a.b.c.d, and is named (service, DNS name, Docker host) by that address. `family` still says inet6. */
const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const unmapped = (address: string | undefined): string | undefined => (address === undefined ? undefined : V4_MAPPED.exec(address)?.[1] ?? address);

/** i64 values beyond 2^53 are not exact doubles (and not schema integers): clamp them. */
const safeInt = (v: number): number => (v > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : v < Number.MIN_SAFE_INTEGER ? Number.MIN_SAFE_INTEGER : v);

/** One more than the highest attribute key this version knows; unknown keys are skipped. */
const KEYS = 49;

/**
 * Attributes of one frame, gathered in one pass into arrays indexed by key. The two key-indexed arrays
 * are scratch space reused by every call (toEvent is synchronous): allocating them per frame was a
 * third of the garbage. They are packed (filled with undefined): holey arrays put V8 on slow paths.
 */
interface Gathered {
  truncated: boolean;
  ints: (number | undefined)[];
  texts: (string | undefined)[];
  argv: string[];
  answers: string[];
  args: number[];
  ports: number[];
}

const scratch: Gathered = {
  truncated: false, ints: new Array(KEYS).fill(undefined), texts: new Array(KEYS).fill(undefined), argv: [], answers: [], args: [], ports: [],
};
const touched: number[] = [];

function text(g: Gathered, bytes: Uint8Array): string {
  const t = bytesToText(bytes);
  if (t.cut) g.truncated = true;
  return t.text;
}

function gather(frame: Frame): Gathered {
  const g = scratch;
  g.truncated = false;
  // Fresh arrays for the lists: they end up inside the event.
  g.argv = [];
  g.answers = [];
  g.args = [];
  g.ports = [];
  for (const a of frame.attrs) {
    const v = a.value;
    const key = a.key;
    if (typeof v === 'number') {
      if (key === Attr.ARG) { if (g.args.length < MAX_ARGS) g.args.push(v); else g.truncated = true; }
      else if (key === Attr.PORT) g.ports.push(safeInt(v));
      else if (key < KEYS && g.ints[key] === undefined) { g.ints[key] = safeInt(v); touched.push(key); }
    } else if (key === Attr.ARGV) {
      if (g.argv.length < MAX_ARGV) g.argv.push(text(g, v)); else g.truncated = true;
    } else if (key === Attr.ANSWER) {
      if (g.answers.length < MAX_ANSWERS) g.answers.push(text(g, v)); else g.truncated = true;
    } else if (key < KEYS && g.texts[key] === undefined) {
      g.texts[key] = text(g, v);
      touched.push(key);
    }
  }
  return g;
}

function release(g: Gathered): void {
  for (const key of touched) { g.ints[key] = undefined; g.texts[key] = undefined; }
  touched.length = 0;
}

/** Converts a frame; undefined for HELLO and END (run info, see run-info.ts). */
export function toEvent(frame: Frame, ctx: EventContext): ImprintEvent | undefined {
  const type = frame.type;
  if (type === FrameType.HELLO || type === FrameType.END) return undefined;
  const g = gather(frame);
  // Object spread ({ ...base, kind }) is V8's slow path and was 80% of this function: every event is
  // written out as one literal with the base fields first, and the flags are added after.
  const seq = safeInt(frame.seq);
  const time = ctx.clock.wallMs(frame.timeNs);
  const service = ctx.service;
  const container = ctx.container;
  const pid = frame.pid;
  const tid = frame.tid;
  const flagged = (frame.flags & (FLAG_TRUNCATED | FLAG_UNREADABLE)) !== 0 || g.truncated;
  let ev: ImprintEvent;
  try {
    ev = build(frame, g, type, seq, time, service, container, pid, tid);
  } finally {
    release(g);
  }
  if (flagged) {
    if (frame.flags & FLAG_TRUNCATED || g.truncated) ev.truncated = true;
    if (frame.flags & FLAG_UNREADABLE) ev.unreadable = true;
  }
  return ev;
}

function build(frame: Frame, g: Gathered, type: number, seq: number, time: number, service: string, container: string, pid: number, tid: number): ImprintEvent {
  const i = g.ints;
  const t = g.texts;
  const result = i[Attr.RESULT] ?? 0;

  switch (type) {
    case FrameType.FORK: {
      const clone = t[Attr.CLONE];
      return { seq, time, service, container, pid, tid, kind: 'fork', child: i[Attr.CHILD] ?? 0,
        clone: clone === 'fork' || clone === 'vfork' || clone === 'thread' ? clone : 'clone' };
    }
    case FrameType.EXEC: {
      const argc = i[Attr.ARGC] ?? g.argv.length;
      const ev: EventOf<'exec'> = { seq, time, service, container, pid, tid, kind: 'exec', path: t[Attr.PATH] ?? '', argv: g.argv, argc: argc >= 0 ? argc : 0,
        cwd: t[Attr.CWD] ?? '', uid: i[Attr.UID] ?? -1, gid: i[Attr.GID] ?? -1 };
      if (i[Attr.RESULT] !== undefined) ev.result = i[Attr.RESULT];
      if (i[Attr.FORMER] !== undefined) ev.former = i[Attr.FORMER];
      return ev;
    }
    case FrameType.EXIT: {
      const ev: EventOf<'exit'> = { seq, time, service, container, pid, tid, kind: 'exit' };
      if (i[Attr.CODE] !== undefined) ev.code = i[Attr.CODE];
      if (i[Attr.SIGNAL] !== undefined) ev.signal = i[Attr.SIGNAL];
      return ev;
    }
    case FrameType.OPEN: {
      const ev: EventOf<'open'> = { seq, time, service, container, pid, tid, kind: 'open', path: t[Attr.PATH] ?? '', access: accessList(i[Attr.ACCESS] ?? 0) };
      if (i[Attr.MODEBITS] !== undefined) ev.mode = i[Attr.MODEBITS];
      if (i[Attr.RESULT] !== undefined) ev.result = i[Attr.RESULT];
      return ev;
    }
    case FrameType.FILE: {
      const op = t[Attr.OP] ?? '';
      if (!FILE_OP_SET.has(op)) return { seq, time, service, container, pid, tid, kind: 'unknown', type };
      const ev: EventOf<FileOp> = { seq, time, service, container, pid, tid, kind: op as FileOp, path: t[Attr.PATH] ?? '', result };
      if (t[Attr.PATH2] !== undefined) ev.path2 = t[Attr.PATH2];
      if (i[Attr.MODEBITS] !== undefined) ev.mode = i[Attr.MODEBITS];
      if (i[Attr.UID] !== undefined) ev.uid = i[Attr.UID];
      if (i[Attr.GID] !== undefined) ev.gid = i[Attr.GID];
      return ev;
    }
    case FrameType.SOCKET: {
      const family = i[Attr.FAMILY] ?? 0;
      return { seq, time, service, container, pid, tid, kind: 'socket', family: familyName(family), protocol: protocolOf(family, i[Attr.SOCKTYPE] ?? 0), result };
    }
    case FrameType.CONNECT: case FrameType.ACCEPT: case FrameType.BIND: case FrameType.LISTEN: {
      const family = i[Attr.FAMILY] ?? 0;
      const kind = type === FrameType.CONNECT ? 'connect' : type === FrameType.ACCEPT ? 'accept' : type === FrameType.BIND ? 'bind' : 'listen';
      const address = unmapped(t[Attr.ADDRESS]);
      const ep: Endpoint | undefined = address !== undefined || g.ports.length ? { address: address ?? '', port: clampPort(g.ports[0]) } : undefined;
      const ev: EventOf<'connect'> | EventOf<'accept'> | EventOf<'bind'> | EventOf<'listen'> = { seq, time, service, container, pid, tid, kind, fd: i[Attr.FD] ?? -1,
        family: familyName(family), protocol: protocolOf(family, i[Attr.SOCKTYPE] ?? 0), result };
      if (kind === 'connect' || kind === 'accept') {
        if (ep) ev.peer = ep;
        // ACCEPT may carry the local (listening) port as a second PORT; its address is not sent.
        if (kind === 'accept' && g.ports.length > 1) ev.local = { address: '', port: clampPort(g.ports[1]) };
      } else if (ep) ev.local = ep;
      if (i[Attr.BACKLOG] !== undefined) ev.backlog = i[Attr.BACKLOG];
      return ev;
    }
    case FrameType.DNS_QUERY: case FrameType.DNS_ANSWER: {
      const query = type === FrameType.DNS_QUERY;
      const ev: EventOf<'dns'> = { seq, time, service, container, pid, tid, kind: 'dns', phase: query ? 'query' : 'answer', name: t[Attr.NAME] ?? '',
        qtype: qtypeName(i[Attr.QTYPE] ?? 0), id: i[Attr.DNSID] ?? 0 };
      const transport = t[Attr.TRANSPORT];
      if (transport === 'udp' || transport === 'tcp') ev.transport = transport;
      if (i[Attr.RCODE] !== undefined) ev.rcode = i[Attr.RCODE];
      const server = unmapped(t[Attr.ADDRESS]);
      if (query && server !== undefined) ev.server = { address: server, port: clampPort(g.ports[0]) };
      if (!query) ev.answers = g.answers;
      return ev;
    }
    case FrameType.SETID: {
      const ev: EventOf<'setuid'> = { seq, time, service, container, pid, tid, kind: 'setuid', syscall: t[Attr.SYSCALL] ?? '', args: g.args, result };
      if (i[Attr.UID] !== undefined) ev.uid = i[Attr.UID];
      if (i[Attr.GID] !== undefined) ev.gid = i[Attr.GID];
      if (i[Attr.CAPS] !== undefined) ev.caps = i[Attr.CAPS];
      return ev;
    }
    case FrameType.RISKY:
      return { seq, time, service, container, pid, tid, kind: 'risky', syscall: t[Attr.SYSCALL] ?? '', nr: i[Attr.NR] ?? -1, args: g.args,
        action: t[Attr.ACTION] === 'refused' ? 'refused' : 'observed', result };
    case FrameType.LOG: {
      const ev: EventOf<'log'> = { seq, time, service, container, pid, tid, kind: 'log', stream: i[Attr.STREAM] === 2 ? 'stderr' : 'stdout', line: t[Attr.DATA] ?? '' };
      if (i[Attr.PARTIAL] === 1) ev.partial = true;
      return ev;
    }
    case FrameType.SYSCALL_SEEN:
      return { seq, time, service, container, pid, tid, kind: 'syscall', syscall: t[Attr.SYSCALL] ?? '', nr: i[Attr.NR] ?? -1, exe: t[Attr.EXE] ?? '' };
    case FrameType.NOTICE:
      return { seq, time, service, container, pid, tid, kind: 'notice', code: t[Attr.NOTICE] ?? '', message: t[Attr.MESSAGE] ?? '' };
    default:
      return { seq, time, service, container, pid, tid, kind: 'unknown', type };
  }
}
