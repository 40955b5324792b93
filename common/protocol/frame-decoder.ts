/**
 * Streaming decoder for the probe's frame stream (native/PROTOCOL.md). Push chunks of any size (Docker's
 * attach stream splits frames anywhere); get back complete frames, in order, interleaved with error
 * records. It never throws on input: the bytes come from an untrusted container. Memory is bounded by one
 * frame (64 KiB) of carried-over bytes.
 *
 * After a length outside the bounds, framing is lost; the decoder then scans forward for a header whose
 * length is in bounds and whose seq is the next expected one (give or take RESYNC_WINDOW), so one corrupt
 * frame costs that frame, reported as an error and a seq gap, not the rest of the run.
 */
import {
  ATTR_BYTES, ATTR_HEADER_BYTES, ATTR_INT, Attr, FRAME_HEADER_BYTES, FrameType, MAGIC, MAX_FRAME_LEN,
  MIN_FRAME_LEN, PROTOCOL_VERSION,
} from './constants.js';
import type { DecodeError, DecodeErrorCode, DecodedRecord, Frame, FrameAttr } from './frame.js';

const TWO_32 = 4294967296;
/** How far ahead of the expected seq a resync candidate may be. */
const RESYNC_WINDOW = 64;
/** Frame types are small numbers; a candidate with a larger one is a misaligned read. */
const MAX_PLAUSIBLE_TYPE = 255;
const MAGIC_BYTES = Array.from(MAGIC, (c) => c.charCodeAt(0));

type State = 'start' | 'frames' | 'resync' | 'raw' | 'ended';

/** Receives decoded records in stream order. */
export interface RecordSink {
  frame(frame: Frame): void;
  error(error: DecodeError): void;
  raw(bytes: Uint8Array): void;
}

function collect(records: DecodedRecord[]): RecordSink {
  return {
    frame: (frame) => records.push({ kind: 'frame', frame }),
    error: (error) => records.push({ kind: 'error', error }),
    raw: (bytes) => records.push({ kind: 'raw', bytes }),
  };
}

export interface DecoderStats {
  /** Bytes pushed so far. */
  bytes: number;
  /** Frames decoded (HELLO and END included). */
  frames: number;
  /** Frames proven missing by seq jumps. */
  missing: number;
  /** Error records emitted. */
  errors: number;
  /** Bytes discarded while resynchronising or after END. */
  skipped: number;
  sawHello: boolean;
  sawEnd: boolean;
  /** Highest seq seen; 0 before HELLO. */
  lastSeq: number;
  /** The stream turned out not to be a probe stream (no HELLO): bytes are passed on as raw. */
  raw: boolean;
}

export class FrameDecoder {
  private state: State = 'start';
  /** Carried-over bytes of an incomplete frame (or resync window), at most one frame long. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Stream offset of pending[0]. */
  private offset = 0;
  private expectedSeq = 1;
  private trailingReported = false;
  readonly stats: DecoderStats = {
    bytes: 0, frames: 0, missing: 0, errors: 0, skipped: 0, sawHello: false, sawEnd: false, lastSeq: 0, raw: false,
  };

  /** Feeds bytes; returns the records they complete. Byte attributes of returned frames view `chunk`. */
  push(chunk: Uint8Array): DecodedRecord[] {
    const records: DecodedRecord[] = [];
    this.pushTo(chunk, collect(records));
    return records;
  }

  /** The stream closed: reports a frame cut short, or the raw bytes of a stream that never said HELLO. */
  finish(): DecodedRecord[] {
    const records: DecodedRecord[] = [];
    this.finishTo(collect(records));
    return records;
  }

  /** Like push, but hands each record to `out` as it is decoded (no wrapper objects: the engine's hot path). */
  pushTo(chunk: Uint8Array, out: RecordSink): void {
    if (chunk.length === 0) return;
    this.stats.bytes += chunk.length;
    let data = chunk;
    if (this.pending.length > 0) {
      // Copy once: the pending part (< 64 KiB) plus the new chunk, so frames may span the boundary.
      data = new Uint8Array(this.pending.length + chunk.length);
      data.set(this.pending, 0);
      data.set(chunk, this.pending.length);
      this.pending = new Uint8Array(0);
    }
    const used = this.consume(data, out);
    if (used < data.length) this.pending = data.slice(used);
    this.offset += used;
  }

  /** Like finish, with a sink. */
  finishTo(out: RecordSink): void {
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    if (rest.length === 0) return;
    if (this.state === 'start') {
      this.toRaw(out, 'the stream ended before a complete HELLO frame: the probe did not start');
      out.raw(rest);
    } else if (this.state === 'frames') {
      this.error(out, 'truncated', `the stream ended inside a frame (${rest.length} bytes of it received)`, this.offset, rest.length);
      this.stats.skipped += rest.length;
    } else {
      this.stats.skipped += rest.length;
    }
    this.offset += rest.length;
  }

  /** Decodes as much of `data` as possible; returns how many bytes were used. */
  private consume(data: Uint8Array, out: RecordSink): number {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const end = data.length;
    let p = 0;
    while (p < end) {
      switch (this.state) {
        case 'raw':
          out.raw(data.subarray(p));
          return end;
        case 'ended':
          if (!this.trailingReported) {
            this.trailingReported = true;
            this.error(out, 'trailing-data', 'bytes after the END frame were ignored', this.offset + p, end - p);
          }
          this.stats.skipped += end - p;
          return end;
        case 'resync': {
          const found = this.findResync(view, p, end);
          if (found < 0) {
            // Keep the last bytes: a candidate header may straddle the next chunk.
            const keep = Math.min(end - p, 15);
            this.stats.skipped += end - p - keep;
            return end - keep;
          }
          this.stats.skipped += found - p;
          p = found;
          this.state = 'frames';
          break;
        }
        default: {
          if (end - p < 4) return p;
          const len = view.getUint32(p, true);
          if (len < MIN_FRAME_LEN || len > MAX_FRAME_LEN) {
            if (this.state === 'start') {
              this.toRaw(out, `the stream does not start with a probe frame (length field ${len}): the probe did not start`);
              break;
            }
            this.error(out, 'bad-length', `frame length ${len} is outside ${MIN_FRAME_LEN}..${MAX_FRAME_LEN}: resynchronising`, this.offset + p);
            this.state = 'resync';
            this.stats.skipped += 1;
            p += 1;
            break;
          }
          const total = len + 4;
          if (end - p < total) return p;
          // A first frame that is not a HELLO turns the stream raw: its bytes are passed on as they are.
          if (this.frameAt(data, view, p, total, out)) p += total;
        }
      }
    }
    return p;
  }

  /** Decodes the frame at p; false when it was not consumed (the stream turned raw). */
  private frameAt(data: Uint8Array, view: DataView, p: number, total: number, out: RecordSink): boolean {
    const type = view.getUint16(p + 4, true);
    const seq = view.getUint32(p + 8, true) + view.getUint32(p + 12, true) * TWO_32;
    const frame: Frame = {
      type,
      flags: view.getUint16(p + 6, true),
      seq,
      timeNs: view.getUint32(p + 16, true) + view.getUint32(p + 20, true) * TWO_32,
      pid: view.getInt32(p + 24, true),
      tid: view.getInt32(p + 28, true),
      attrs: [],
    };
    const bad = readAttributes(data, view, p + FRAME_HEADER_BYTES, p + total, frame.attrs);
    if (this.state === 'start') {
      const why = bad ?? helloProblem(frame);
      if (why) {
        this.toRaw(out, `the first frame is not a valid HELLO (${why}): the probe did not start`);
        return false;
      }
      this.state = 'frames';
      this.stats.sawHello = true;
      const version = intAttr(frame, Attr.VERSION);
      if (version !== PROTOCOL_VERSION) {
        this.error(out, 'bad-version', `the probe speaks protocol version ${version ?? 'unknown'}, this reader ${PROTOCOL_VERSION}`, this.offset + p);
      }
    }
    this.checkSeq(seq, p, out);
    if (bad) {
      this.error(out, 'bad-attribute', `frame seq ${seq} type ${type}: ${bad}; frame skipped`, this.offset + p, undefined, seq);
      return true;
    }
    this.stats.frames++;
    if (type === FrameType.END) {
      this.stats.sawEnd = true;
      this.state = 'ended';
    }
    out.frame(frame);
    return true;
  }

  private checkSeq(seq: number, p: number, out: RecordSink): void {
    if (seq !== this.expectedSeq) {
      if (seq > this.expectedSeq) {
        const missing = seq - this.expectedSeq;
        this.stats.missing += missing;
        this.error(out, 'seq-gap', `${missing} frame(s) missing before seq ${seq}`, this.offset + p, missing, seq);
      } else {
        this.error(out, 'seq-gap', `seq went back from ${this.expectedSeq - 1} to ${seq}`, this.offset + p, 0, seq);
      }
    }
    this.expectedSeq = seq + 1;
    if (seq > this.stats.lastSeq) this.stats.lastSeq = seq;
  }

  /** First offset in [p, end) that looks like the header of the next expected frame, or -1. */
  private findResync(view: DataView, p: number, end: number): number {
    for (let q = p; q + 16 <= end; q++) {
      const len = view.getUint32(q, true);
      if (len < MIN_FRAME_LEN || len > MAX_FRAME_LEN) continue;
      const type = view.getUint16(q + 4, true);
      if (type === 0 || type > MAX_PLAUSIBLE_TYPE) continue;
      if (view.getUint32(q + 12, true) !== Math.floor(this.expectedSeq / TWO_32)) continue;
      const lo = view.getUint32(q + 8, true);
      const delta = lo - (this.expectedSeq % TWO_32);
      if (delta >= 0 && delta <= RESYNC_WINDOW) return q;
    }
    return -1;
  }

  private toRaw(out: RecordSink, message: string): void {
    this.state = 'raw';
    this.stats.raw = true;
    this.error(out, 'no-hello', message, this.offset);
  }

  private error(out: RecordSink, code: DecodeErrorCode, message: string, offset: number, count?: number, seq?: number): void {
    this.stats.errors++;
    const error: DecodeError = { code, message, offset };
    if (count !== undefined) error.count = count;
    if (seq !== undefined) error.seq = seq;
    out.error(error);
  }
}

/** Appends the attributes in [p, end) to `attrs`; returns what is wrong with them, if anything. */
function readAttributes(data: Uint8Array, view: DataView, p: number, end: number, attrs: FrameAttr[]): string | undefined {
  while (p < end) {
    if (end - p < ATTR_HEADER_BYTES) return `${end - p} stray bytes after the last attribute`;
    const key = data[p]!;
    const kind = data[p + 1]!;
    const len = view.getUint16(p + 2, true);
    const v = p + ATTR_HEADER_BYTES;
    if (v + len > end) return `attribute ${key} (${len} bytes) runs past the end of its frame`;
    if (kind === ATTR_INT) {
      if (len !== 8) return `integer attribute ${key} has ${len} bytes, not 8`;
      attrs.push({ key, value: view.getUint32(v, true) + view.getInt32(v + 4, true) * TWO_32 });
    } else if (kind === ATTR_BYTES) {
      attrs.push({ key, value: data.subarray(v, v + len) });
    } else {
      return `attribute ${key} has unknown kind ${kind}`;
    }
    p = v + len;
  }
  return undefined;
}

function helloProblem(frame: Frame): string | undefined {
  if (frame.type !== FrameType.HELLO) return `type ${frame.type}`;
  const magic = frame.attrs.find((a) => a.key === Attr.MAGIC)?.value;
  if (!(magic instanceof Uint8Array) || magic.length !== MAGIC_BYTES.length || MAGIC_BYTES.some((b, i) => magic[i] !== b)) {
    return 'no IMPRINT1 magic';
  }
  return undefined;
}

/** The first integer attribute with `key`, if any. */
export function intAttr(frame: Frame, key: number): number | undefined {
  for (const a of frame.attrs) if (a.key === key && typeof a.value === 'number') return a.value;
  return undefined;
}

/** The first byte attribute with `key`, if any. */
export function bytesAttr(frame: Frame, key: number): Uint8Array | undefined {
  for (const a of frame.attrs) if (a.key === key && a.value instanceof Uint8Array) return a.value;
  return undefined;
}
