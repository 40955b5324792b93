/**
 * Turns a run's events into facts: the normalized, keyed things a baseline lists (an executable, a file
 * written, a peer, a syscall...). Learning counts facts across runs; the drift check looks each fact up in
 * the baseline. One function does both so they can never disagree on what a key is.
 *
 * Events are untrusted: every string is bounded and normalized here, unknown shapes are skipped.
 */
import type { Endpoint, EventOf, ImprintEvent, NetProtocol } from '../events.js';
import { argvPattern, normalizePath } from './normalize.js';
import { ConnectAttempts } from '../models/connect-attempts.js';
import type { FileAccess, PeerKind } from './schema.js';

export type FactCategory =
  | 'executable' | FileAccess | 'listen' | 'outbound' | 'inbound' | 'dns' | 'uid' | 'syscall';

interface FactBase { service: string; key: string; exe: string; event: ImprintEvent }
export type Fact = FactBase & (
  | { category: 'executable'; path: string; parent: string; argv: string }
  | { category: FileAccess; path: string }
  | { category: 'listen'; protocol: 'tcp' | 'udp'; port: number }
  | { category: 'outbound' | 'inbound'; peer: string; kind: PeerKind; protocol: NetProtocol; port: number; address?: string }
  | { category: 'dns'; name: string }
  | { category: 'uid'; syscall: string; uid?: number; gid?: number; caps?: number }
  | { category: 'syscall'; name: string }
);

/** Shown as the executable when the process's exec was never seen (it started before the probe). */
export const UNKNOWN_EXE = '?';
/** The parent of the entrypoint: the probe itself started it. */
export const ENTRYPOINT_PARENT = '-';
/** The injected probe (native/, PROTOCOL.md): its own calls before it executes the entrypoint are not the app's. */
export const PROBE_EXE = '/.imprint/probe';

/** Follows processes through fork and exec so each fact can name the executable that caused it. */
class ProcessTable {
  private exe = new Map<string, string>();
  /** Listening port per (container, fd), so accept can name the local port when the probe did not send it. */
  private listenFd = new Map<string, number>();
  /** Addresses named by DNS answers, per container, for peers the engine did not name. */
  private dnsNames = new Map<string, string>();

  exeOf(ev: ImprintEvent): string {
    return this.exe.get(`${ev.container}\0${ev.pid}`) ?? UNKNOWN_EXE;
  }
  fork(ev: EventOf<'fork'>): void {
    if (ev.clone === 'thread') return;
    const parent = this.exe.get(`${ev.container}\0${ev.pid}`);
    if (parent !== undefined) this.exe.set(`${ev.container}\0${ev.child}`, parent);
  }
  /** Records an exec; returns the program that ran it and the path it now runs. */
  exec(ev: EventOf<'exec'>, path: string): { parent: string; path: string } {
    const id = `${ev.container}\0${ev.pid}`;
    const parent = this.exe.get(id) ?? ENTRYPOINT_PARENT;
    // A program re-executing itself (busybox applets do) runs the same file it already was.
    const resolved = path === '/proc/self/exe' && parent !== ENTRYPOINT_PARENT && parent !== UNKNOWN_EXE ? parent : path;
    this.exe.set(id, resolved);
    return { parent, path: resolved };
  }
  rememberListen(ev: ImprintEvent & { fd: number }, port: number): void {
    this.listenFd.set(`${ev.container}\0${ev.fd}`, port);
  }
  listenPortOf(ev: ImprintEvent & { fd: number }): number | undefined {
    return this.listenFd.get(`${ev.container}\0${ev.fd}`);
  }
  rememberAnswers(ev: EventOf<'dns'>): void {
    for (const a of ev.answers ?? []) {
      const m = /^(A|AAAA) (\S{1,64})$/.exec(a);
      if (m) this.dnsNames.set(`${ev.container}\0${m[2]}`, ev.name.slice(0, 253));
    }
  }
  nameOf(container: string, address: string): string | undefined {
    return this.dnsNames.get(`${container}\0${address}`);
  }
}

/** How a remote end is named: the Docker host, its service, its DNS name, the run's network it is on
 * (another container there), else its address. */
function namePeer(ep: Endpoint, protocol: NetProtocol, container: string, table: ProcessTable): { peer: string; kind: PeerKind; address?: string } {
  if (protocol === 'unix') return { peer: ep.address.startsWith('/') ? normalizePath(ep.address) : ep.address.slice(0, 256), kind: 'unix' };
  const address = ep.address.slice(0, 64);
  if (ep.host) return { peer: 'host', kind: 'host' };
  if (ep.service) return { peer: ep.service.slice(0, 256), kind: 'service' };
  const name = ep.name ?? table.nameOf(container, address);
  if (name) return { peer: name.slice(0, 253), kind: 'dns', address };
  if (ep.network) return { peer: ep.network.slice(0, 256), kind: 'network' };
  return { peer: address, kind: 'address' };
}

/** -EEXIST: the file or directory to create was already there. */
const EEXIST = -17;

const isNet = (family: string) => family === 'inet' || family === 'inet6' || family === 'unix';

/** Calls `emit` once per fact, in event order. Events must be in capture order (per container, by seq). */
export function observe(events: Iterable<ImprintEvent>, emit: (fact: Fact) => void): void {
  const table = new ProcessTable();
  const attempts = new ConnectAttempts();
  for (const ev of events) {
    const service = ev.service.slice(0, 256);
    const file = (category: FileAccess, raw: string | undefined, directory = false) => {
      if (!raw) return;
      // Directories keep a trailing slash, as AppArmor spells them, so a reader can tell them from files.
      const path = normalizePath(raw) + (directory && raw !== '/' ? '/' : '');
      emit({ category, service, key: path, path, exe: table.exeOf(ev), event: ev });
    };
    switch (ev.kind) {
      case 'fork': table.fork(ev); break;
      case 'exec': {
        // A failed exec is a PATH search miss (sh tries each directory): not a program that ran.
        if (ev.result !== 0) break;
        const { parent, path } = table.exec(ev, normalizePath(ev.path));
        emit({ category: 'executable', service, key: path, path, parent, argv: argvPattern(ev.argv, ev.argc), exe: parent, event: ev });
        break;
      }
      case 'open': {
        const a = ev.access;
        if (a.includes('create') || a.includes('exclusive')) file('create', ev.path);
        else if (a.includes('write') || a.includes('append') || a.includes('truncate')) file('write', ev.path);
        // A read is an attempt: the probe reports read-only opens without their outcome (PROTOCOL.md,
        // OPEN), so a result, where an older capture has one, is ignored and every machine agrees.
        else file('read', ev.path, a.includes('directory'));
        break;
      }
      case 'unlink': file('delete', ev.path); break;
      case 'rmdir': file('delete', ev.path, true); break;
      case 'rename': file('delete', ev.path); file('create', ev.path2); break;
      // EEXIST created nothing (the kernel fails it before any permission check): `mkdir -p` tries every
      // parent, and learning those would grant `create /` to an AppArmor profile.
      case 'mkdir': if (ev.result !== EEXIST) file('create', ev.path, true); break;
      case 'mknod': if (ev.result !== EEXIST) file('create', ev.path); break;
      case 'link': case 'symlink': if (ev.result !== EEXIST) file('create', ev.path2 ?? ev.path); break;
      case 'chmod': case 'chown': case 'truncate': file('write', ev.path); break;
      case 'mount': case 'umount': file('write', ev.path2 ?? ev.path); break;
      case 'listen': case 'bind': {
        const port = ev.local?.port ?? 0;
        if (ev.result < 0 || port === 0 || !isNet(ev.family)) break;
        table.rememberListen(ev, port);
        // TCP listens on listen(); a UDP server "listens" by binding a fixed port.
        const protocol = ev.kind === 'listen' && ev.protocol === 'tcp' ? 'tcp' : ev.kind === 'bind' && ev.protocol === 'udp' ? 'udp' : undefined;
        if (protocol) emit({ category: 'listen', service, key: `${protocol}/${port}`, protocol, port, exe: table.exeOf(ev), event: ev });
        break;
      }
      case 'connect': case 'accept': {
        if (!ev.peer || !isNet(ev.family)) break;
        if (ev.kind === 'accept' && ev.result < 0) break;
        if (ev.kind === 'connect' && attempts.isFollowUp(ev)) break; // the same connection, asked again
        if (ev.protocol !== 'unix' && ev.peer.address === '') break;
        const named = namePeer(ev.peer, ev.protocol, ev.container, table);
        // Inbound: the peer's own port is ephemeral; the local (listening) port is what identifies the flow.
        const port = ev.protocol === 'unix' ? 0 : ev.kind === 'connect' ? ev.peer.port : (ev.local?.port || table.listenPortOf(ev) || 0);
        const category = ev.kind === 'connect' ? 'outbound' : 'inbound';
        emit({ category, service, key: `${ev.protocol} ${named.peer}:${port}`, ...named, protocol: ev.protocol, port, exe: table.exeOf(ev), event: ev });
        break;
      }
      case 'dns': {
        if (ev.phase === 'answer') { table.rememberAnswers(ev); break; }
        const name = ev.name.slice(0, 253);
        if (name) emit({ category: 'dns', service, key: name, name, exe: table.exeOf(ev), event: ev });
        break;
      }
      case 'setuid': {
        if (ev.result < 0) break;
        const id = { syscall: ev.syscall.slice(0, 64), uid: ev.uid, gid: ev.gid, caps: ev.caps };
        const key = [id.syscall, id.uid !== undefined ? `uid=${id.uid}` : '', id.gid !== undefined ? `gid=${id.gid}` : '', id.caps !== undefined ? `caps=${id.caps}` : ''].filter(Boolean).join(' ');
        emit({ category: 'uid', service, key, ...definedOnly(id), exe: table.exeOf(ev), event: ev });
        break;
      }
      case 'syscall': {
        const name = ev.syscall.slice(0, 64);
        const exe = normalizePath(ev.exe);
        if (exe === PROBE_EXE) break;
        emit({ category: 'syscall', service, key: name, name, exe: exe === '/proc/self/exe' ? table.exeOf(ev) : exe, event: ev });
        break;
      }
      case 'risky': {
        // A refused call never ran (io_uring_setup gets ENOSYS and programs fall back): not part of the set.
        if (ev.action !== 'observed') break;
        const name = ev.syscall.slice(0, 64);
        emit({ category: 'syscall', service, key: name, name, exe: table.exeOf(ev), event: ev });
        break;
      }
      default: break;
    }
  }
}

function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
