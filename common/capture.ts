/**
 * The capture file format, version 1 (documented for users in docs/capture-format.md).
 *
 * NDJSON: line 1 is the header (`format`, `version`, run metadata); every later line is either an event
 * (an `ImprintEvent`, recognised by its `kind`) or a run record (recognised by its `record`): a container
 * started, the probe said HELLO, a container exited, a problem, raw output, and finally `end` with the
 * run's completeness. A file without an `end` line was cut short (Imprint or the machine crashed); it is
 * still readable up to its last complete line.
 *
 * Environment-free: the parser here is the one the renderer, the CLI and baselines use. Captures are
 * untrusted input (shared by colleagues, attached to CI runs): every line is bounded and validated, and a
 * bad line is counted, never fatal.
 */
import { z } from 'zod';
import { eventSchema, EVENT_SCHEMA_VERSION, type ImprintEvent } from './events.js';

export const CAPTURE_FORMAT = 'imprint-capture';
export const CAPTURE_VERSION = 1;
/** Lines longer than this are rejected unread (an event is at most ~70 KB of text, escaped). */
export const MAX_CAPTURE_LINE = 1_048_576;

const text = z.string().max(70_000);
const short = z.string().max(4096);

/**
 * What a header keeps of one list of strings from a container's configuration (command, entrypoint, env):
 * the reader's bounds, and a budget so that the whole header line stays far below MAX_CAPTURE_LINE. What does
 * not fit is cut with a visible marker, so a capture Imprint writes can always be read back.
 */
export const HEADER_LIST_BOUNDS = { maxItems: 256, maxItemChars: 4096, maxTotalChars: 65_536 } as const;

export function boundHeaderList(items: readonly string[], bounds = HEADER_LIST_BOUNDS): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const kept = item.length > bounds.maxItemChars ? `${item.slice(0, bounds.maxItemChars)}…[${item.length - bounds.maxItemChars} more characters not recorded]` : item;
    if (out.length === bounds.maxItems - 1 || total + kept.length > bounds.maxTotalChars) {
      out.push(`…[${items.length - i} more not recorded]`);
      break;
    }
    out.push(kept);
    total += kept.length;
  }
  return out;
}

export const serviceMetaSchema = z.object({
  /** Compose service name, or the container name for a single-image run. */
  service: short,
  image: short,
  /** Image ID (`sha256:...`) and repo digests, when the engine knew them. */
  imageId: short.optional(),
  digests: z.array(short).max(64).optional(),
  /** The effective configuration the container was created with. Values of secret-looking env keys are masked. */
  config: z.object({
    entrypoint: z.array(text).max(256).optional(),
    cmd: z.array(text).max(256).optional(),
    env: z.array(text).max(1024).optional(),
    workingDir: text.optional(),
    user: short.optional(),
    ports: z.array(short).max(256).optional(),
    networks: z.array(short).max(64).optional(),
  }).passthrough(),
}).passthrough();
export type ServiceMeta = z.infer<typeof serviceMetaSchema>;

export const captureHeaderSchema = z.object({
  format: z.literal(CAPTURE_FORMAT),
  version: z.number().int(),
  /** Version of the event schema (common/events.ts) the events follow. */
  eventSchema: z.number().int(),
  /** Imprint's own version. */
  imprint: short,
  runId: short,
  mode: z.enum(['image', 'compose']),
  /** The compose file, for compose runs. */
  source: short.optional(),
  /** Wall-clock start, ms since the epoch. */
  startedAt: z.number(),
  engine: z.object({
    name: short, version: short.optional(), apiVersion: short.optional(), arch: short.optional(), os: short.optional(),
  }).passthrough().optional(),
  /** The probe binary that was injected. */
  probe: z.object({ file: short, sha256: short.optional(), arch: short.optional() }).passthrough().optional(),
  services: z.array(serviceMetaSchema).max(256),
}).passthrough();
export type CaptureHeader = z.infer<typeof captureHeaderSchema>;

const where = { time: z.number(), service: short, container: short };

export const containerRecordSchema = z.object({
  record: z.literal('container'), ...where,
  /** Container name as the engine knows it. */
  name: short,
  /** Addresses of the container on the run's networks: how peers are named after services. */
  addresses: z.array(short).max(64),
  /** Gateways of the container's networks: the Docker host as the container sees it. */
  gateways: z.array(short).max(64).optional(),
  aliases: z.array(short).max(64).optional(),
  /** The networks the container joined (compose networks by their name in the file), with the subnet the
   * container has on each: peers in them that are none of the run's containers are named by network. */
  networks: z.array(z.object({ name: short, subnets: z.array(short).max(8) })).max(64).optional(),
});
export const probeRecordSchema = z.object({
  record: z.literal('probe'), ...where,
  probe: short, arch: short, mode: short, protocol: z.number().int(),
});
export const exitRecordSchema = z.object({
  record: z.literal('exit'), ...where,
  exitCode: z.number().int().optional(),
  oomKilled: z.boolean().optional(),
  /** Engine's own error text for the container (State.Error). */
  error: text.optional(),
  /** The probe's END frame: frames it wrote and stops it handled. */
  probeEnd: z.object({ code: z.number().optional(), events: z.number().optional(), stops: z.number().optional() }).optional(),
  /** The stream ended without END. */
  incomplete: z.boolean().optional(),
  /** Frames proven missing by seq gaps in this container's stream. */
  missing: z.number().int().min(0),
});
export const problemRecordSchema = z.object({
  record: z.literal('problem'),
  time: z.number(),
  service: short.optional(),
  container: short.optional(),
  /** A decoder error code (common/protocol/frame.ts) or an engine one: `engine-lost`, `start-failed`, ... */
  code: short,
  message: text,
});
/** Bytes that were not probe frames (the probe did not start) or the probe's own diagnostics, as text. */
export const outputRecordSchema = z.object({
  record: z.literal('output'), ...where,
  stream: z.enum(['raw', 'probe']),
  text,
});

export const COMPLETENESS_PROBLEMS = ['stream-broke', 'seq-gaps', 'no-probe', 'decode-errors', 'interrupted', 'engine-lost'] as const;
export type CompletenessProblem = (typeof COMPLETENESS_PROBLEMS)[number];

export const endRecordSchema = z.object({
  record: z.literal('end'),
  time: z.number(),
  /** True only when every container's stream went from HELLO to END with no seq gap and no decode error. */
  complete: z.boolean(),
  problems: z.array(z.enum(COMPLETENESS_PROBLEMS)),
  events: z.number().int().min(0),
  /** Frames proven lost across all containers (sum of seq gaps): 0 for a trustworthy capture. */
  missing: z.number().int().min(0),
  decodeErrors: z.number().int().min(0),
  /** Exit code of the run as the CLI reports it (the app's, or the `--until` service's). */
  exitCode: z.number().int().optional(),
});

export const runRecordSchema = z.discriminatedUnion('record', [
  containerRecordSchema, probeRecordSchema, exitRecordSchema, problemRecordSchema, outputRecordSchema, endRecordSchema,
]);
export type RunRecord = z.infer<typeof runRecordSchema>;
export type RecordOf<K extends RunRecord['record']> = Extract<RunRecord, { record: K }>;
export type EndRecord = RecordOf<'end'>;

export type CaptureLine =
  | { type: 'header'; header: CaptureHeader }
  | { type: 'event'; event: ImprintEvent }
  | { type: 'record'; record: RunRecord }
  | { type: 'invalid'; line: number; reason: string };

/** One line → what it is. `lineNo` is 1-based; line 1 must be the header. */
export function parseCaptureLine(line: string, lineNo: number): CaptureLine {
  if (line.length > MAX_CAPTURE_LINE) return { type: 'invalid', line: lineNo, reason: `line is longer than ${MAX_CAPTURE_LINE} characters` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { type: 'invalid', line: lineNo, reason: 'not JSON' };
  }
  if (lineNo === 1) {
    const h = captureHeaderSchema.safeParse(value);
    if (!h.success) return { type: 'invalid', line: lineNo, reason: `not an Imprint capture header: ${h.error.issues[0]?.message ?? ''}` };
    if (h.data.version > CAPTURE_VERSION) {
      return { type: 'invalid', line: lineNo, reason: `capture version ${h.data.version} is newer than this Imprint reads (${CAPTURE_VERSION})` };
    }
    return { type: 'header', header: h.data };
  }
  if (typeof value === 'object' && value !== null && 'record' in value) {
    const r = runRecordSchema.safeParse(value);
    return r.success ? { type: 'record', record: r.data } : { type: 'invalid', line: lineNo, reason: `bad record: ${r.error.issues[0]?.message ?? ''}` };
  }
  const e = eventSchema.safeParse(value);
  return e.success ? { type: 'event', event: e.data } : { type: 'invalid', line: lineNo, reason: `bad event: ${e.error.issues[0]?.message ?? ''}` };
}

/**
 * Whether `text` (a file's start, at least its first line) is a capture: its first line is a JSON object
 * naming the capture format. Any version, even one this Imprint cannot read, so a capture given where
 * another file belongs (a baseline) is called a capture rather than judged as that other file.
 */
export function startsAsCapture(text: string): boolean {
  const end = text.indexOf('\n');
  const first = end === -1 ? text : text.slice(0, end);
  if (!first.startsWith('{') || first.length > MAX_CAPTURE_LINE) return false;
  try {
    const header: unknown = JSON.parse(first);
    return typeof header === 'object' && header !== null && (header as { format?: unknown }).format === CAPTURE_FORMAT;
  } catch {
    return false;
  }
}

export function captureHeaderLine(header: CaptureHeader): string {
  return JSON.stringify(header);
}

/** What a whole capture says about itself: used by `imprint show`, `imprint check` and replay. */
export interface CaptureSummary {
  header?: CaptureHeader;
  end?: EndRecord;
  events: number;
  records: number;
  invalid: number;
  /** First few reasons for invalid lines. */
  invalidReasons: string[];
  /** True when the run ended cleanly and says it is complete. */
  complete: boolean;
  /** Why it is not complete, in words. */
  incompleteBecause: string[];
}

/**
 * Incremental reader of a capture's lines: feed text chunks (any split), collect events and records.
 * Keeps no events itself; pass `onEvent` to fold them into models or collect them.
 */
export class CaptureParser {
  private carry = '';
  private lineNo = 0;
  readonly summary: CaptureSummary = { events: 0, records: 0, invalid: 0, invalidReasons: [], complete: false, incompleteBecause: [] };

  constructor(private readonly sink: { onEvent?: (e: ImprintEvent) => void; onRecord?: (r: RunRecord) => void; onHeader?: (h: CaptureHeader) => void } = {}) {}

  push(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.carry = text.slice(start);
    if (this.carry.length > MAX_CAPTURE_LINE) {
      this.line(this.carry); // reported as too long
      this.carry = '';
    }
  }

  finish(): CaptureSummary {
    // A last line without its newline was being written when the writer stopped: use it if it parses.
    if (this.carry.trim()) this.line(this.carry);
    this.carry = '';
    const s = this.summary;
    const why: string[] = [];
    if (!s.header) why.push('the file has no valid capture header');
    if (!s.end) why.push('the capture was cut short (no end record): Imprint stopped while recording');
    else if (!s.end.complete) why.push(...s.end.problems.map(describeProblem));
    if (s.invalid) why.push(`${s.invalid} line(s) could not be read`);
    s.incompleteBecause = why;
    s.complete = why.length === 0;
    return s;
  }

  private line(raw: string): void {
    if (raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
    this.lineNo++;
    if (raw.trim() === '' && this.lineNo > 1) return;
    const parsed = parseCaptureLine(raw, this.lineNo);
    const s = this.summary;
    switch (parsed.type) {
      case 'header': s.header = parsed.header; this.sink.onHeader?.(parsed.header); break;
      case 'event': s.events++; this.sink.onEvent?.(parsed.event); break;
      case 'record':
        s.records++;
        if (parsed.record.record === 'end') s.end = parsed.record;
        this.sink.onRecord?.(parsed.record);
        break;
      case 'invalid':
        s.invalid++;
        if (s.invalidReasons.length < 10) s.invalidReasons.push(`line ${parsed.line}: ${parsed.reason}`);
    }
  }
}

export function describeProblem(p: CompletenessProblem): string {
  switch (p) {
    case 'stream-broke': return 'a probe stream ended without its END frame';
    case 'seq-gaps': return 'events were lost (sequence gaps)';
    case 'no-probe': return 'the probe did not start in a container';
    case 'decode-errors': return 'some frames could not be decoded';
    case 'interrupted': return 'the run was interrupted (it did not start fully, or was stopped from outside Imprint)';
    case 'engine-lost': return 'the connection to the Docker engine was lost';
  }
}

/** Env entries are stored with secret-looking values masked: captures get shared. */
export function maskEnv(env: readonly string[]): string[] {
  return env.map((kv) => {
    const eq = kv.indexOf('=');
    if (eq < 0) return kv;
    const key = kv.slice(0, eq);
    if (/pass|pwd|secret|token|key|credential|auth|private/i.test(key)) return `${key}=***`;
    // Credentials inside URL values (postgres://user:pw@db, redis://:pw@cache) leak under any key name.
    return `${key}=${kv.slice(eq + 1).replace(/(\/\/[^/@\s:]*:)[^/@\s]*@/g, '$1***@')}`;
  });
}

export { EVENT_SCHEMA_VERSION };
