/**
 * The process tree per container, folded from fork/exec/exit. Threads (clone 'thread') are counted on
 * their process, not shown as processes. Bounded to MAX_PROCESSES nodes; beyond that new processes are
 * counted in `untracked` (an exec storm must not hold the engine's memory hostage).
 */
import type { EventOf, ImprintEvent } from '../events.js';

export const MAX_PROCESSES = 100_000;
/** Execs remembered per process (a shell that execs in place keeps its chain; the first is always kept). */
const MAX_EXEC_HISTORY = 8;

export interface ProcessNode {
  /** `${container}:${pid}` */
  key: string;
  service: string;
  container: string;
  pid: number;
  /** Parent's key; absent for the entrypoint (started by the probe) or a process first seen mid-run. */
  parent?: string;
  children: string[];
  /** Last successful exec: path, argv, cwd, uid. */
  exe?: string;
  argv?: string[];
  cwd?: string;
  uid?: number;
  /** Earlier execs of this pid (most recent last), when it exec'd more than once: the first (for the
   *  entrypoint, the image's own) and the latest MAX_EXEC_HISTORY - 1. */
  execs?: string[];
  threads: number;
  /** Successful execs by this pid (0: still running its parent's image). */
  execCount: number;
  started: number;
  ended?: number;
  exitCode?: number;
  signal?: number;
}

export interface ProcessTreeSnapshot {
  roots: string[];
  nodes: ProcessNode[];
  untracked: number;
}

export class ProcessTree {
  readonly nodes = new Map<string, ProcessNode>();
  readonly roots: string[] = [];
  untracked = 0;

  fold(ev: ImprintEvent): void {
    if (ev.kind === 'fork') this.fork(ev);
    else if (ev.kind === 'exec') this.exec(ev);
    else if (ev.kind === 'exit') this.exit(ev);
  }

  get(container: string, pid: number): ProcessNode | undefined {
    return this.nodes.get(`${container}:${pid}`);
  }

  snapshot(): ProcessTreeSnapshot {
    return { roots: [...this.roots], nodes: [...this.nodes.values()], untracked: this.untracked };
  }

  private node(ev: ImprintEvent, pid: number, parent?: ProcessNode): ProcessNode | undefined {
    const key = `${ev.container}:${pid}`;
    const found = this.nodes.get(key);
    if (found) return found;
    if (this.nodes.size >= MAX_PROCESSES) { this.untracked++; return undefined; }
    const n: ProcessNode = { key, service: ev.service, container: ev.container, pid, children: [], threads: 0, execCount: 0, started: ev.time };
    if (parent) {
      n.parent = parent.key;
      parent.children.push(key);
      // A child starts as a copy of its parent's image until it execs.
      if (parent.exe !== undefined) n.exe = parent.exe;
      if (parent.argv !== undefined) n.argv = parent.argv;
      if (parent.cwd !== undefined) n.cwd = parent.cwd;
      if (parent.uid !== undefined) n.uid = parent.uid;
    } else this.roots.push(key);
    this.nodes.set(key, n);
    return n;
  }

  private fork(ev: EventOf<'fork'>): void {
    const parent = this.node(ev, ev.pid);
    if (!parent) return;
    if (ev.clone === 'thread') { parent.threads++; return; }
    const existing = this.nodes.get(`${ev.container}:${ev.child}`);
    // The pid was reused after an exit: start a fresh node.
    if (existing && existing.ended !== undefined) this.nodes.delete(existing.key);
    this.node(ev, ev.child, parent);
  }

  private exec(ev: EventOf<'exec'>): void {
    if (ev.result !== 0) return;
    const n = this.node(ev, ev.pid);
    if (!n) return;
    if (n.execCount > 0 && n.exe !== undefined) {
      (n.execs ??= []).push(n.exe);
      // Forget the middle of a long chain, not its start: the first names what the container was told to run.
      if (n.execs.length > MAX_EXEC_HISTORY) n.execs.splice(1, 1);
    }
    n.execCount++;
    n.exe = ev.path;
    n.argv = ev.argv;
    n.cwd = ev.cwd;
    n.uid = ev.uid;
  }

  private exit(ev: EventOf<'exit'>): void {
    const n = this.nodes.get(`${ev.container}:${ev.pid}`);
    if (!n) return;
    n.ended = ev.time;
    if (ev.code !== undefined) n.exitCode = ev.code;
    if (ev.signal !== undefined) n.signal = ev.signal;
  }
}
