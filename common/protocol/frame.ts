/** A decoded probe frame: the header fields plus its attributes, in wire order. */
export interface Frame {
  type: number;
  flags: number;
  seq: number;
  /** CLOCK_MONOTONIC nanoseconds (a double: exact to well below a microsecond). */
  timeNs: number;
  pid: number;
  tid: number;
  attrs: FrameAttr[];
}

/** Integer attributes are numbers (i64 read as a double), byte attributes are views into the stream. */
export interface FrameAttr {
  key: number;
  value: number | Uint8Array;
}

export type DecodeErrorCode =
  /** The stream did not begin with a valid HELLO: the probe did not start. */
  | 'no-hello'
  /** HELLO's VERSION is one this reader does not speak. */
  | 'bad-version'
  /** A length field outside the protocol's bounds: framing lost until a resync. */
  | 'bad-length'
  /** An attribute ran past its frame, or had an integer of the wrong size, or an unknown kind. */
  | 'bad-attribute'
  /** Frames were missing (seq jumped forward) or repeated (seq went back). */
  | 'seq-gap'
  /** Bytes after END. */
  | 'trailing-data'
  /** The stream ended inside a frame. */
  | 'truncated';

/** Something wrong with the stream: reported in order with the frames, never thrown. */
export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
  /** Stream offset of the problem. */
  offset: number;
  /** Frames lost for seq-gap; bytes skipped for bad-length/truncated/trailing-data. */
  count?: number;
  seq?: number;
}

export type DecodedRecord =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'error'; error: DecodeError }
  /** Bytes that were not frames (the probe did not start, e.g. the image's own error text). */
  | { kind: 'raw'; bytes: Uint8Array };
