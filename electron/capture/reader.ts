/**
 * Reads a capture file for replay, with no Docker: streams it line by line through the pure parser
 * (common/capture.ts) so a large capture never has to fit in memory as text. Accepts the final file or a
 * `.partial` left by a crash.
 */
import { createReadStream } from 'node:fs';
import { CaptureParser, type CaptureHeader, type CaptureSummary, type RunRecord } from '../../common/capture.js';
import type { ImprintEvent } from '../../common/events.js';
import { RunModels } from '../../common/models/index.js';

export interface ReadSinks {
  onHeader?: (h: CaptureHeader) => void;
  onEvent?: (e: ImprintEvent) => void;
  onRecord?: (r: RunRecord) => void;
  /** The raw text as read, for a second parser (the baseline's reader) in the same pass over the file. */
  onText?: (chunk: string) => void;
}

export async function readCapture(path: string, sinks: ReadSinks = {}): Promise<CaptureSummary> {
  const parser = new CaptureParser(sinks);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  for await (const chunk of stream) {
    parser.push(chunk as string);
    sinks.onText?.(chunk as string);
  }
  return parser.finish();
}

export interface ReplayOptions {
  keepEvents?: boolean;
  onEvent?: (e: ImprintEvent) => void;
  onText?: (chunk: string) => void;
  /** Fold only this service's events (`imprint show --name`); every service's addresses still name peers. */
  service?: string;
}

/** Replays a capture into fresh models (services and their addresses from the container records). */
export async function replayCapture(path: string, opts: ReplayOptions = {}): Promise<{ summary: CaptureSummary; models: RunModels; events: ImprintEvent[]; records: RunRecord[] }> {
  const models = new RunModels();
  const events: ImprintEvent[] = [];
  const records: RunRecord[] = [];
  const summary = await readCapture(path, {
    onHeader: (h) => { for (const s of h.services) models.addService(s.service); },
    onRecord: (r) => {
      records.push(r);
      if (r.record === 'container') models.addService(r.service, r);
      if (r.record === 'problem' && r.code === 'seq-gap') models.counters.noteGap(0);
      if (r.record === 'exit') models.counters.dropped += r.missing;
    },
    ...(opts.onText ? { onText: opts.onText } : {}),
    onEvent: (e) => {
      if (opts.service !== undefined && e.service !== opts.service) return;
      models.fold(e);
      if (opts.keepEvents) events.push(e);
      opts.onEvent?.(e);
    },
  });
  return { summary, models, events, records };
}

/** Reads events from line offset `offset` (0 = first event), at most `limit`: the UI's `capture.read`. */
export async function readCaptureChunk(path: string, offset: number, limit: number): Promise<{ header: CaptureHeader | undefined; events: ImprintEvent[]; next?: number; invalid: number }> {
  const events: ImprintEvent[] = [];
  let index = 0;
  let header: CaptureHeader | undefined;
  let more = false;
  const summary = await readCapture(path, {
    onHeader: (h) => { header = h; },
    onEvent: (e) => {
      if (index >= offset && events.length < limit) events.push(e);
      else if (index >= offset + limit) more = true;
      index++;
    },
  });
  return { header, events, ...(more ? { next: offset + limit } : {}), invalid: summary.invalid };
}
