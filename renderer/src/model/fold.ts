/**
 * Folding the events on screen into what the panels show (process tree, files by directory, connection
 * graph, deviations from the loaded baseline). At a million events this takes seconds, so the page runs
 * it in a Worker (worker/fold.worker.ts) that keeps its own copy of the log; without Workers (tests) the
 * same class folds the page's own log in place.
 */
import type { Baseline } from '../../../common/baseline/schema.js';
import type { ImprintEvent } from '../../../common/events.js';
import { highlightData, learningCurve, type HighlightData } from '../baseline/live-check.js';
import type { TimeView } from '../timeline/viewport.js';
import { EventLog } from './event-log.js';
import { connectionGraph, filesByDirectory, processTree, type ConnectionGraph, type DirStat, type ProcessNode } from './views.js';

export interface FoldRequest {
  range: TimeView | null;
  playhead: number | null;
  incomplete: string[];
  /** Also compute the learning curve (the Baselines screen). */
  curve?: boolean;
}

export interface FoldResult {
  tree: ProcessNode[];
  dirs: DirStat[];
  graph: ConnectionGraph;
  highlights?: HighlightData;
  curve?: { time: number; items: number }[];
  /** Events in the log when this was folded. */
  events: number;
  /** Milliseconds the fold took. */
  cost: number;
}

export class Folder {
  private baseline: Baseline | undefined;
  private cached: { version: number; baseline: Baseline; incomplete: string; data: HighlightData } | undefined;

  constructor(private log = new EventLog(), private readonly ownsLog = true) {}

  reset(): void { if (this.ownsLog) this.log = new EventLog(); this.cached = undefined; }
  /** Only for a Folder that owns its log: the page's log is appended by the store. */
  append(events: readonly ImprintEvent[]): void { if (this.ownsLog) this.log.append(events); }
  use(log: EventLog): void { if (!this.ownsLog) { this.log = log; this.cached = undefined; } }
  setBaseline(baseline: Baseline | undefined): void { this.baseline = baseline; this.cached = undefined; }

  fold(req: FoldRequest): FoldResult {
    const start = performance.now();
    const log = this.log;
    const t0 = req.range?.t0 ?? -Infinity;
    const t1 = Math.min(req.range?.t1 ?? Infinity, req.playhead === null ? Infinity : req.playhead + 0.0005);
    const visible = t0 === -Infinity && t1 === Infinity ? log.events : log.between(t0, t1);
    let highlights: HighlightData | undefined;
    if (this.baseline) {
      // Deviations are about the whole run, not the brushed range: the check is cached per log version.
      const key = req.incomplete.join('\n');
      const c = this.cached;
      if (c && c.version === log.version && c.baseline === this.baseline && c.incomplete === key) highlights = c.data;
      else {
        highlights = highlightData(this.baseline, log, req.incomplete);
        this.cached = { version: log.version, baseline: this.baseline, incomplete: key, data: highlights };
      }
    }
    const flagged = highlights ? new Set(highlights.flaggedIdx.map((i) => log.events[i]!)) : undefined;
    const result: FoldResult = {
      tree: processTree(visible, visible === log.events ? undefined : log.events), dirs: filesByDirectory(visible), graph: connectionGraph(visible, flagged),
      events: log.length, cost: 0,
      ...(highlights ? { highlights } : {}),
    };
    if (req.curve) result.curve = learningCurve(log.events);
    result.cost = performance.now() - start;
    return result;
  }
}

/** Messages to the fold worker, in order: it sees the same appends as the page's log. */
export type FoldMessage =
  | { type: 'reset' }
  | { type: 'append'; events: ImprintEvent[] }
  | { type: 'baseline'; baseline: Baseline | undefined }
  | { type: 'fold'; id: number; request: FoldRequest };

export interface FoldReply { type: 'folded'; id: number; result: FoldResult }
