/**
 * The run session: what the CLI, the Electron shell and browser mode share to run an image or a compose
 * file under the probe and watch it. One session = one run (one container, or one per compose service).
 *
 *   const session = await startRun({ image: 'imprint-fixture/busybox:latest', command: ['sh', '-c', 'ls'] },
 *     { capture: 'run.imprint', onEvents: (batch) => push(batch) });
 *   const result = await session.done;   // or: await session.stop()
 *
 * - `startRun` / `startCompose` resolve once every container is created and started, or reject with an
 *   `EngineError` (bad reference, image not found, engine down, compose file invalid) after removing
 *   anything they created.
 * - Events arrive in batches (every `batchMs`, default 25 ms) through `onEvents` / `session.onEvents`;
 *   each event was decoded from the probe, validated and had its peers named (service, DNS name).
 * - `session.models` are the live models (common/models), already folded; read them or `snapshot()`.
 * - `session.done` resolves (never rejects) with the `RunResult` when every container has exited and
 *   everything created was removed; `stop()` asks for that (SIGTERM, then kill after the grace period).
 * - Everything is labelled `imprint.run=<id>`; `sweepLeftovers()` removes what a crashed Imprint left.
 */
import type { ComposeConfig, RunConfig, RunMessage, RunState } from '../../common/api.js';
import type { CompletenessProblem } from '../../common/capture.js';
import type { ImprintEvent } from '../../common/events.js';
import type { ModelsSnapshot, RunModels } from '../../common/models/index.js';
import type { EngineConnection } from './connection.js';

export interface SessionOptions {
  /** Reuse a connection (otherwise one is made from DOCKER_HOST / context / default socket). */
  engine?: EngineConnection;
  /** Write a capture file here (`FILE.partial` while recording, renamed at the end). */
  capture?: string;
  /**
   * Cancels the run while it is still starting (Ctrl-C before start resolves): no further container is
   * created, what was created is stopped and removed, and the capture says `interrupted`.
   */
  signal?: AbortSignal;
  /** Replace an existing capture file (otherwise the run refuses to start: captures are evidence). */
  overwriteCapture?: boolean;
  /** Event batch interval in ms (default 25). */
  batchMs?: number;
  /** The probe binary to inject (default: native/build/probe-<engine arch>, or $IMPRINT_PROBE). */
  probePath?: string;
  /** Feed this to the app's stdin (single-image runs; the container is created with OpenStdin). */
  stdin?: NodeJS.ReadableStream;
  /** Seconds between SIGTERM and kill on stop (default 10, as Docker's). */
  stopGraceSeconds?: number;
  /** Extra labels on everything created (tests add `imprint.test=1`). */
  labels?: Record<string, string>;
  /** Pull a missing image (default false: report it as not found; there may be no registry). */
  pull?: boolean;
  onEvents?: (events: ImprintEvent[]) => void;
  onState?: (state: RunState) => void;
  /** Human-readable progress and problems (pull progress, unsupported compose keys, probe diagnostics). */
  onMessage?: (message: SessionMessage) => void;
  /** Keep at most this many events in memory for `events()` (default 2,000,000); older ones stay in the capture. */
  maxEventsInMemory?: number;
}

export type SessionMessage = RunMessage;

export interface ServiceResult {
  service: string;
  container: string;
  exitCode?: number;
  oomKilled?: boolean;
  error?: string;
  /** The probe's stream went from HELLO to END with no gap. */
  complete: boolean;
  /** Frames proven missing (seq gaps). */
  missing: number;
  /** It ended after Imprint asked it to stop (Ctrl-C, --duration, --until): its code answers that. */
  stopped?: boolean;
}

export interface RunResult {
  runId: string;
  status: 'exited' | 'failed';
  /** The app's exit code (single image), or the `until` service's, or the first non-zero of all. */
  exitCode?: number;
  /** Why the run failed, when it did (engine lost, start failed...). */
  error?: string;
  complete: boolean;
  problems: CompletenessProblem[];
  events: number;
  /** Frames proven lost across all containers: must be 0. */
  dropped: number;
  services: ServiceResult[];
  /** The final capture path, when one was written. */
  capture?: string;
  /** Imprint ended the run: its --duration ran out, the --until service exited, or stop() was called. */
  stoppedBy?: 'duration' | 'until' | 'request';
  startedAt: number;
  endedAt: number;
}

export interface RunSession {
  readonly id: string;
  /** `image` or compose file name: what the UI shows. */
  readonly label: string;
  readonly models: RunModels;
  /** Resolves when the run is over and cleaned up. Never rejects. */
  readonly done: Promise<RunResult>;
  /** The state as `common/api.ts` describes it (also pushed through `onState`). */
  state(): RunState;
  /** Events kept in memory, from `offset` (0-based), at most `limit`. */
  events(offset: number, limit: number): { events: ImprintEvent[]; next?: number };
  snapshot(): ModelsSnapshot;
  /** Listeners in addition to the options' ones; each returns an unsubscribe function. */
  onEvents(listener: (events: ImprintEvent[]) => void): () => void;
  onState(listener: (state: RunState) => void): () => void;
  onMessage(listener: (message: SessionMessage) => void): () => void;
  /** Stops every container (SIGTERM, kill after the grace period) and resolves with the result. */
  stop(): Promise<RunResult>;
}

export type StartRun = (config: RunConfig, options?: SessionOptions) => Promise<RunSession>;
export type StartCompose = (config: ComposeConfig, options?: SessionOptions) => Promise<RunSession>;
