/**
 * The one typed contract between the UI and the main process. The Electron preload bridge, the browser-mode
 * client (HTTP + SSE) and the main-process dispatcher all derive from these two maps, so a method name, its
 * arguments and its result are written once (STYLE.md, "One typed contract across processes").
 *
 * Environment-free. Arguments are validated by the dispatcher at the door; results are trusted because the
 * main process produced them. Events inside pushes were validated when they left the probe's decoder.
 */
import { z } from 'zod';
import { eventSchema } from './events.js';

const path = z.string().min(1).max(4096);
const name = z.string().min(1).max(256);
const empty = z.object({}).strict();

export const engineStatusSchema = z.object({
  connected: z.boolean(),
  /** Docker engine version, e.g. "20.10.24". */
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  /** Docker context or socket the engine was reached through, e.g. "default (unix:///var/run/docker.sock)". */
  context: z.string().optional(),
  /** Why the engine does not answer, and what to do about it. */
  error: z.string().optional(),
  fix: z.string().optional(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const imageSummarySchema = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  size: z.number(),
  created: z.number(),
});
export type ImageSummary = z.infer<typeof imageSummarySchema>;

/**
 * How a run is traced, for a single image and every service of a compose file alike: the CLI's
 * --no-log-pids, --no-seccomp and --seccomp-unconfined, and the app's Start form switches.
 */
const tracingShape = {
  /** false: output lines carry no writer pid, and writes to stdout/stderr cost the app nothing (probe
   * --no-log-pids; for apps that write there thousands of times a second). */
  logPids: z.boolean().optional(),
  /** false: the probe installs no seccomp filter and every call stops (probe --no-seccomp): slower, but
   * setuid programs elevate, since the filter's no_new_privs is not set. */
  seccomp: z.boolean().optional(),
  /** true: run without the engine's default seccomp profile. Calls that profile denies never reach the
   * probe, so baseline learning runs use this to see every call the app makes. */
  seccompUnconfined: z.boolean().optional(),
};

/** `KEY=VALUE` environment entries and `HOST:CONTAINER` port maps, as `docker run` takes them. */
export const runConfigSchema = z.object({
  image: name,
  command: z.array(z.string().max(4096)).max(256).optional(),
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/,
    'an environment entry is KEY=VALUE: a name of letters, digits and _, then =, then the value (which may hold commas and spaces)').max(8192)).max(256).optional(),
  /** As docker's -p: [IP:][HOST:]CONTAINER[/tcp|udp] (the engine checks the numbers: electron/engine/run.ts). */
  ports: z.array(z.string().regex(/^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:\d{0,5}:)?\d{1,5}(?:\/(?:tcp|udp))?$/,
    'a port mapping is [IP:][HOST:]CONTAINER[/tcp|udp], e.g. 127.0.0.1:8080:80')).max(64).optional(),
  network: name.optional(),
  /** As docker's -v: HOST_PATH:PATH[:ro] (relative host paths start from the engine side's current folder), VOLUME:PATH, or PATH. */
  volumes: z.array(z.string().min(1).max(4096)).max(64).optional(),
  name: name.optional(),
  /** Stop the run after this many seconds. */
  duration: z.number().positive().max(86_400).optional(),
  ...tracingShape,
}).strict();
export type RunConfig = z.infer<typeof runConfigSchema>;
export type Tracing = Pick<RunConfig, keyof typeof tracingShape>;

export const composeConfigSchema = z.object({
  file: path,
  /** Stop when this service exits (like compose's --exit-code-from). */
  until: name.optional(),
  duration: z.number().positive().max(86_400).optional(),
  ...tracingShape,
}).strict();
export type ComposeConfig = z.infer<typeof composeConfigSchema>;

export const runStatusSchema = z.enum(['starting', 'running', 'stopping', 'exited', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** What the engine has to tell about a run besides its events: unsupported compose keys, a container
 * killed after its grace period, output that was not frames, a capture that could not be written. */
export const runMessageSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  /** e.g. `pull`, `compose-unsupported`, `probe`, `raw-output`, `decode`, `engine-lost`. */
  code: z.string().max(64),
  service: z.string().max(256).optional(),
  text: z.string().max(4000),
});
export type RunMessage = z.infer<typeof runMessageSchema>;
/** RunState keeps this many warnings and errors (the first ones: the later ones repeat them or follow). */
export const MAX_RUN_MESSAGES = 20;

export const runStateSchema = z.object({
  runId: z.string(),
  label: z.string(),
  status: runStatusSchema,
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  exitCode: z.number().optional(),
  error: z.string().optional(),
  services: z.array(z.string()),
  /** Where the run's capture is being written, relative to the workspace when inside it. */
  capture: z.string().optional(),
  events: z.number(),
  /** Events proven lost by sequence gaps: must stay 0. */
  dropped: z.number(),
  /** The stream ended without the probe's END frame. */
  incomplete: z.boolean().optional(),
  /** Imprint ended the run: its duration ran out ('Stop after'), the --until service exited, or it was asked to. */
  stoppedBy: z.enum(['duration', 'until', 'request']).optional(),
  /** The run's warnings and errors so far, each once. */
  messages: z.array(runMessageSchema).max(MAX_RUN_MESSAGES).optional(),
});
export type RunState = z.infer<typeof runStateSchema>;

export const fileEntrySchema = z.object({
  path: z.string(),
  name: z.string(),
  size: z.number(),
  modified: z.number(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const captureChunkSchema = z.object({
  /** The capture's header line, as written (see common/capture.ts). */
  header: z.unknown(),
  events: z.array(eventSchema),
  /** Event offset to pass back for the next chunk; absent at the end of the file. */
  next: z.number().optional(),
  /** Why the capture cannot be trusted to be complete (no end record, unreadable lines...); empty when it is. */
  incomplete: z.array(z.string()),
  /** Events in the whole capture. */
  total: z.number(),
});
export type CaptureChunk = z.infer<typeof captureChunkSchema>;

export const baselineFileSchema = z.object({ path: z.string(), yaml: z.string() });

export const POLICY_TARGETS = ['seccomp', 'networkpolicy', 'apparmor', 'falco'] as const;
const policyArgs = z.object({ baseline: path, to: z.enum(POLICY_TARGETS), service: name.optional() }).strict();
export const policyTextSchema = z.object({
  text: z.string(),
  /** Caveats to read before enforcing it (learned under the default seccomp profile, cut lists...). */
  warnings: z.array(z.string()),
});
export type PolicyText = z.infer<typeof policyTextSchema>;
export type BaselineFile = z.infer<typeof baselineFileSchema>;

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** Request/response methods. Names are `area.verb`. */
export const apiMethods = {
  /** The page is listening: flush the pushes queued for it. */
  'ui.ready': method(empty, z.object({ mode: z.enum(['electron', 'browser']), workspace: z.string(), version: z.string() })),
  'engine.status': method(empty, engineStatusSchema),
  'images.list': method(empty, z.array(imageSummarySchema)),
  'run.start': method(runConfigSchema, runStateSchema),
  'run.compose': method(composeConfigSchema, runStateSchema),
  'run.stop': method(z.object({ runId: name }).strict(), runStateSchema),
  'run.list': method(empty, z.array(runStateSchema)),
  /** Events of a run so far, for a page that (re)connects while it is going. */
  'run.events': method(z.object({ runId: name, offset: z.number().int().min(0), limit: z.number().int().min(1).max(50_000) }).strict(),
    z.object({ events: z.array(eventSchema), next: z.number().optional() })),
  'files.recent': method(empty, z.object({ captures: z.array(fileEntrySchema), baselines: z.array(fileEntrySchema), compose: z.array(fileEntrySchema) })),
  'capture.read': method(z.object({ path, offset: z.number().int().min(0), limit: z.number().int().min(1).max(50_000) }).strict(), captureChunkSchema),
  /** An existing `out` is replaced only with `replace: true` (its reviewers' notes are kept). */
  'baseline.learn': method(z.object({ captures: z.array(path).min(1).max(64), out: path, replace: z.boolean().optional() }).strict(), baselineFileSchema),
  'baseline.read': method(z.object({ path }).strict(), baselineFileSchema),
  'baseline.write': method(z.object({ path, yaml: z.string().max(16 * 1024 * 1024) }).strict(), baselineFileSchema),
  /** A policy from a baseline file, as `imprint export` makes it (same function, same bytes). */
  'policy.preview': method(policyArgs, policyTextSchema),
  /** The same, written to `out` in the workspace; an existing `out` is replaced only with `replace: true`. */
  'policy.write': method(policyArgs.extend({ out: path, replace: z.boolean().optional() }).strict(), policyTextSchema.extend({ path: z.string() })),
  /** Open an http(s) link in the user's browser (Electron: shell.openExternal; browser mode: refused). */
  'shell.openExternal': method(z.object({ url: z.string().url().max(2048) }).strict(), z.object({ opened: z.boolean() })),
} as const;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type ArgsOf<M extends MethodName> = z.input<ApiMethods[M]['args']>;
export type ResultOf<M extends MethodName> = z.infer<ApiMethods[M]['result']>;

/** Server-push channels. Events travel in batches (16-50 ms), never one message per event. */
export const apiPushes = {
  'run.events': z.object({ runId: z.string(), events: z.array(eventSchema) }),
  'run.state': runStateSchema,
  'engine.status': engineStatusSchema,
} as const;

export type ApiPushes = typeof apiPushes;
export type PushName = keyof ApiPushes;
export type PushOf<P extends PushName> = z.infer<ApiPushes[P]>;

/** The `{result}` / `{error}` envelope every call returns across a process or network boundary. */
export type Envelope<T> = { result: T } | { error: { message: string; code: ApiErrorCode } };
export type ApiErrorCode = 'bad-method' | 'bad-args' | 'failed' | 'unavailable';

/** What the renderer holds: ordinary promises that reject with an `Error`, and push subscriptions. */
export interface ImprintApi {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<P extends PushName>(channel: P, listener: (payload: PushOf<P>) => void): () => void;
  /** Browser mode: the push stream broke and came back, so pushes in between were missed. */
  onReconnect?(listener: () => void): () => void;
}

/** The raw bridge the Electron preload exposes as `window.imprint` (envelopes, untyped payloads). */
export interface ImprintBridge {
  invoke(method: string, args: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (channel: string, payload: unknown) => void): () => void;
}

export const BRIDGE_GLOBAL = 'imprint';
/** Electron IPC channel names: VS Code's rule, everything the app sends carries its prefix. */
export const IPC_CALL = 'imprint:call';
export const IPC_PUSH = 'imprint:push';

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, value);
}

export function isPushName(value: unknown): value is PushName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(apiPushes, value);
}

/** Turns an envelope back into a value or a thrown Error (Podman Desktop's ipcHandle, the other half). */
export function unwrap<T>(envelope: Envelope<T>): T {
  if ('error' in envelope) {
    const err = new Error(envelope.error.message);
    err.name = `ImprintApiError(${envelope.error.code})`;
    throw err;
  }
  return envelope.result;
}
