/**
 * The engine's methods: status, images, and runs. Each run's events and state are pushed to every page
 * through the push hub (batched there), and its capture is written into the workspace's `captures/`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeConfig, RunConfig, RunState } from '../../../common/api.js';
import type { ImprintEvent } from '../../../common/events.js';
import type { RunSession, SessionOptions } from '../../engine/session-api.js';
import type { Dispatcher } from '../dispatcher.js';
import { UserError } from '../dispatcher.js';
import type { PushHub } from '../push-hub.js';
import type { Workspace } from '../workspace.js';

/** What the service needs from the engine: the real one in the app, the same interface everywhere. */
export interface EngineApi {
  engineStatus(): Promise<import('../../../common/api.js').EngineStatus>;
  listImages(): Promise<import('../../../common/api.js').ImageSummary[]>;
  startRun(config: RunConfig, options: SessionOptions): Promise<RunSession>;
  startCompose(config: ComposeConfig, options: SessionOptions): Promise<RunSession>;
}

export interface RunServiceOptions {
  /** Extra labels on everything a run creates (the end-to-end tests add `imprint.test=1`). */
  labels?: Record<string, string>;
  /** Finished runs kept for `run.list` and `run.events`. */
  keepFinished?: number;
}

export interface RunService {
  /** Stops every run still going (shutdown). */
  stopAll(): Promise<void>;
}

export function registerRunService(dispatcher: Dispatcher, hub: PushHub, workspace: Workspace, engine: EngineApi, opts: RunServiceOptions = {}): RunService {
  const sessions = new Map<string, RunSession>();

  dispatcher.register('engine.status', () => engine.engineStatus());
  dispatcher.register('images.list', () => engine.listImages());

  async function begin(label: string, start: (options: SessionOptions) => Promise<RunSession>): Promise<RunState> {
    const dir = join(workspace.root, 'captures');
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
    const capture = join(dir, `${stamp}-${label.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60)}.imprint`);
    // Events can arrive before start() resolves with the session's id: hold them until then.
    let id: string | undefined;
    const early: ImprintEvent[] = [];
    const session = await start({
      capture,
      ...(opts.labels ? { labels: opts.labels } : {}),
      onEvents: (events) => { if (id) hub.events(id, events); else early.push(...events); },
      onState: (state) => hub.push('run.state', withDisplayPath(state)),
    });
    id = session.id;
    sessions.set(id, session);
    if (early.length) hub.events(id, early);
    void session.done.then(() => {
      hub.push('run.state', withDisplayPath(session.state()));
      prune();
    });
    return withDisplayPath(session.state());
  }

  function withDisplayPath(state: RunState): RunState {
    return state.capture ? { ...state, capture: workspace.display(state.capture) } : state;
  }

  function prune(): void {
    const keep = opts.keepFinished ?? 5;
    const finished = [...sessions.values()].filter((s) => { const st = s.state().status; return st === 'exited' || st === 'failed'; });
    for (const s of finished.slice(0, Math.max(0, finished.length - keep))) sessions.delete(s.id);
  }

  function get(runId: string): RunSession {
    const s = sessions.get(runId);
    if (!s) throw new UserError(`no run ${runId}`);
    return s;
  }

  dispatcher.register('run.start', (config) => begin(config.name ?? config.image, (o) => engine.startRun(config, o)));
  dispatcher.register('run.compose', async (config) => {
    const file = await workspace.existing(config.file);
    return begin(config.file.split('/').pop() ?? 'compose', (o) => engine.startCompose({ ...config, file }, o));
  });
  dispatcher.register('run.stop', async ({ runId }) => {
    const s = get(runId);
    await s.stop();
    return withDisplayPath(s.state());
  });
  dispatcher.register('run.list', () => [...sessions.values()].map((s) => withDisplayPath(s.state())));
  dispatcher.register('run.events', ({ runId, offset, limit }) => get(runId).events(offset, limit));

  return {
    async stopAll() { await Promise.all([...sessions.values()].map((s) => s.stop().catch(() => undefined))); },
  };
}
