/**
 * The renderer's state (zustand). Events never go through React state one by one: pushes land in the
 * mutable EventLog and the store bumps `tick` at most once per animation frame (timeline, counters) and
 * `panelTick` at most every PANEL_INTERVAL_MS (tree, graph, files, table), so a storm of events costs a few
 * renders per second, not one per event.
 */
import { create } from 'zustand';
import type { EngineStatus, ImprintApi, RunState } from '../../../common/api.js';
import type { ImprintEvent } from '../../../common/events.js';
import { EventLog } from '../model/event-log.js';
import type { TimeView } from '../timeline/viewport.js';
import { foldSink } from './folds.js';

export type Screen = 'start' | 'live' | 'replay' | 'baselines';
export type Theme = 'system' | 'light' | 'dark';
export const PANEL_INTERVAL_MS = 400;

export interface Source { kind: 'run'; runId: string }
export interface CaptureSource {
  kind: 'capture'; path: string; loading: boolean; header?: unknown;
  /** Why the capture is not known to be complete (from the file itself); empty when it is. */
  incomplete?: string[];
}

export interface Selection { kind: 'node' | 'edge'; id: string }

export interface AppState {
  screen: Screen;
  engine?: EngineStatus;
  workspace?: string;
  mode?: 'electron' | 'browser';
  /** The state of the run on screen (none while a capture is). */
  run?: RunState;
  /**
   * Every run still going (starting, running or stopping), on screen or not: opening a capture takes a run
   * off the screen, not out of reach, and its containers keep running until someone stops them.
   */
  liveRuns: RunState[];
  source?: Source | CaptureSource;
  log: EventLog;
  tick: number;
  panelTick: number;
  /** The brushed time range: every panel shows only events inside it. */
  range: TimeView | null;
  /** Replay's playhead: events after it are hidden. */
  playhead: number | null;
  selection: Selection | null;
  theme: Theme;
  fontScale: number;
  error?: string;
  setScreen(screen: Screen): void;
  setRange(range: TimeView | null): void;
  setPlayhead(t: number | null): void;
  select(sel: Selection | null): void;
  setTheme(theme: Theme): void;
  setFontScale(scale: number): void;
  setError(message: string | undefined): void;
  /** Shows a new run or capture: a fresh log. */
  openSource(source: Source | CaptureSource, run?: RunState): void;
  /** A run's new state, from a push or a call: kept in `liveRuns`, and in `run` when it is on screen. */
  noteRun(state: RunState): void;
  ingest(events: readonly ImprintEvent[]): void;
  /** Appends events right away (replay), keeping the fold worker's copy in step. */
  appendNow(events: readonly ImprintEvent[]): void;
}

let pending: ImprintEvent[] = [];
/**
 * Highest probe sequence number taken per container of the run on screen. A page that catches up with
 * `run.events` while pushes keep coming can see an event twice; seq numbers are consecutive per container,
 * so anything at or below the last one taken is a repeat.
 */
let lastSeq = new Map<string, number>();
/** Pushes that arrive while a reloaded page catches up with `run.events`: taken after it, in order. */
let held: ImprintEvent[] | undefined;
let frame = 0;
let lastPanel = 0;
let panelTimer: ReturnType<typeof setTimeout> | undefined;

const stored = (key: string): string | null => { try { return localStorage.getItem(key); } catch { return null; } };

export const useApp = create<AppState>()((set, get) => ({
  screen: 'start',
  liveRuns: [],
  log: (() => { const log = new EventLog(); foldSink.reset(log); return log; })(),
  tick: 0,
  panelTick: 0,
  range: null,
  playhead: null,
  selection: null,
  theme: (stored('imprint.theme') as Theme | null) ?? 'system',
  fontScale: Number(stored('imprint.fontScale')) || 1,
  setScreen: (screen) => set({ screen }),
  setRange: (range) => set((s) => ({ range, panelTick: s.panelTick + 1 })),
  setPlayhead: (playhead) => set((s) => ({ playhead, panelTick: s.panelTick + 1 })),
  select: (selection) => set({ selection }),
  setTheme: (theme) => { try { localStorage.setItem('imprint.theme', theme); } catch { /* private mode */ } set({ theme }); },
  setFontScale: (fontScale) => {
    const clamped = Math.min(1.8, Math.max(0.8, Math.round(fontScale * 10) / 10));
    try { localStorage.setItem('imprint.fontScale', String(clamped)); } catch { /* private mode */ }
    set({ fontScale: clamped });
  },
  setError: (error) => set({ error }),
  openSource: (source, run) => {
    pending = [];
    lastSeq = new Map();
    const log = new EventLog();
    foldSink.reset(log);
    // Something new is on screen: an error about an earlier attempt no longer applies to it.
    set((s) => ({ source, run, log, error: undefined, range: null, playhead: null, selection: null, tick: s.tick + 1, panelTick: s.panelTick + 1 }));
    if (run) get().noteRun(run);
  },
  noteRun: (state) => set((s) => {
    const others = s.liveRuns.filter((r) => r.runId !== state.runId);
    const liveRuns = isLive(state) ? [...others, state] : others;
    const onScreen = s.source?.kind === 'run' && s.source.runId === state.runId;
    return onScreen ? { liveRuns, run: state } : { liveRuns };
  }),
  appendNow: (events) => {
    get().log.append(events);
    foldSink.append(events);
    set((s) => ({ tick: s.tick + 1, panelTick: s.panelTick + 1 }));
  },
  ingest: (events) => {
    for (const e of events) {
      const last = lastSeq.get(e.container);
      if (last !== undefined && e.seq <= last) continue;
      lastSeq.set(e.container, e.seq);
      pending.push(e);
    }
    if (frame) return;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      get().log.append(batch);
      foldSink.append(batch);
      const now = performance.now();
      if (now - lastPanel >= PANEL_INTERVAL_MS) {
        lastPanel = now;
        set((s) => ({ tick: s.tick + 1, panelTick: s.panelTick + 1 }));
      } else {
        set((s) => ({ tick: s.tick + 1 }));
        if (!panelTimer) panelTimer = setTimeout(() => { panelTimer = undefined; lastPanel = performance.now(); set((s) => ({ panelTick: s.panelTick + 1 })); }, PANEL_INTERVAL_MS);
      }
    };
    // rAF pauses in background tabs; a timeout keeps a hidden page from buffering a whole run.
    frame = typeof document !== 'undefined' && document.visibilityState === 'visible'
      ? requestAnimationFrame(flush) : (setTimeout(flush, 50) as unknown as number);
  },
}));

/** A run whose containers may still be going: it can be stopped, and must stay reachable. */
export function isLive(run: RunState): boolean {
  return run.status === 'running' || run.status === 'starting' || run.status === 'stopping';
}

/**
 * After a reload (or a second window): show the run that is going on, with the events it already had.
 * Pushes are already flowing; `ingest` drops the repeats.
 */
export async function resumeRun(api: ImprintApi): Promise<void> {
  const live = (await api.call('run.list', {})).filter(isLive);
  for (const r of live) useApp.getState().noteRun(r);
  const active = live.at(-1);
  if (!active || useApp.getState().source) return;
  await showRun(api, active);
}

/**
 * Puts a run on the Live screen with every event it had so far, as a reload does: the way back to a run
 * after a replay took its place. A run already on screen is only switched to.
 */
export async function showRun(api: ImprintApi, run: RunState): Promise<void> {
  const { source } = useApp.getState();
  useApp.setState({ screen: 'live' });
  if (source?.kind === 'run' && source.runId === run.runId) return;
  useApp.getState().openSource({ kind: 'run', runId: run.runId }, run);
  await catchUp(api, run.runId, 0);
}

/**
 * Fetches a run's events from `offset` with `run.events` while holding back the pushes that arrive
 * meanwhile, then takes those; `ingest` drops what was seen twice.
 */
async function catchUp(api: ImprintApi, runId: string, offset: number): Promise<void> {
  const mine = () => { const src = useApp.getState().source; return src?.kind === 'run' && src.runId === runId; };
  held = held ?? [];
  try {
    let next: number | undefined = offset;
    while (next !== undefined) {
      const chunk: { events: ImprintEvent[]; next?: number } = await api.call('run.events', { runId, offset: next, limit: 20_000 });
      if (!mine()) return;
      useApp.getState().ingest(chunk.events);
      next = chunk.next;
    }
    const state = (await api.call('run.list', {})).find((r) => r.runId === runId);
    if (state) useApp.getState().noteRun(state);
  } finally {
    const later = held;
    held = undefined;
    if (mine()) useApp.getState().ingest(later);
  }
}

/** Wires the API's pushes into the store. Returns the unsubscribe function. */
export function connectPushes(api: ImprintApi): () => void {
  const offs = [
    api.on('run.events', ({ runId, events }) => {
      const src = useApp.getState().source;
      if (src?.kind !== 'run' || src.runId !== runId) return;
      if (held) held.push(...events);
      else useApp.getState().ingest(events);
    }),
    api.on('run.state', (state) => useApp.getState().noteRun(state)),
    api.on('engine.status', (engine) => useApp.setState({ engine })),
    // After a broken push stream: fetch what was missed. The log may hold fewer events than the run's
    // offset (duplicates dropped, none lost), so start a little early; `ingest` drops the overlap.
    api.onReconnect?.(() => {
      const src = useApp.getState().source;
      if (src?.kind === 'run') void catchUp(api, src.runId, Math.max(0, useApp.getState().log.length - 1000)).catch(() => {});
    }) ?? (() => {}),
  ];
  return () => offs.forEach((off) => off());
}

/** The events the panels show: inside the brushed range and before the replay playhead. */
export function visibleEvents(log: EventLog, range: TimeView | null, playhead: number | null): ImprintEvent[] {
  // A fresh array each time: panels memoize on identity, and the log's own array grows in place.
  if (!range && playhead === null) return log.events.slice();
  const t0 = range?.t0 ?? -Infinity;
  const t1 = Math.min(range?.t1 ?? Infinity, playhead === null ? Infinity : playhead + 0.0005);
  return log.between(t0, t1);
}

