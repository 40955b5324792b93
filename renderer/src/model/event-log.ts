/**
 * Every event of the run or capture on screen, in arrival order, plus columns the timeline reads without
 * touching the objects: time, lane and category in typed arrays (Perfetto's lesson: the draw loop reads
 * flat numbers). Lanes are one per service and one per process inside it.
 *
 * The timeline needs time order; events from several containers can arrive slightly out of order, so the
 * log keeps a sorted permutation that it rebuilds lazily only when an append broke the order.
 */
import { categoryOf, type EventCategory, type ImprintEvent } from '../../../common/events.js';

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
  /** For each lane, the index of its service's aggregate lane (itself for service lanes). */
  serviceLaneOf: number[] = [];
  private readonly laneIndex = new Map<string, number>();
  private sorted = true;
  private order: Uint32Array | undefined;
  private lastTime = -Infinity;
  /** Bumps on every change: views memoize on it. */
  version = 0;

  get length(): number { return this.events.length; }
  get firstTime(): number { return this.length ? this.times[this.orderAt(0)]! : 0; }
  get lastTimeSeen(): number { return this.length ? this.times[this.orderAt(this.length - 1)]! : 0; }

  append(batch: readonly ImprintEvent[]): void {
    if (batch.length === 0) return;
    this.reserve(this.events.length + batch.length);
    for (const e of batch) {
      const i = this.events.length;
      this.events.push(e);
      const t = Number.isFinite(e.time) ? e.time : this.lastTime;
      this.times[i] = t;
      this.lanes[i] = this.processLane(e);
      this.categories[i] = CATEGORY_INDEX.get(categoryOf(e.kind)) ?? CATEGORIES.length - 1;
      if (t < this.lastTime) this.sorted = false;
      else this.lastTime = t;
    }
    this.order = undefined;
    this.version++;
  }

  /** Index into `events` of the k-th event in time order. */
  orderAt(k: number): number {
    if (this.sorted) return k;
    return this.timeOrder()[k]!;
  }

  /** Event indices in time order; the identity when appends kept the order. */
  timeOrder(): Uint32Array {
    if (this.order) return this.order;
    const n = this.events.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!this.sorted) {
      const times = this.times;
      order.sort((a, b) => times[a]! - times[b]! || a - b);
    }
    this.order = order;
    return order;
  }

  isSorted(): boolean { return this.sorted; }

  /** First position k in time order whose time is >= t. */
  lowerBound(t: number): number {
    let lo = 0, hi = this.length;
    const order = this.sorted ? undefined : this.timeOrder();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const time = this.times[order ? order[mid]! : mid]!;
      if (time < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private processLane(e: ImprintEvent): number {
    const service = e.service || e.container || '?';
    const serviceLane = this.lane(service, service, undefined, service);
    const key = `${service}\u0000${e.pid}`;
    let lane = this.laneIndex.get(key);
    if (lane === undefined) lane = this.lane(key, service, e.pid, `pid ${e.pid}`, serviceLane);
    if (e.kind === 'exec' && e.result === 0) {
      const l = this.laneList[lane]!;
      l.label = `${basename(e.path)} · ${e.pid}`;
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
  }
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) || path : path;
}
