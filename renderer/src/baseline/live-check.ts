/**
 * Live deviations: the loaded baseline checked against the events on screen with the same pure drift check
 * the CLI uses (common/baseline/check.ts), plus what each panel needs to highlight them.
 */
import { checkDrift, type CheckResult, type Deviation } from '../../../common/baseline/check.js';
import { observe } from '../../../common/baseline/observe.js';
import type { Baseline } from '../../../common/baseline/schema.js';
import type { ImprintEvent } from '../../../common/events.js';
import type { EventLog } from '../model/event-log.js';

/** What the panels need to show deviations; plain data, so a Worker can compute it and post it back. */
export interface HighlightData {
  result: CheckResult;
  /** Log index of the first event of each deviation. */
  flaggedIdx: number[];
  exePaths: string[];
  filePaths: string[];
  marks: { time: number; lane?: number }[];
}

/** The same, resolved against the page's own log: `flagged` holds its event objects. */
export interface Highlights extends Omit<HighlightData, 'exePaths' | 'filePaths'> {
  flagged: ReadonlySet<ImprintEvent>;
  exePaths: ReadonlySet<string>;
  filePaths: ReadonlySet<string>;
}

export function highlightData(baseline: Baseline, log: EventLog, incomplete: readonly string[] = []): HighlightData {
  const result = checkDrift(baseline, { events: log.events, incomplete });
  const firsts = new Set<ImprintEvent>(result.deviations.map((d) => d.event));
  const exePaths = new Set<string>();
  const filePaths = new Set<string>();
  for (const d of result.deviations) {
    const e = d.event;
    if (e.kind === 'exec') exePaths.add(e.path);
    else if ('path' in e && typeof e.path === 'string') filePaths.add(e.path);
  }
  const marks: HighlightData['marks'] = [];
  const flaggedIdx: number[] = [];
  if (firsts.size) {
    const events = log.events;
    for (let i = 0; i < events.length; i++) {
      if (!firsts.has(events[i]!)) continue;
      flaggedIdx.push(i);
      marks.push({ time: log.times[i]!, lane: log.lanes[i]! });
    }
  }
  return { result, flaggedIdx, exePaths: [...exePaths], filePaths: [...filePaths], marks };
}

export function resolveHighlights(data: HighlightData, log: EventLog): Highlights {
  const flagged = new Set<ImprintEvent>();
  for (const i of data.flaggedIdx) { const e = log.events[i]; if (e) flagged.add(e); }
  return { ...data, flagged, exePaths: new Set(data.exePaths), filePaths: new Set(data.filePaths) };
}

export function highlight(baseline: Baseline, log: EventLog, incomplete: readonly string[] = []): Highlights {
  return resolveHighlights(highlightData(baseline, log, incomplete), log);
}

export function deviationTitle(d: Deviation): string {
  return d.rule.replace(/^new-/, 'new ').replace(/-/g, ' ');
}

/**
 * The learning curve: how many distinct baseline items had been seen by each moment of the run. When it
 * flattens, the workload has stopped showing new behaviour and the baseline is worth saving.
 */
export function learningCurve(events: readonly ImprintEvent[], points = 120): { time: number; items: number }[] {
  const seen = new Set<string>();
  const firsts: number[] = [];
  observe(events, (f) => {
    const key = `${f.service}\u0000${f.category}\u0000${f.key}`;
    if (seen.has(key)) return;
    seen.add(key);
    firsts.push(f.event.time);
  });
  if (firsts.length === 0) return [];
  firsts.sort((a, b) => a - b);
  const t0 = Math.min(firsts[0]!, events[0]?.time ?? firsts[0]!);
  let t1 = t0;
  for (const e of events) if (e.time > t1) t1 = e.time;
  if (t1 <= t0) return [{ time: t0, items: firsts.length }];
  const out: { time: number; items: number }[] = [];
  let k = 0;
  for (let p = 0; p <= points; p++) {
    const t = t0 + ((t1 - t0) * p) / points;
    while (k < firsts.length && firsts[k]! <= t) k++;
    out.push({ time: t, items: k });
  }
  return out;
}
