/**
 * Every event of the run or capture on screen, in arrival order, plus columns the timeline reads without
 * touching the objects: time, lane and category in typed arrays (Perfetto's lesson: the draw loop reads
 * flat numbers). Lanes are one per service and one per process inside it.
 *
 * Events from several containers arrive slightly out of time order. Rather than sorting (a million-event
 * re-sort per batch would stall a live run), the log keeps the running maximum of the times and the
 * largest lag behind it seen so far (`disorder`): a time range then maps to an index window that is
 * guaranteed to contain every event of the range, and readers filter the few extra events at its edges.
 */
import { categoryOf, type EventCategory, type ImprintEvent } from '../../../common/events.js';
import { isNoteworthy, MAX_NOTES, type NoticeEvent } from './run-notes.js';
import { readableText } from '../../../common/protocol/text.js';

export const CATEGORIES: readonly EventCategory[] = ['process', 'file', 'network', 'dns', 'security', 'log', 'other'];
const CATEGORY_INDEX = new Map(CATEGORIES.map((c, i) => [c, i]));

export interface Lane {
  /** Stable key: service, or service + pid. */
  key: string;
  service: string;
  /** Undefined for the service's own aggregate lane. */
  pid?: number;
  /** What the user reads: the service name, or the process's executable name and pid. */
  label: string;
}

export class EventLog {
  readonly events: ImprintEvent[] = [];
  times = new Float64Array(1024);
  /** The process lane of each event (its service lane is `serviceLaneOf[lane]`). */
  lanes = new Uint32Array(1024);
  categories = new Uint8Array(1024);
  readonly laneList: Lane[] = [];
  /** The probe's notices that call for a decision (run-notes.ts), kept apart so the header need not scan. */
  readonly notices: NoticeEvent[] = [];
  private readonly noticeKeys = new Set<string>();
  /** For each lane, the index of its service's aggregate lane (itself for service lanes). */
  serviceLaneOf: number[] = [];
  /** Running maximum of `times` up to each index: non-decreasing, so it can be binary-searched. */
  maxTimes = new Float64Array(1024);
  /** The most any event's time lagged behind the running maximum when it arrived (ms). */
  disorder = 0;
  private readonly laneIndex = new Map<string, number>();
  private lastTime = -Infinity;
  private minTime = Infinity;
  /** Bumps on every change: views memoize on it. */
  version = 0;

  get length(): number { return this.events.length; }
  get firstTime(): number { return this.length ? this.minTime : 0; }
  get lastTimeSeen(): number { return this.length ? this.lastTime : 0; }

  append(batch: readonly ImprintEvent[]): void {
    if (batch.length === 0) return;
    this.reserve(this.events.length + batch.length);
    for (const e of batch) {
      const i = this.events.length;
      this.events.push(e);
      if (e.kind === 'notice') this.keepNotice(e);
      const t = Number.isFinite(e.time) ? e.time : Math.max(this.lastTime, 0);
      this.times[i] = t;
      this.lanes[i] = this.processLane(e);
      this.categories[i] = CATEGORY_INDEX.get(categoryOf(e.kind)) ?? CATEGORIES.length - 1;
      if (t < this.lastTime) this.disorder = Math.max(this.disorder, this.lastTime - t);
      else this.lastTime = t;
      if (t < this.minTime) this.minTime = t;
      this.maxTimes[i] = this.lastTime;
    }
    this.version++;
  }

  private keepNotice(e: NoticeEvent): void {
    const key = `${e.service}\0${e.code}\0${e.message}`;
    if (!isNoteworthy(e) || this.notices.length >= MAX_NOTES || this.noticeKeys.has(key)) return;
    this.noticeKeys.add(key);
    this.notices.push(e);
  }

  /**
   * The index window [from, to) that holds every event with time in [t0, t1); events inside the window
   * but outside the range (late arrivals) must be filtered by the caller.
   */
  window(t0: number, t1: number): [number, number] {
    return [this.searchMax(t0), this.searchMax(t1 + this.disorder)];
  }

  /** Events with time in [t0, t1), in arrival order. */
  between(t0: number, t1: number): ImprintEvent[] {
    const [from, to] = this.window(t0, t1);
    const out: ImprintEvent[] = [];
    for (let i = from; i < to; i++) { const t = this.times[i]!; if (t >= t0 && t < t1) out.push(this.events[i]!); }
    return out;
  }

  /** First index whose running maximum is >= t: every event before it is earlier than t. */
  private searchMax(t: number): number {
    let lo = 0, hi = this.length;
    const max = this.maxTimes;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (max[mid]! < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private processLane(e: ImprintEvent): number {
    const service = e.service || e.container || '?';
    const serviceLane = this.lane(service, service, undefined, service);
    const key = `${service}\u0000${e.pid}`;
    let lane = this.laneIndex.get(key);
    // pid 0 is the probe speaking for itself (notices) or output whose writer it could not tell, not a
    // process of the app. PID 1 is the probe itself until (unless) it execs the app.
    if (lane === undefined) lane = this.lane(key, service, e.pid, e.pid === 0 ? 'probe · notices, unattributed output' : e.pid === 1 ? 'probe · 1' : `pid ${e.pid}`, serviceLane);
    if (e.kind === 'exec' && e.result === 0) {
      const l = this.laneList[lane]!;
      l.label = `${readableText(programName(e.path, e.argv))} · ${e.pid}`;
    } else if (e.kind === 'fork' && e.clone !== 'thread' && !this.laneIndex.has(`${service}\u0000${e.child}`)) {
      // A forked child is its parent's program until it execs (an nginx worker): name its lane so.
      const parent = this.laneList[lane]!.label.split(' · ')[0];
      this.lane(`${service}\u0000${e.child}`, service, e.child, `${parent} (fork) · ${e.child}`, serviceLane);
    }
    return lane;
  }

  private lane(key: string, service: string, pid: number | undefined, label: string, serviceLane?: number): number {
    let lane = this.laneIndex.get(key);
    if (lane !== undefined) return lane;
    lane = this.laneList.length;
    this.laneList.push({ key, service, pid, label });
    this.serviceLaneOf.push(serviceLane ?? lane);
    this.laneIndex.set(key, lane);
    return lane;
  }

  private reserve(n: number): void {
    if (n <= this.times.length) return;
    let cap = this.times.length;
    while (cap < n) cap *= 2;
    const times = new Float64Array(cap); times.set(this.times); this.times = times;
    const lanes = new Uint32Array(cap); lanes.set(this.lanes); this.lanes = lanes;
    const cats = new Uint8Array(cap); cats.set(this.categories); this.categories = cats;
    const max = new Float64Array(cap); max.set(this.maxTimes); this.maxTimes = max;
  }
}

/**
 * The name a person knows a program by: the file name of what was executed, except for a re-exec through
 * /proc/self/exe (busybox applets, many runtimes), where only argv[0] says which program it is.
 */
export function programName(path: string, argv?: readonly string[]): string {
  if (/^\/proc\/(self|\d+)\/exe$/.test(path) && argv && argv[0]) return basename(argv[0]);
  return basename(path);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) || path : path;
}
