/**
 * Server pushes for every connected page (an Electron window or a browser tab). Events are coalesced into
 * one message per run every `intervalMs` (16-50 ms), never one message per event; other channels go out
 * in the same flush, in order. A page's pushes are queued until it says it is ready (Podman Desktop does
 * the same), so nothing sent at start-up is lost; the queue is bounded so a page that never reads cannot
 * grow the main process without limit.
 */
import type { ImprintEvent } from '../../common/events.js';
import type { PushName, PushOf } from '../../common/api.js';

export interface PushSink {
  /** Deliver one push; return false when the page is gone (the hub then forgets it). */
  send(channel: PushName, payload: unknown): boolean;
}

interface Subscriber {
  sink: PushSink;
  ready: boolean;
  queue: Array<[PushName, unknown]>;
  queuedEvents: number;
}

export const MAX_QUEUED_EVENTS = 2_000_000;

export class PushHub {
  private readonly subscribers = new Set<Subscriber>();
  private pendingEvents = new Map<string, ImprintEvent[]>();
  private pendingOther: Array<[PushName, unknown]> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly intervalMs = 25) {}

  /** Adds a page; returns its handle for `ready` and `remove`. */
  add(sink: PushSink): Subscriber {
    const sub: Subscriber = { sink, ready: false, queue: [], queuedEvents: 0 };
    this.subscribers.add(sub);
    return sub;
  }

  ready(sub: Subscriber): void {
    if (sub.ready) return;
    sub.ready = true;
    for (const [channel, payload] of sub.queue) if (!this.deliver(sub, channel, payload)) return;
    sub.queue = [];
    sub.queuedEvents = 0;
  }

  remove(sub: Subscriber): void {
    this.subscribers.delete(sub);
  }

  get size(): number {
    return this.subscribers.size;
  }

  events(runId: string, events: readonly ImprintEvent[]): void {
    if (events.length === 0) return;
    let list = this.pendingEvents.get(runId);
    if (!list) this.pendingEvents.set(runId, (list = []));
    for (const e of events) list.push(e);
    this.schedule();
  }

  push<P extends Exclude<PushName, 'run.events'>>(channel: P, payload: PushOf<P>): void {
    this.pendingOther.push([channel, payload]);
    this.schedule();
  }

  /** Sends what is pending now (tests and shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches: Array<[PushName, unknown]> = [];
    for (const [runId, events] of this.pendingEvents) batches.push(['run.events', { runId, events }]);
    // Events first, then the state that may say the run ended, so a page never sees "exited" before the
    // last events.
    batches.push(...this.pendingOther);
    this.pendingEvents = new Map();
    this.pendingOther = [];
    for (const sub of this.subscribers) {
      for (const [channel, payload] of batches) {
        if (sub.ready) {
          if (!this.deliver(sub, channel, payload)) break;
        } else {
          this.enqueue(sub, channel, payload);
        }
      }
    }
  }

  private enqueue(sub: Subscriber, channel: PushName, payload: unknown): void {
    if (channel === 'run.events') {
      const n = (payload as PushOf<'run.events'>).events.length;
      // Beyond the bound the events are dropped for this page; when it is ready it catches up with run.events.
      if (sub.queuedEvents + n > MAX_QUEUED_EVENTS) return;
      sub.queuedEvents += n;
    }
    sub.queue.push([channel, payload]);
  }

  private deliver(sub: Subscriber, channel: PushName, payload: unknown): boolean {
    let ok = false;
    try { ok = sub.sink.send(channel, payload); } catch { ok = false; }
    if (!ok) this.subscribers.delete(sub);
    return ok;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref?.();
  }
}
