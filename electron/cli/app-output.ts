/**
 * The app's output as `imprint run` and `imprint up` print it: the app's own bytes, as `docker run` would
 * print them. A LOG event holds one line without its newline, escaped (common/protocol/text.ts), so the
 * bytes come back with textToBytes; the probe cuts a line longer than 16 KiB into PARTIAL pieces and flushes
 * a line still without a newline after 100 ms (a prompt, the last line) as PARTIAL too, so a newline
 * follows only a piece that is not partial (native/PROTOCOL.md, LOG).
 * Compose (`prefix`): each line starts with `service | `, as `docker compose up` writes it, and only the
 * prefix is Imprint's. A line one service left open is ended before another service's line starts on the
 * same stream, so every line has one prefix and one service.
 */
import type { ImprintEvent } from '../../common/events.js';
import { textToBytes } from '../../common/protocol/text.js';

export type AppStream = 'stdout' | 'stderr';

const NEWLINE = Uint8Array.of(0x0a);

export class AppOutput {
  /** Per stream: the service whose line is open there (a partial piece printed, its end not yet). */
  private readonly open: Record<AppStream, string | undefined> = { stdout: undefined, stderr: undefined };

  constructor(private readonly prefix: boolean) {}

  /** The bytes to write for these events, per stream (empty when there is nothing for it). */
  take(events: readonly ImprintEvent[]): Record<AppStream, Buffer> {
    const parts: Record<AppStream, Uint8Array[]> = { stdout: [], stderr: [] };
    for (const e of events) {
      if (e.kind !== 'log') continue;
      const out = parts[e.stream];
      const open = this.open[e.stream];
      if (this.prefix && open !== e.service) {
        if (open !== undefined) out.push(NEWLINE);
        out.push(Buffer.from(`${e.service} | `));
      }
      out.push(textToBytes(e.line));
      if (e.partial) this.open[e.stream] = e.service;
      else {
        out.push(NEWLINE);
        this.open[e.stream] = undefined;
      }
    }
    return { stdout: Buffer.concat(parts.stdout), stderr: Buffer.concat(parts.stderr) };
  }

  /** Whether the app left a line open on `stream`: whatever Imprint writes there next would land on it. */
  isOpen(stream: AppStream): boolean {
    return this.open[stream] !== undefined;
  }

  /**
   * Imprint ended the open line of `stream` on the terminal (to print its own line): the next piece starts
   * a line there, with its prefix in compose mode.
   */
  lineEnded(stream: AppStream): void {
    this.open[stream] = undefined;
  }
}
