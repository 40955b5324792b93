/**
 * A small encoder for probe frames: what tests and benchmarks use to produce frame streams exactly as
 * native/PROTOCOL.md describes them (the probe itself is C). It does not enforce bounds, so tests can
 * also build hostile frames.
 */
import { ATTR_BYTES, ATTR_HEADER_BYTES, ATTR_INT, Attr, FRAME_HEADER_BYTES, FrameType, MAGIC, PROTOCOL_VERSION } from './constants.js';

/** An attribute value: integers (number or bigint) are i64, strings are UTF-8, byte arrays are raw. */
export type AttrValue = number | bigint | string | Uint8Array;

export interface FrameSpec {
  type: number;
  flags?: number;
  seq: number;
  /** CLOCK_MONOTONIC nanoseconds. */
  timeNs?: number | bigint;
  pid?: number;
  tid?: number;
  /** [key, value] pairs in wire order; a key may repeat. */
  attrs?: ReadonlyArray<readonly [number, AttrValue]>;
}

const encoder = new TextEncoder();

export function encodeFrame(spec: FrameSpec): Uint8Array {
  const values = (spec.attrs ?? []).map(([key, value]) => {
    if (typeof value === 'number' || typeof value === 'bigint') return { key, int: BigInt.asIntN(64, BigInt(value)) };
    return { key, bytes: typeof value === 'string' ? encoder.encode(value) : value };
  });
  let size = FRAME_HEADER_BYTES;
  for (const v of values) size += ATTR_HEADER_BYTES + (v.bytes ? v.bytes.length : 8);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, size - 4, true);
  view.setUint16(4, spec.type, true);
  view.setUint16(6, spec.flags ?? 0, true);
  view.setBigUint64(8, BigInt(spec.seq), true);
  view.setBigUint64(16, BigInt(spec.timeNs ?? 0), true);
  view.setInt32(24, spec.pid ?? 0, true);
  view.setInt32(28, spec.tid ?? spec.pid ?? 0, true);
  let p = FRAME_HEADER_BYTES;
  for (const v of values) {
    out[p] = v.key;
    if (v.bytes) {
      out[p + 1] = ATTR_BYTES;
      view.setUint16(p + 2, v.bytes.length, true);
      out.set(v.bytes, p + ATTR_HEADER_BYTES);
      p += ATTR_HEADER_BYTES + v.bytes.length;
    } else {
      out[p + 1] = ATTR_INT;
      view.setUint16(p + 2, 8, true);
      view.setBigInt64(p + ATTR_HEADER_BYTES, v.int!, true);
      p += ATTR_HEADER_BYTES + 8;
    }
  }
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Builds a well-formed stream: HELLO first, consecutive seq, monotonic time. `frame()` appends any frame;
 * `end()` closes the stream with END and returns all bytes.
 */
export class FrameStreamBuilder {
  private parts: Uint8Array[] = [];
  private seq = 1;
  private monoNs: bigint;

  constructor(opts: { realtimeMs?: number; monoNs?: bigint; probe?: string; arch?: string; mode?: string } = {}) {
    this.monoNs = opts.monoNs ?? 1_000_000_000n;
    const realtimeNs = BigInt(Math.round((opts.realtimeMs ?? 1_800_000_000_000) * 1e6));
    this.frame(FrameType.HELLO, 1, [
      [Attr.MAGIC, MAGIC], [Attr.VERSION, PROTOCOL_VERSION], [Attr.PROBE, opts.probe ?? 'test-encoder'],
      [Attr.ARCH, opts.arch ?? 'x86_64'], [Attr.MODE, opts.mode ?? 'seccomp'], [Attr.REALTIME, realtimeNs],
    ]);
  }

  /** Appends a frame with the next seq; time advances by `stepNs` (default 1 µs). Returns its seq. */
  frame(type: number, pid: number, attrs: ReadonlyArray<readonly [number, AttrValue]>, opts: { flags?: number; tid?: number; stepNs?: number } = {}): number {
    const seq = this.seq++;
    this.parts.push(encodeFrame({ type, seq, timeNs: this.monoNs, pid, tid: opts.tid ?? pid, flags: opts.flags ?? 0, attrs }));
    this.monoNs += BigInt(opts.stepNs ?? 1000);
    return seq;
  }

  get nextSeq(): number { return this.seq; }

  /** Bytes so far, without END (a stream that broke). */
  bytes(): Uint8Array { return concatBytes(this.parts); }

  /** Appends END and returns the whole stream. */
  end(code = 0): Uint8Array {
    const events = this.seq - 1;
    this.frame(FrameType.END, 1, [[Attr.CODE, code], [Attr.EVENTS, events], [Attr.STOPS, 0]]);
    return this.bytes();
  }
}
