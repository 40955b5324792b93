/**
 * Counters of a run: events by kind and service, the current rate, and the numbers that prove the capture
 * is whole: frames missing (seq gaps) and decode errors, which must stay 0.
 */
import type { EventKind, ImprintEvent } from '../events.js';

/** Seconds the "current rate" averages over. */
const RATE_WINDOW_S = 5;

export interface CountersSnapshot {
  events: number;
  byKind: Partial<Record<EventKind, number>>;
  byService: Record<string, number>;
  /** Time of the first and last event, ms since the epoch. */
  first?: number;
  last?: number;
  /** Events per second over the last few seconds of event time, and over the whole run. */
  rate: number;
  averageRate: number;
  /** Frames proven lost by sequence gaps: must stay 0. */
  dropped: number;
  /** Gap incidents (each may lose several frames). */
  seqGaps: number;
  decodeErrors: number;
  /** Events with an attribute cut at its bound, and with unreadable tracee memory. */
  truncated: number;
  unreadable: number;
}

export class Counters {
  events = 0;
  readonly byKind: Partial<Record<EventKind, number>> = {};
  readonly byService: Record<string, number> = {};
  first: number | undefined;
  last: number | undefined;
  dropped = 0;
  seqGaps = 0;
  decodeErrors = 0;
  truncated = 0;
  unreadable = 0;
  /** Events per whole second of event time, for the recent window. */
  private readonly perSecond = new Float64Array(RATE_WINDOW_S + 1);
  private readonly second = new Float64Array(RATE_WINDOW_S + 1).fill(-1);

  fold(ev: ImprintEvent): void {
    this.events++;
    this.byKind[ev.kind] = (this.byKind[ev.kind] ?? 0) + 1;
    this.byService[ev.service] = (this.byService[ev.service] ?? 0) + 1;
    if (this.first === undefined || ev.time < this.first) this.first = ev.time;
    if (this.last === undefined || ev.time > this.last) this.last = ev.time;
    if (ev.truncated) this.truncated++;
    if (ev.unreadable) this.unreadable++;
    const s = Math.floor(ev.time / 1000);
    const slot = s % this.perSecond.length;
    if (this.second[slot] !== s) { this.second[slot] = s; this.perSecond[slot] = 0; }
    this.perSecond[slot]!++;
  }

  /** `count` frames were proven missing in one gap. */
  noteGap(count: number): void {
    this.seqGaps++;
    this.dropped += count;
  }

  noteDecodeError(): void {
    this.decodeErrors++;
  }

  /** Events per second over the last RATE_WINDOW_S whole seconds before `nowMs` (event time). */
  rate(nowMs: number = this.last ?? 0): number {
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.second.length; i++) {
      const s = this.second[i]!;
      if (s >= now - RATE_WINDOW_S && s < now) sum += this.perSecond[i]!;
    }
    return sum / RATE_WINDOW_S;
  }

  snapshot(nowMs?: number): CountersSnapshot {
    const span = this.first !== undefined && this.last !== undefined ? (this.last - this.first) / 1000 : 0;
    const s: CountersSnapshot = {
      events: this.events, byKind: { ...this.byKind }, byService: { ...this.byService }, rate: this.rate(nowMs),
      averageRate: span > 0 ? this.events / span : 0, dropped: this.dropped, seqGaps: this.seqGaps,
      decodeErrors: this.decodeErrors, truncated: this.truncated, unreadable: this.unreadable,
    };
    if (this.first !== undefined) s.first = this.first;
    if (this.last !== undefined) s.last = this.last;
    return s;
  }
}
