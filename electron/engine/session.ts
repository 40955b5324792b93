/**
 * The run session (contract in session-api.ts): launches probed containers, turns their streams into
 * events, folds them into the models, records the capture, batches events to listeners, and always
 * removes what it created.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type Dockerode from 'dockerode';
import { MAX_RUN_MESSAGES, type ComposeConfig, type RunConfig, type RunState, type RunStatus, type Tracing } from '../../common/api.js';
import { boundHeaderList, CAPTURE_FORMAT, CAPTURE_VERSION, maskEnv, type CaptureHeader, type CompletenessProblem, type EndRecord, type RunRecord, type ServiceMeta } from '../../common/capture.js';
import { EVENT_SCHEMA_VERSION, type ImprintEvent } from '../../common/events.js';
import { RunModels, type ModelsSnapshot } from '../../common/models/index.js';
import { ProbeStream, bytesToText, type ProbeStreamBatch } from '../../common/protocol/index.js';
import { whyNotWritable } from '../capture/writable-path.js';
import { CaptureWriter } from '../capture/writer.js';
import { runLabels, removeRun, sweepLeftovers } from './cleanup.js';
import { loadCompose, type ComposeProject } from './compose.js';
import { parseVolumeFlags } from './mounts.js';
import { connectEngine, EngineError, type EngineConnection } from './connection.js';
import { ensureImage, validateReference } from './images.js';
import { findProbe, type ProbeBinary } from './probe-binary.js';
import { ProbedContainer, effectiveCommand, type ContainerSpec, type ExitState } from './run.js';
import type { RunResult, RunSession, ServiceResult, SessionMessage, SessionOptions } from './session-api.js';
import { IMPRINT_VERSION } from './version.js';
import { EventLog } from './event-log.js';

const DEFAULT_BATCH_MS = 25;
const DEFAULT_MAX_EVENTS = 2_000_000;
const STATE_EVERY_MS = 500;
/** Probe diagnostics and raw output kept per container: a broken image must not flood the capture. */
const MAX_OUTPUT_RECORDS = 1000;

/** One container of the run and what its stream said. */
class ContainerRun {
  readonly stream: ProbeStream;
  exit: ExitState | undefined;
  finished = false;
  engineLost = false;
  decodeErrors = 0;
  outputRecords = 0;
  /** The engine started it: from then on the capture holds what the run did, and is kept whatever follows. */
  started = false;
  stderrCarry = '';
  /** Reading is paused while the capture file catches up. */
  paused = false;
  /** Its stream ended after Imprint had asked every container to stop: its exit answers that request. */
  endedAfterStop = false;
  constructor(readonly service: string, readonly pc: ProbedContainer) {
    this.stream = new ProbeStream(service, pc.id.slice(0, 12));
  }
  get container(): string { return this.pc.id.slice(0, 12); }
}

interface LaunchPlan {
  label: string;
  mode: 'image' | 'compose';
  source?: string;
  specs: ContainerSpec[];
  networks: string[];
  /** Volumes the run creates (and removes with the run's other things). */
  volumes: string[];
  until?: string;
  duration?: number;
  tracing: Tracing;
  /** What the compose file asks for that Imprint does not do (said once the run starts). */
  warnings?: string[];
}

class Session implements RunSession {
  readonly id: string;
  readonly label: string;
  readonly models = new RunModels();
  readonly done: Promise<RunResult>;
  private resolveDone!: (r: RunResult) => void;
  private runs: ContainerRun[] = [];
  private status: RunStatus = 'starting';
  private startedAt = Date.now();
  private endedAt: number | undefined;
  private error: string | undefined;
  private writer: CaptureWriter | undefined;
  private capturePath: string | undefined;
  private readonly log: EventLog;
  private pending: ImprintEvent[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private lastStateAt = 0;
  private stopping: Promise<void> | undefined;
  private finishing = false;
  /**
   * True until every service has been created and started. A service that exits while later ones are still
   * being launched must not end the run (that would remove the network under them): see monitor().
   */
  private launching = true;
  /** The start-up was cancelled through SessionOptions.signal. */
  private startCancelled = false;
  /** Imprint asked the containers to stop (stop(), --duration, --until). */
  private stopRequested = false;
  /** A container was killed by someone else: `docker stop`, or the engine shutting down. */
  private stoppedOutside = false;
  /** The engine's event stream closed while the run was going: the engine stopped or restarted. */
  private engineGone = false;
  private engineEvents: NodeJS.ReadableStream | undefined;
  private result: RunResult | undefined;
  private readonly eventListeners = new Set<(e: ImprintEvent[]) => void>();
  private readonly stateListeners = new Set<(s: RunState) => void>();
  private readonly messageListeners = new Set<(m: SessionMessage) => void>();
  private readonly notes: SessionMessage[] = [];
  private stoppedBy?: RunResult['stoppedBy'];

  constructor(readonly conn: EngineConnection, private readonly plan: LaunchPlan, private readonly opts: SessionOptions, id: string) {
    this.id = id;
    this.label = plan.label;
    this.done = new Promise((r) => (this.resolveDone = r));
    this.log = new EventLog(opts.maxEventsInMemory ?? DEFAULT_MAX_EVENTS);
    if (opts.onEvents) this.eventListeners.add(opts.onEvents);
    if (opts.onState) this.stateListeners.add(opts.onState);
    if (opts.onMessage) this.messageListeners.add(opts.onMessage);
  }

  // ---- public API -------------------------------------------------------------------------------

  state(): RunState {
    const s: RunState = {
      runId: this.id, label: this.label, status: this.status, startedAt: this.startedAt,
      services: this.plan.specs.map((x) => x.service), events: this.models.counters.events, dropped: this.models.counters.dropped,
    };
    if (this.endedAt !== undefined) s.endedAt = this.endedAt;
    if (this.result?.exitCode !== undefined) s.exitCode = this.result.exitCode;
    if (this.error) s.error = this.error;
    if (this.capturePath) s.capture = this.capturePath;
    if (this.result) s.incomplete = !this.result.complete;
    if (this.notes.length) s.messages = [...this.notes];
    if (this.stoppedBy) s.stoppedBy = this.stoppedBy;
    return s;
  }

  events(offset: number, limit: number): { events: ImprintEvent[]; next?: number } {
    return this.log.slice(offset, limit);
  }

  snapshot(): ModelsSnapshot {
    return this.models.snapshot(Date.now());
  }

  onEvents(l: (e: ImprintEvent[]) => void): () => void { this.eventListeners.add(l); return () => this.eventListeners.delete(l); }
  onState(l: (s: RunState) => void): () => void { this.stateListeners.add(l); return () => this.stateListeners.delete(l); }
  onMessage(l: (m: SessionMessage) => void): () => void { this.messageListeners.add(l); return () => this.messageListeners.delete(l); }

  stop(): Promise<RunResult> {
    this.stoppedBy ??= 'request';
    this.stopAll();
    return this.done;
  }

  // ---- launch -----------------------------------------------------------------------------------

  async launch(probe: ProbeBinary, images: Map<string, Dockerode.ImageInspectInfo>): Promise<void> {
    const docker = this.conn.docker;
    const labels = runLabels(this.id, this.opts.labels);
    const cancel = () => { if (this.launching) { this.startCancelled = true; this.stopAll(); } };
    if (this.opts.signal?.aborted) cancel();
    this.opts.signal?.addEventListener('abort', cancel, { once: true });
    for (const w of this.plan.warnings ?? []) this.message({ level: 'warning', code: 'compose-unsupported', text: w });
    try {
      for (const net of this.plan.networks) {
        if (this.stopRequested) break;
        await docker.createNetwork({ Name: net, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
      }
      for (const volume of this.plan.volumes) {
        if (this.stopRequested) break;
        await docker.createVolume({ Name: volume, Labels: labels });
      }
      if (this.opts.capture) {
        this.writer = await CaptureWriter.open(this.opts.capture, this.header(probe, images));
        this.capturePath = this.writer.partialPath;
      }
      await this.watchEngine();
      this.batchTimer = setInterval(() => this.flushBatch(), this.opts.batchMs ?? DEFAULT_BATCH_MS);
      this.batchTimer.unref();
      for (const spec of this.plan.specs) {
        // A stop asked for during start-up (Ctrl-C, an --until service that already exited): start no more.
        if (this.stopRequested) break;
        const full: ContainerSpec = { ...spec, labels: { ...labels, ...spec.labels } };
        if (this.plan.tracing.seccompUnconfined) full.securityOpt = ['seccomp=unconfined'];
        const probeArgs = probeArgsFor(this.plan.tracing);
        if (probeArgs.length) full.probeArgs = probeArgs;
        if (this.opts.stdin && this.plan.mode === 'image') full.openStdin = true;
        const pc = await ProbedContainer.create(docker, full, probe);
        const run = new ContainerRun(spec.service, pc);
        this.runs.push(run);
        await pc.attach((b) => this.onStdout(run, b), (b) => this.onStderr(run, b));
        await pc.start();
        run.started = true;
        // stopAll() ran while this container was being created: it was not started yet, so stop it now.
        if (this.stopRequested) void pc.stop(this.opts.stopGraceSeconds ?? DEFAULT_STOP_GRACE_SECONDS).catch(() => undefined);
        if (full.openStdin && this.opts.stdin) pc.feedStdin(this.opts.stdin);
        const { addresses, gateways, networks, name } = await pc.addresses();
        this.models.addService(spec.service, { addresses, gateways, networks, aliases: spec.aliases ?? [] });
        this.record({
          record: 'container', time: Date.now(), service: spec.service, container: run.container, name, addresses,
          ...(gateways.length ? { gateways } : {}), ...(spec.aliases ? { aliases: spec.aliases } : {}), ...(networks.length ? { networks } : {}),
        });
        void this.monitor(run);
      }
    } catch (err) {
      this.launching = false;
      this.error = (err as Error).message;
      await this.finish(true);
      throw err;
    }
    this.launching = false;
    if (this.runs.every((r) => r.finished)) {
      // Everything already exited while we were still launching (one-shot services).
      await this.finish(false);
      return;
    }
    if (this.stopRequested) return;
    this.status = 'running';
    this.emitState(true);
    if (this.plan.duration) {
      this.durationTimer = setTimeout(() => { this.stoppedBy ??= 'duration'; this.stopAll(); }, this.plan.duration * 1000);
      this.durationTimer.unref();
    }
  }

  /**
   * Follows the engine's events for this run: a `kill` Imprint did not ask for means the containers were
   * stopped from outside (docker stop, an engine shutdown); the stream closing means the engine went away.
   */
  private async watchEngine(): Promise<void> {
    const stream = (await this.conn.docker.getEvents({ filters: { label: [`imprint.run=${this.id}`], type: ['container'] } })) as NodeJS.ReadableStream;
    this.engineEvents = stream;
    let carry = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (carry + chunk.toString('utf8')).split('\n');
      carry = (lines.pop() ?? '').slice(0, 65_536);
      for (const line of lines) {
        let ev: { Action?: unknown; Actor?: { Attributes?: Record<string, unknown> } };
        try { ev = JSON.parse(line); } catch { continue; }
        if (ev.Action === 'kill' && !this.stopRequested && !this.stoppedOutside) {
          this.stoppedOutside = true;
          const service = String(ev.Actor?.Attributes?.['imprint.service'] ?? '');
          const text = `${service || 'a container'} was stopped from outside Imprint (signal ${String(ev.Actor?.Attributes?.signal ?? '?')}: docker stop, or the engine shutting down)`;
          this.record({ record: 'problem', time: Date.now(), code: 'stopped-outside', message: text });
          this.message({ level: 'warning', code: 'stopped-outside', text });
        }
      }
    });
    const closed = () => {
      if (this.finishing || this.engineGone) return;
      this.engineGone = true;
      const text = 'the container engine closed its event stream during the run: it stopped or restarted';
      this.error ??= text;
      this.record({ record: 'problem', time: Date.now(), code: 'engine-lost', message: text });
      this.message({ level: 'error', code: 'engine-lost', text });
    };
    stream.on('end', closed);
    stream.on('error', closed);
    stream.on('close', closed);
  }

  private header(probe: ProbeBinary, images: Map<string, Dockerode.ImageInspectInfo>): CaptureHeader {
    const services: ServiceMeta[] = this.plan.specs.map((s) => {
      const info = images.get(s.image);
      const imageEntrypoint = info?.Config?.Entrypoint ?? [];
      const entrypoint = s.entrypoint ?? (typeof imageEntrypoint === 'string' ? [imageEntrypoint] : imageEntrypoint);
      // Bounded like the reader bounds them (boundHeaderList): a huge command line still gives a readable capture.
      const config: ServiceMeta['config'] = {
        entrypoint: boundHeaderList(entrypoint),
        cmd: boundHeaderList(effectiveCommand(s).slice(entrypoint.length)),
        env: boundHeaderList(maskEnv([...(info?.Config?.Env ?? []), ...(s.env ?? [])])),
        workingDir: (s.workingDir ?? info?.Config?.WorkingDir ?? '').slice(0, 4096),
        user: (s.user ?? info?.Config?.User ?? '').slice(0, 4096),
        ports: s.ports ?? [],
        networks: [s.network ?? 'default', ...(s.extraNetworks ?? [])],
      };
      const meta: ServiceMeta = { service: s.service, image: s.image, config };
      if (info?.Id) meta.imageId = info.Id;
      if (info?.RepoDigests) meta.digests = info.RepoDigests;
      return meta;
    });
    const header: CaptureHeader = {
      format: CAPTURE_FORMAT, version: CAPTURE_VERSION, eventSchema: EVENT_SCHEMA_VERSION, imprint: IMPRINT_VERSION,
      runId: this.id, mode: this.plan.mode, startedAt: this.startedAt,
      engine: { name: this.conn.info.kind, version: this.conn.info.version, apiVersion: this.conn.info.apiVersion, arch: this.conn.info.arch, os: this.conn.info.os },
      probe: { file: probe.file, sha256: probe.sha256, arch: probe.arch },
      services,
      // Which seccomp profile the containers ran under: baselines record it (calls it denies are never seen).
      seccomp: this.plan.tracing.seccompUnconfined ? 'unconfined' : 'default',
    };
    if (this.plan.source) header.source = this.plan.source;
    return header;
  }

  // ---- streams ----------------------------------------------------------------------------------

  private onStdout(run: ContainerRun, bytes: Uint8Array): void {
    this.apply(run, run.stream.push(bytes));
    const w = this.writer;
    if (w?.congested && !run.paused) {
      // Back-pressure instead of buffering: the probe blocks, the app waits, nothing is lost.
      run.paused = true;
      run.pc.pause();
      void w.drained().then(() => { run.paused = false; run.pc.resume(); });
    }
  }

  private onStderr(run: ContainerRun, bytes: Uint8Array): void {
    // The probe's own diagnostics (the app's stderr arrives as LOG frames): line by line, bounded.
    const text = run.stderrCarry + bytesToText(bytes).text.replace(/\\x0a/g, '\n');
    const lines = text.split('\n');
    run.stderrCarry = (lines.pop() ?? '').slice(0, 4096);
    for (const line of lines) if (line) this.output(run, 'probe', line);
  }

  private output(run: ContainerRun, stream: 'raw' | 'probe', text: string): void {
    if (run.outputRecords++ >= MAX_OUTPUT_RECORDS) return;
    this.record({ record: 'output', time: Date.now(), service: run.service, container: run.container, stream, text: text.slice(0, 65_536) });
    this.message({ level: stream === 'raw' ? 'warning' : 'info', code: stream === 'raw' ? 'raw-output' : 'probe', service: run.service, text });
  }

  private apply(run: ContainerRun, batch: ProbeStreamBatch): void {
    if (batch.hello) {
      const h = batch.hello;
      this.record({ record: 'probe', time: Date.now(), service: run.service, container: run.container, probe: h.probe, arch: h.arch, mode: h.mode, protocol: h.protocol });
    }
    for (const e of batch.errors) {
      if (e.code === 'seq-gap') this.models.counters.noteGap(e.count ?? 0);
      else { run.decodeErrors++; this.models.counters.noteDecodeError(); }
      this.record({ record: 'problem', time: Date.now(), service: run.service, container: run.container, code: e.code, message: e.message });
      this.message({ level: e.code === 'no-hello' ? 'error' : 'warning', code: 'decode', service: run.service, text: e.message });
    }
    for (const raw of batch.raw) if (run.outputRecords < MAX_OUTPUT_RECORDS) this.output(run, 'raw', bytesToText(raw).text);
    for (const ev of batch.events) {
      this.models.fold(ev);
      const line = JSON.stringify(ev);
      this.writer?.line(line);
      this.log.push(line);
      this.pending.push(ev);
    }
  }

  private flushBatch(): void {
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      for (const l of this.eventListeners) {
        try { l(batch); } catch { /* a listener's bug must not stop the run */ }
      }
    }
    this.emitState(false);
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** Waits for one container to end, reads its exit state, and finishes the run when all have. */
  private async monitor(run: ContainerRun): Promise<void> {
    const ended = await run.pc.streamEnded;
    run.endedAfterStop = this.stopRequested;
    this.apply(run, run.stream.finish());
    if (run.stderrCarry) { this.output(run, 'probe', run.stderrCarry); run.stderrCarry = ''; }
    try {
      run.exit = await run.pc.exitState();
    } catch (err) {
      run.engineLost = true;
      const text = `lost the container engine while ${run.service} was running: ${(err as Error).message}`;
      this.error ??= text;
      this.record({ record: 'problem', time: Date.now(), service: run.service, container: run.container, code: 'engine-lost', message: text });
      this.message({ level: 'error', code: 'engine-lost', service: run.service, text });
    }
    if (this.stopRequested && run.exit?.exitCode === 137 && !run.stream.end) {
      const grace = this.opts.stopGraceSeconds ?? DEFAULT_STOP_GRACE_SECONDS;
      const text = grace === 0
        ? `${run.service} was killed at once (a stop timeout of 0), so the end of its capture is missing`
        : `${run.service} did not exit within ${grace} s of SIGTERM and was killed, so the end of its capture is missing: give it longer with --stop-timeout`;
      this.message({ level: 'warning', code: 'killed', service: run.service, text });
    }
    if (ended.error && !run.engineLost) {
      this.message({ level: 'warning', code: 'stream', service: run.service, text: `the attach stream of ${run.service} broke: ${ended.error}` });
    }
    const s = run.stream;
    this.record({
      record: 'exit', time: Date.now(), service: run.service, container: run.container,
      ...(run.exit?.exitCode !== undefined ? { exitCode: run.exit.exitCode } : {}),
      ...(run.exit?.oomKilled ? { oomKilled: true } : {}),
      ...(run.exit?.error ? { error: run.exit.error } : {}),
      ...(s.end ? { probeEnd: s.end } : {}),
      ...(!s.end ? { incomplete: true } : {}),
      missing: s.missing,
    });
    run.finished = true;
    if (this.plan.until === run.service) this.stoppedBy ??= 'until';
    if (this.plan.until === run.service || run.engineLost) this.stopAll();
    if (!this.launching && this.runs.every((r) => r.finished)) await this.finish(false);
  }

  private stopAll(): void {
    if (this.stopping || this.finishing) return;
    this.stopRequested = true;
    if (this.status === 'running' || this.status === 'starting') this.status = 'stopping';
    this.emitState(true);
    const grace = this.opts.stopGraceSeconds ?? DEFAULT_STOP_GRACE_SECONDS;
    this.stopping = Promise.all(this.runs.filter((r) => !r.finished).map((r) => r.pc.stop(grace).catch(() => undefined))).then(() => undefined);
  }

  /** Once: flushes, removes everything created, closes the capture, resolves `done`. */
  private async finish(failedToStart: boolean): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    if (this.durationTimer) clearTimeout(this.durationTimer);
    if (this.batchTimer) clearInterval(this.batchTimer);
    (this.engineEvents as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    this.flushBatch();
    const engineLost = this.runs.some((r) => r.engineLost);
    if (engineLost || this.engineGone) {
      // The run stays "stopping" meanwhile: say what it waits for (the app showed no reason for a minute).
      this.message({ level: 'warning', code: 'cleanup', text: `waiting up to ${engineLost ? 60 : 20} s for the engine to answer again, to remove this run's containers (if it does not, the next start removes them)` });
    }
    const removal = await removeRun(this.conn.docker, this.id, engineLost ? 60_000 : 20_000);
    if (removal.left.length) this.message({ level: 'error', code: 'cleanup', text: `could not remove: ${removal.left.join('; ')} (the next start sweeps them)` });
    if (removal.unreachable && !this.runs.some((r) => r.engineLost)) {
      // The engine went away as the run ended (a restart stops containers itself): say so.
      const text = 'the container engine stopped answering during the run (restarted or stopped?); its containers were stopped by the engine, not by Imprint';
      this.error ??= text;
      this.record({ record: 'problem', time: Date.now(), code: 'engine-lost', message: text });
      this.message({ level: 'error', code: 'engine-lost', text });
    }
    const lost = this.runs.some((r) => r.engineLost) || removal.unreachable || this.engineGone;
    const services: ServiceResult[] = this.runs.map((r) => {
      const out: ServiceResult = { service: r.service, container: r.container, complete: Boolean(r.stream.hello && r.stream.end) && r.stream.missing === 0 && r.decodeErrors === 0, missing: r.stream.missing };
      if (r.exit?.exitCode !== undefined) out.exitCode = r.exit.exitCode;
      if (r.exit?.oomKilled) out.oomKilled = true;
      if (r.exit?.error) out.error = r.exit.error;
      if (r.endedAfterStop) out.stopped = true;
      return out;
    });
    const problems = new Set<CompletenessProblem>();
    for (const r of this.runs) {
      if (!r.stream.hello) problems.add('no-probe');
      else if (!r.stream.end) problems.add('stream-broke');
      if (r.stream.missing > 0) problems.add('seq-gaps');
      if (r.decodeErrors > 0 && r.stream.hello) problems.add('decode-errors');
      if (r.engineLost) problems.add('engine-lost');
    }
    if (lost) problems.add('engine-lost');
    if (failedToStart || this.runs.length === 0 || this.stoppedOutside || this.startCancelled) problems.add('interrupted');
    const exitCode = this.exitCode(services);
    this.endedAt = Date.now();
    const dropped = this.models.counters.dropped;
    const end: EndRecord = {
      record: 'end', time: this.endedAt, complete: problems.size === 0, problems: [...problems], events: this.models.counters.events,
      missing: dropped, decodeErrors: this.models.counters.decodeErrors, ...(exitCode !== undefined ? { exitCode } : {}),
    };
    if (this.writer && !this.runs.some((r) => r.started)) {
      // Nothing ran, so nothing was recorded: a header-only file would only make the retry (with the
      // mistake fixed) refuse the same --capture path as "already exists".
      await this.writer.discard();
      this.capturePath = undefined;
    } else if (this.writer) {
      try {
        this.capturePath = this.writer.error ? await this.writer.abandon() : await this.writer.close(end);
        if (this.writer.error) this.message({ level: 'error', code: 'capture', text: `writing the capture failed: ${this.writer.error.message}` });
      } catch (err) {
        this.message({ level: 'error', code: 'capture', text: `closing the capture failed: ${(err as Error).message}` });
      }
    }
    const result: RunResult = {
      runId: this.id, status: lost || failedToStart ? 'failed' : 'exited', complete: end.complete, problems: end.problems,
      events: end.events, dropped, services, startedAt: this.startedAt, endedAt: this.endedAt,
    };
    if (exitCode !== undefined) result.exitCode = exitCode;
    if (this.stoppedBy) result.stoppedBy = this.stoppedBy;
    if (this.error) result.error = this.error;
    if (this.capturePath) result.capture = this.capturePath;
    this.result = result;
    this.status = result.status;
    this.emitState(true);
    this.resolveDone(result);
  }

  private exitCode(services: ServiceResult[]): number | undefined {
    if (this.plan.until) return services.find((s) => s.service === this.plan.until)?.exitCode;
    if (services.length === 1) return services[0]!.exitCode;
    if (services.some((s) => s.exitCode === undefined)) return undefined;
    return services.find((s) => s.exitCode !== 0)?.exitCode ?? 0;
  }

  // ---- outputs ----------------------------------------------------------------------------------

  private record(r: RunRecord): void {
    this.writer?.record(r);
  }

  private message(m: SessionMessage): void {
    for (const l of this.messageListeners) {
      try { l(m); } catch { /* ignore listener bugs */ }
    }
    // The app shows a run's warnings and errors from its state (the CLI prints them as they come).
    if (m.level === 'info' || this.notes.length >= MAX_RUN_MESSAGES) return;
    const note: SessionMessage = { ...m, text: m.text.length > MAX_NOTE_CHARS ? `${m.text.slice(0, MAX_NOTE_CHARS - 1)}…` : m.text };
    if (this.notes.some((n) => n.code === note.code && n.service === note.service && n.text === note.text)) return;
    this.notes.push(note);
    this.emitState(true);
  }

  private emitState(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastStateAt < STATE_EVERY_MS) return;
    this.lastStateAt = now;
    const s = this.state();
    for (const l of this.stateListeners) {
      try { l(s); } catch { /* ignore listener bugs */ }
    }
  }
}

/** A message's text as RunState carries it (runMessageSchema): a container's output can be quoted in it. */
const MAX_NOTE_CHARS = 2000;

function newRunId(): string {
  return randomBytes(5).toString('hex');
}

/** `imprint-fixture/busybox:latest` → `busybox`: the service name of a single-image run. */
export function serviceNameOf(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const last = withoutDigest.split('/').pop()!;
  const name = last.split(':')[0]!;
  return /^[0-9a-f]{12,64}$/.test(name) || name.startsWith('sha256') ? 'app' : name;
}

async function prepare(opts: SessionOptions, refs: string[], network?: string): Promise<{ conn: EngineConnection; probe: ProbeBinary; images: Map<string, Dockerode.ImageInspectInfo> }> {
  for (const r of refs) validateReference(r);
  // Before anything is created: a capture that cannot be opened would fail the run only after its start.
  const unwritable = opts.capture ? await whyNotWritable(opts.capture) : undefined;
  if (unwritable) throw new EngineError('capture-unwritable', `cannot write capture ${opts.capture}: ${unwritable} — choose a writable path with --capture`);
  // A capture is the evidence a baseline is learned from; never replace one silently.
  if (opts.capture && !opts.overwriteCapture && existsSync(opts.capture)) {
    throw new EngineError('capture-exists', `the capture file ${opts.capture} already exists`, 'choose another --capture file, or pass --force to replace it');
  }
  const conn = opts.engine ?? (await connectEngine());
  if (network) await requireNetwork(conn.docker, network);
  // Leftovers of a crashed Imprint on this host: best effort, never blocks a run.
  await sweepLeftovers(conn.docker).catch(() => undefined);
  const probe = findProbe(conn.info.arch, opts.probePath);
  const images = new Map<string, Dockerode.ImageInspectInfo>();
  for (const r of new Set(refs)) {
    images.set(r, await ensureImage(conn.docker, r, {
      pull: opts.pull ?? false,
      onProgress: (layers) => opts.onMessage?.({ level: 'info', code: 'pull', text: `pulling ${r}: ${layers.filter((l) => /complete|already exists/i.test(l.status)).length}/${layers.length} layers` }),
    }));
  }
  return { conn, probe, images };
}

/** Names Docker gives network modes rather than networks: nothing to look up. */
const BUILTIN_NETWORKS = ['bridge', 'host', 'none', 'default'];

/**
 * A --network that does not exist, found before anything is created. Docker 20.10 accepts it at create and
 * fails only at start, with "no such container - network X not found", which names the wrong thing.
 */
async function requireNetwork(docker: Dockerode, network: string): Promise<void> {
  if (BUILTIN_NETWORKS.includes(network) || network.startsWith('container:')) return;
  try {
    await docker.getNetwork(network).inspect();
  } catch (err) {
    // Anything else (an engine hiccup) is left to container create, which reports it itself.
    if ((err as { statusCode?: number }).statusCode !== 404) return;
    throw new EngineError('create-failed', `network '${network}' does not exist`, `create it: docker network create ${network}, or leave out --network`);
  }
}

/** Docker's and compose's own default: an app gets this long between SIGTERM and the kill. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;

export async function startRun(config: RunConfig, opts: SessionOptions = {}): Promise<RunSession> {
  const { conn, probe, images } = await prepare(opts, [config.image], config.network);
  const id = newRunId();
  const service = config.name ?? serviceNameOf(config.image);
  const spec: ContainerSpec = { service, image: config.image, imageInfo: images.get(config.image)!, labels: {} };
  if (config.command?.length) spec.command = config.command;
  if (config.env?.length) spec.env = config.env;
  if (config.ports?.length) spec.ports = config.ports;
  if (config.network) {
    spec.network = config.network;
    // Aliases exist only on user-defined networks.
    if (!BUILTIN_NETWORKS.includes(config.network) && !config.network.startsWith('container:')) spec.aliases = [service];
  }
  if (config.name) spec.name = config.name;
  if (config.volumes?.length) spec.mounts = parseVolumeFlags(config.volumes);
  const plan: LaunchPlan = { label: config.image, mode: 'image', specs: [spec], networks: [], volumes: [], tracing: config };
  if (config.duration) plan.duration = config.duration;
  const session = new Session(conn, plan, opts, id);
  await session.launch(probe, images);
  return session;
}

/** The probe's own options (before `--`) for a run's tracing choices: native/README.md, "Usage". */
export function probeArgsFor(tracing: Tracing): string[] {
  return [...(tracing.seccomp === false ? ['--no-seccomp'] : []), ...(tracing.logPids === false ? ['--no-log-pids'] : [])];
}

export async function startCompose(config: ComposeConfig, opts: SessionOptions = {}): Promise<RunSession> {
  const project: ComposeProject = await loadCompose(config.file);
  if (config.until && !project.services.some((s) => s.name === config.until)) {
    throw new EngineError('compose-invalid', `--until names '${config.until}', which is not a service of ${config.file}`);
  }
  const { conn, probe, images } = await prepare(opts, project.services.map((s) => s.image));
  const id = newRunId();
  const netName = (n: string) => `imprint-${id}_${n}`;
  // The run's own volumes are named as its networks are; an external one is the engine's, by its name.
  const external = new Map(project.volumes.flatMap((v) => (v.external ? [[v.name, v.external] as const] : [])));
  const volumeName = (n: string) => external.get(n) ?? `imprint-${id}_${n}`;
  // An external volume is the user's: the engine would create a missing one, empty and unlabelled, and
  // keep it after the run, as compose refuses to.
  const mounted = new Set(project.services.flatMap((s) => s.mounts.flatMap((m) => (m.type === 'volume' && m.source ? [m.source] : []))));
  for (const [key, engineName] of external) {
    if (!mounted.has(key)) continue;
    await conn.docker.getVolume(engineName).inspect().catch((err: unknown) => {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      throw new EngineError('compose-invalid', `external volume '${engineName}' (volumes.${key}) does not exist`,
        `create it (docker volume create ${engineName}), or drop 'external: true' so that each run makes its own`);
    });
  }
  const usedVolumes = new Set(project.services.flatMap((s) => s.mounts.flatMap((m) => (m.type === 'volume' && m.source && !external.has(m.source) ? [m.source] : []))));
  const used = new Set(project.services.flatMap((s) => s.networks));
  const specs: ContainerSpec[] = project.services.map((s) => {
    const nets = s.networks.map(netName);
    const spec: ContainerSpec = {
      service: s.name, image: s.image, imageInfo: images.get(s.image)!, labels: {},
      env: s.environment, ports: s.ports, network: nets[0]!, aliases: [s.name], name: s.containerName ?? `imprint-${id}-${s.name}`,
    };
    if (nets.length > 1) spec.extraNetworks = nets.slice(1);
    if (s.command) spec.command = s.command;
    if (s.entrypoint) spec.entrypoint = s.entrypoint;
    if (s.workingDir !== undefined) spec.workingDir = s.workingDir;
    if (s.user !== undefined) spec.user = s.user;
    if (s.mounts.length) spec.mounts = s.mounts.map((m) => (m.type === 'volume' && m.source ? { ...m, source: volumeName(m.source) } : m));
    return spec;
  });
  const plan: LaunchPlan = {
    label: basename(config.file), mode: 'compose', source: config.file, specs, networks: [...used].map(netName),
    volumes: [...usedVolumes].map(volumeName), tracing: config,
    warnings: project.warnings,
  };
  if (config.until) plan.until = config.until;
  if (config.duration) plan.duration = config.duration;
  const session = new Session(conn, plan, opts, id);
  await session.launch(probe, images);
  return session;
}
