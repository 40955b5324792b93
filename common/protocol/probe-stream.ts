/**
 * Decoder + toEvent + clock for one container's probe stream: bytes in, typed events and run info out.
 * This is what the engine runs on the attach stream's stdout channel, and what tests use on recorded
 * streams. Event times are wall-clock milliseconds derived from HELLO's REALTIME.
 */
import type { ImprintEvent } from '../events.js';
import { FrameDecoder } from './frame-decoder.js';
import type { DecodeError, DecodedRecord } from './frame.js';
import { clockFromHello, readEnd, readHello, type ProbeEnd, type ProbeHello, type RunClock } from './run-info.js';
import { toEvent } from './to-event.js';

export interface ProbeStreamBatch {
  events: ImprintEvent[];
  errors: DecodeError[];
  /** Bytes that were not frames: the probe did not start; show them as the container's output. */
  raw: Uint8Array[];
  hello?: ProbeHello;
  end?: ProbeEnd;
}

export class ProbeStream {
  readonly decoder = new FrameDecoder();
  hello: ProbeHello | undefined;
  end: ProbeEnd | undefined;
  private clock: RunClock;

  constructor(readonly service: string, readonly container: string, private readonly nowMs: () => number = Date.now) {
    // Until HELLO arrives there are no events to time; this keeps the type total.
    this.clock = { wallMs: () => nowMs() };
  }

  push(chunk: Uint8Array): ProbeStreamBatch {
    return this.apply(this.decoder.push(chunk));
  }

  finish(): ProbeStreamBatch {
    return this.apply(this.decoder.finish());
  }

  /** Frames proven missing so far (must stay 0). */
  get missing(): number { return this.decoder.stats.missing; }

  private apply(records: DecodedRecord[]): ProbeStreamBatch {
    const batch: ProbeStreamBatch = { events: [], errors: [], raw: [] };
    const ctx = { service: this.service, container: this.container, clock: this.clock };
    for (const r of records) {
      if (r.kind === 'frame') {
        const ev = toEvent(r.frame, ctx);
        if (ev) { batch.events.push(ev); continue; }
        const hello = readHello(r.frame);
        if (hello) {
          this.hello = batch.hello = hello;
          this.clock = ctx.clock = clockFromHello(hello, this.nowMs());
          continue;
        }
        const end = readEnd(r.frame);
        if (end) this.end = batch.end = end;
      } else if (r.kind === 'error') batch.errors.push(r.error);
      else batch.raw.push(r.bytes);
    }
    return batch;
  }
}
