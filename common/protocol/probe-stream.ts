/**
 * Decoder + toEvent + clock for one container's probe stream: bytes in, typed events and run info out.
 * This is what the engine runs on the attach stream's stdout channel, and what tests use on recorded
 * streams. Event times are wall-clock milliseconds derived from HELLO's REALTIME.
 */
import type { ImprintEvent } from '../events.js';
import { FrameDecoder, type RecordSink } from './frame-decoder.js';
import type { DecodeError } from './frame.js';
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
    const batch: ProbeStreamBatch = { events: [], errors: [], raw: [] };
    this.decoder.pushTo(chunk, this.sink(batch));
    return batch;
  }

  finish(): ProbeStreamBatch {
    const batch: ProbeStreamBatch = { events: [], errors: [], raw: [] };
    this.decoder.finishTo(this.sink(batch));
    return batch;
  }

  /** Frames proven missing so far (must stay 0). */
  get missing(): number { return this.decoder.stats.missing; }

  private sink(batch: ProbeStreamBatch): RecordSink {
    const ctx = { service: this.service, container: this.container, clock: this.clock };
    return {
      frame: (frame) => {
        const ev = toEvent(frame, ctx);
        if (ev) { batch.events.push(ev); return; }
        const hello = readHello(frame);
        if (hello) {
          this.hello = batch.hello = hello;
          this.clock = ctx.clock = clockFromHello(hello, this.nowMs());
          return;
        }
        const end = readEnd(frame);
        if (end) this.end = batch.end = end;
      },
      error: (error) => batch.errors.push(error),
      raw: (bytes) => batch.raw.push(bytes),
    };
  }
}
