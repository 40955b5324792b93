/**
 * Docker's multiplexed attach stream (Tty false): 8-byte headers [stream, 0, 0, 0, size u32 BE] before
 * each payload; stream 1 is stdout, 2 stderr. Payload pieces are passed on as they arrive (never
 * buffered whole: Docker's chunks can be large), so the frame decoder sees the stdout bytes in order.
 */
export type StreamSink = (stream: 'stdout' | 'stderr', bytes: Uint8Array) => void;

export class AttachDemuxer {
  private header = new Uint8Array(8);
  private headerFill = 0;
  private remaining = 0;
  private stream: 'stdout' | 'stderr' = 'stdout';

  constructor(private readonly sink: StreamSink) {}

  push(chunk: Uint8Array): void {
    let p = 0;
    while (p < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - p);
        this.sink(this.stream, chunk.subarray(p, p + n));
        this.remaining -= n;
        p += n;
        continue;
      }
      const n = Math.min(8 - this.headerFill, chunk.length - p);
      this.header.set(chunk.subarray(p, p + n), this.headerFill);
      this.headerFill += n;
      p += n;
      if (this.headerFill < 8) return;
      this.headerFill = 0;
      const h = this.header;
      // stdin (0) never comes back; anything but 2 is treated as stdout, as docker's stdcopy does for 0/1.
      this.stream = h[0] === 2 ? 'stderr' : 'stdout';
      this.remaining = ((h[4]! << 24) >>> 0) + (h[5]! << 16) + (h[6]! << 8) + h[7]!;
    }
  }

  /** Bytes of a payload still expected: non-zero at the end means the stream was cut. */
  get pending(): number {
    return this.remaining + this.headerFill;
  }
}
