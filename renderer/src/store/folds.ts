/**
 * The page's side of the fold worker. The store tells it about every append and reset (so the worker's
 * log mirrors the page's), and `useFolds` asks for a fold whenever the events, the range or the baseline
 * change, with at most one request in flight: a slow fold makes the panels update less often instead of
 * queueing work, and the page itself never stalls.
 */
import { useEffect, useState } from 'react';
import type { Baseline } from '../../../common/baseline/schema.js';
import type { ImprintEvent } from '../../../common/events.js';
import { Folder, type FoldMessage, type FoldReply, type FoldRequest, type FoldResult } from '../model/fold.js';
import type { EventLog } from '../model/event-log.js';

let worker: Worker | null | undefined;
/** Used when Workers are unavailable: folds the page's own log on the main thread. */
const inPlace = new Folder(undefined, false);

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('../worker/fold.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
  }
  return worker;
}

function post(m: FoldMessage): void {
  getWorker()?.postMessage(m);
}

export const foldSink = {
  reset(log: EventLog): void { inPlace.use(log); post({ type: 'reset' }); },
  append(events: readonly ImprintEvent[]): void { if (events.length) post({ type: 'append', events: events as ImprintEvent[] }); },
  baseline(b: Baseline | undefined): void { inPlace.setBaseline(b); post({ type: 'baseline', baseline: b }); },
};

let nextId = 1;
const waiting = new Map<number, { request: FoldRequest; done: (r: FoldResult) => void }>();

function fold(request: FoldRequest): Promise<FoldResult> {
  const w = getWorker();
  if (!w) return Promise.resolve(inPlace.fold(request));
  if (!w.onmessage) {
    w.onmessage = (msg: MessageEvent<FoldReply>) => {
      const entry = waiting.get(msg.data.id);
      waiting.delete(msg.data.id);
      entry?.done(msg.data.result);
    };
    // A worker that fails (refused by policy, out of memory) must not leave the panels waiting forever:
    // from then on the page folds its own log.
    w.onerror = () => {
      worker = null;
      for (const [id, entry] of waiting) { waiting.delete(id); entry.done(inPlace.fold(entry.request)); }
    };
  }
  const id = nextId++;
  return new Promise((ok) => { waiting.set(id, { request, done: ok }); w.postMessage({ type: 'fold', id, request } satisfies FoldMessage); });
}

/**
 * The latest fold for the log on screen. `key` changes whenever something the fold depends on changed;
 * results for a previous log are discarded.
 */
export function useFolds(log: EventLog, key: string, request: FoldRequest): FoldResult | undefined {
  const [state, setState] = useState<{ log: EventLog; result: FoldResult } | undefined>();
  useEffect(() => {
    let cancelled = false;
    const run = () => {
      inFlight = true;
      void fold(request).then((result) => {
        inFlight = false;
        if (!cancelled) setState({ log, result });
        const next = queued;
        queued = undefined;
        next?.();
      });
    };
    if (inFlight) queued = run;
    else run();
    return () => { cancelled = true; if (queued === run) queued = undefined; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [log, key]);
  return state && state.log === log ? state.result : undefined;
}

let inFlight = false;
/** The one fold waiting for the current one to finish (only the newest is kept). */
let queued: (() => void) | undefined;
