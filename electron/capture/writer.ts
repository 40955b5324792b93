/**
 * Writes a capture file (docs/capture-format.md) while the run goes on: lines are buffered and appended to
 * `FILE.partial` at least every FLUSH_MS, so a crash of Imprint or the machine loses at most that much;
 * at the end the file is fsynced and renamed to `FILE` atomically. A write error (disk full) stops the
 * writing, is reported by `error`, and never stops the run.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { captureHeaderLine, type CaptureHeader, type EndRecord, type RunRecord } from '../../common/capture.js';

const FLUSH_MS = 250;
/** Write at once when this much is buffered, so a storm does not hold a lot of memory. */
const FLUSH_BYTES = 4 * 1024 * 1024;
const BACKLOG_HIGH = 64 * 1024 * 1024;
const BACKLOG_LOW = 8 * 1024 * 1024;

export class CaptureWriter {
  private buffer: string[] = [];
  private buffered = 0;
  /** Characters handed to the file but not yet written. */
  private inflight = 0;
  private drainWaiters: (() => void)[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout;
  private closed = false;
  /** The first write error, after which nothing more is written. */
  error: Error | undefined;
  lines = 0;

  private constructor(readonly path: string, readonly partialPath: string, private readonly fh: FileHandle) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Creates `path.partial` (truncating an old one) and writes the header line. The directory must exist:
   * a mistyped --capture is refused before the run (writable-path.ts), not silently created.
   */
  static async open(path: string, header: CaptureHeader): Promise<CaptureWriter> {
    const partial = `${path}.partial`;
    const fh = await open(partial, 'w', 0o644);
    const w = new CaptureWriter(path, partial, fh);
    w.line(captureHeaderLine(header));
    await w.flush();
    return w;
  }

  /** Appends one line (already JSON, no newline). */
  line(json: string): void {
    if (this.closed || this.error) return;
    this.buffer.push(json, '\n');
    this.buffered += json.length + 1;
    this.lines++;
    if (this.buffered >= FLUSH_BYTES) void this.flush();
  }

  record(record: RunRecord): void {
    this.line(JSON.stringify(record));
  }

  /** Writes what is buffered; resolves when it is in the file (not necessarily on disk). */
  flush(): Promise<void> {
    if (this.buffer.length === 0 || this.error) return this.writing;
    const text = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    this.inflight += text.length;
    this.writing = this.writing.then(async () => {
      try {
        if (!this.error) await this.fh.write(text);
      } catch (err) {
        this.error = err as Error;
      } finally {
        this.inflight -= text.length;
        if (this.backlog < BACKLOG_LOW) for (const w of this.drainWaiters.splice(0)) w();
      }
    });
    return this.writing;
  }

  /** Characters not yet in the file. Above BACKLOG_HIGH the engine stops reading the probe (which then
   *  waits, losslessly) until `drained()`: a slow disk must not grow memory without bound. */
  get backlog(): number {
    return this.error ? 0 : this.buffered + this.inflight;
  }

  get congested(): boolean {
    return this.backlog > BACKLOG_HIGH;
  }

  /** Resolves once the backlog is below the low-water mark. */
  drained(): Promise<void> {
    if (this.backlog < BACKLOG_LOW) return Promise.resolve();
    void this.flush();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  /** Writes the end record, syncs, closes and renames to the final path. Returns the path written. */
  async close(end: EndRecord): Promise<string> {
    if (this.closed) return this.path;
    this.record(end);
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    try {
      await this.fh.sync();
    } catch (err) {
      this.error ??= err as Error;
    }
    await this.fh.close().catch(() => undefined);
    if (this.error) return this.partialPath;
    await rename(this.partialPath, this.path);
    return this.path;
  }

  /**
   * Stops writing and removes `FILE.partial`: for a run none of whose containers started, which recorded
   * nothing, so a file would only block the retry (`--capture` refuses an existing file without --force).
   */
  async discard(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.writing;
    await this.fh.close().catch(() => undefined);
    await unlink(this.partialPath).catch(() => undefined);
  }

  /** Stops writing and leaves `FILE.partial` as it is (what a crash would leave). */
  async abandon(): Promise<string> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    await this.fh.close().catch(() => undefined);
    return this.partialPath;
  }
}
