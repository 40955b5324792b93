/**
 * Timeline buckets: event counts per fixed-width time bucket, by category and by service, for the activity
 * overview and the CLI's rate line. Fine-grained lanes (per process, per event) are the renderer's job on
 * canvas; this is the cheap aggregate every consumer shares.
 */
import { categoryOf, type EventCategory, type ImprintEvent } from '../events.js';

export const CATEGORIES: readonly EventCategory[] = ['process', 'file', 'network', 'dns', 'security', 'log', 'other'];
/** A run of a day at 1 s buckets; a longer one widens its view elsewhere. */
const MAX_BUCKETS = 86_400;

export interface TimelineBucket {
  /** Bucket start, ms since the epoch. */
  t: number;
  total: number;
  byCategory: Record<EventCategory, number>;
  byService: Record<string, number>;
}

export interface TimelineSnapshot {
  bucketMs: number;
  buckets: TimelineBucket[];
}

const emptyCounts = (): Record<EventCategory, number> => ({ process: 0, file: 0, network: 0, dns: 0, security: 0, log: 0, other: 0 });

export class Timeline {
  private readonly buckets = new Map<number, TimelineBucket>();

  constructor(readonly bucketMs = 1000) {}

  fold(ev: ImprintEvent): void {
    const index = Math.floor(ev.time / this.bucketMs);
    let b = this.buckets.get(index);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) return;
      b = { t: index * this.bucketMs, total: 0, byCategory: emptyCounts(), byService: {} };
      this.buckets.set(index, b);
    }
    b.total++;
    b.byCategory[categoryOf(ev.kind)]++;
    b.byService[ev.service] = (b.byService[ev.service] ?? 0) + 1;
  }

  snapshot(): TimelineSnapshot {
    return { bucketMs: this.bucketMs, buckets: [...this.buckets.values()].sort((a, b) => a.t - b.t) };
  }
}
