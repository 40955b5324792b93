/**
 * Baselines: save the baseline of the run on screen, load one to see deviations live, review two baseline
 * files side by side (accept, reject or generalise each new entry and write the result back), and the
 * learning curve that shows when new behaviour stopped appearing.
 */
import { useMemo, useState } from 'react';
import { parseBaseline, stringifyBaseline, BASELINE_SCHEMA_FILE } from '../../../common/baseline/file.js';
import type { Baseline } from '../../../common/baseline/schema.js';
import { api } from '../api/instance.js';
import { useApp } from '../store/app-store.js';
import { useBaseline } from '../store/baseline-store.js';
import { applyDecisions, diffBaselines, suggestPattern, type Decision, type DiffEntry } from '../baseline/diff.js';
import { useFolds } from '../store/folds.js';
import { fmtSpan } from '../timeline/Timeline.js';
import { PolicyExport } from '../panels/PolicyExport.js';

export async function loadBaseline(path: string): Promise<void> {
  try {
    const file = await api().call('baseline.read', { path });
    useBaseline.getState().set({ path: file.path, baseline: parseBaseline(file.yaml) });
    // A baseline is now loaded: an error about an earlier attempt no longer applies.
    useApp.getState().setError(undefined);
  } catch (e) {
    useApp.getState().setError(`Could not load ${path}: ${(e as Error).message}`);
  }
}

export function BaselinesScreen() {
  return (
    <div className="screen baselines-screen">
      <div className="grid-2">
        <SaveAndLoad />
        <LearningCurve />
      </div>
      <PolicyExport />
      <BaselineReview />
    </div>
  );
}

function SaveAndLoad() {
  const source = useApp((s) => s.source);
  const run = useApp((s) => s.run);
  const setError = useApp((s) => s.setError);
  const loaded = useBaseline((s) => s.loaded);
  const clear = useBaseline((s) => s.set);
  const capture = source?.kind === 'capture' ? source.path : run?.capture;
  const [out, setOut] = useState('baseline.yaml');
  const [loadPath, setLoadPath] = useState('');
  const [saved, setSaved] = useState<string>();
  const [replace, setReplace] = useState(false);
  const running = run && (run.status === 'running' || run.status === 'starting');
  const save = async () => {
    if (!capture) return;
    // Only the outcome of this attempt is shown: never an earlier "Saved" beside this one's error, nor the reverse.
    setSaved(undefined);
    try {
      const file = await api().call('baseline.learn', { captures: [capture], out, ...(replace ? { replace: true } : {}) });
      setReplace(false);
      setSaved(file.path);
      setLoadPath(file.path);
      setError(undefined);
    } catch (e) { setError((e as Error).message); }
  };
  return (
    <section className="panel" aria-label="Save and load baselines">
      <header className="panel-head"><h2>This run</h2></header>
      <div className="form">
        <p className="muted">{capture ? <>Capture: <span className="mono">{capture}</span></> : 'No run or capture on screen.'}</p>
        <div className="inline">
          <input value={out} onChange={(e) => setOut(e.target.value)} className="mono" aria-label="Baseline file to write" data-testid="baseline-out" />
          <button className="primary" disabled={!capture || !out.trim() || !!running} onClick={() => void save()} title={running ? 'Wait for the run to finish' : ''}>Save baseline of this run</button>
        </div>
        <label className="option"><input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="baseline-replace" />Replace it if the file exists</label>
        {saved && <p className="ok" data-testid="baseline-saved">Saved {saved} <button className="link" onClick={() => void loadBaseline(saved)}>check live against it</button></p>}
      </div>
      <header className="panel-head"><h2>Check live against a baseline</h2></header>
      <div className="form">
        <div className="inline">
          <input value={loadPath} onChange={(e) => setLoadPath(e.target.value)} placeholder="baseline.yaml" className="mono" aria-label="Baseline file to load" data-testid="baseline-load-path" />
          <button onClick={() => void loadBaseline(loadPath.trim())} disabled={!loadPath.trim()}>Load</button>
          {loaded && <button onClick={() => clear(undefined)}>Unload</button>}
        </div>
        {loaded
          ? <p data-testid="baseline-loaded">Checking against <span className="mono">{loaded.path}</span>: {Object.keys(loaded.baseline.services).length} services, learned from {loaded.baseline.learned.runs} run(s). Deviations show on the Live and Replay screens.</p>
          : <p className="muted">No baseline loaded.</p>}
      </div>
    </section>
  );
}

function LearningCurve() {
  const log = useApp((s) => s.log);
  const panelTick = useApp((s) => s.panelTick);
  // Folded off the main thread like the other panels: observing a million events takes seconds.
  const curve = useFolds(log, `curve|${panelTick}`, { range: null, playhead: null, incomplete: [], curve: true })?.curve ?? [];
  const w = 560, h = 220, pad = 36;
  const max = Math.max(1, ...curve.map((p) => p.items));
  const t0 = curve[0]?.time ?? 0, t1 = curve[curve.length - 1]?.time ?? 1;
  const x = (t: number) => pad + ((t - t0) / Math.max(1e-9, t1 - t0)) * (w - pad - 10);
  const y = (n: number) => h - pad + 10 - (n / max) * (h - pad - 10);
  const last = curve[curve.length - 1];
  // When did the last new item appear: the curve's final rise.
  let plateau = t0;
  for (let i = 1; i < curve.length; i++) if (curve[i]!.items > curve[i - 1]!.items) plateau = curve[i]!.time;
  return (
    <section className="panel" aria-label="Learning curve">
      <header className="panel-head"><h2>Learning curve</h2>{last && <span className="muted" data-testid="curve-summary">{last.items} items · last new one at +{fmtSpan(plateau - t0)} of {fmtSpan(t1 - t0)}</span>}</header>
      <p className="muted small curve-caption">Distinct baseline items seen so far. Once the line stays flat, the run has stopped showing new behaviour and its baseline is worth saving.</p>
      {curve.length < 2 ? <div className="empty">Run or replay something: new baseline items over time appear here.</div> : (
        <svg viewBox={`0 0 ${w} ${h}`} className="curve" role="img" aria-label="New baseline items over time" data-testid="learning-curve">
          <line x1={pad} y1={h - pad + 10} x2={w - 10} y2={h - pad + 10} className="axis" />
          <line x1={pad} y1={10} x2={pad} y2={h - pad + 10} className="axis" />
          <text x={pad - 6} y={14} className="tick" textAnchor="end">{max}</text>
          <text x={pad - 6} y={h - pad + 10} className="tick" textAnchor="end">0</text>
          <text x={w - 10} y={h - 8} className="tick" textAnchor="end">+{fmtSpan(t1 - t0)}</text>
          <line x1={x(plateau)} y1={10} x2={x(plateau)} y2={h - pad + 10} className="plateau" />
          <polyline className="line" points={curve.map((p) => `${x(p.time).toFixed(1)},${y(p.items).toFixed(1)}`).join(' ')} />
        </svg>
      )}
    </section>
  );
}

function BaselineReview() {
  const setError = useApp((s) => s.setError);
  const [left, setLeft] = useState('');
  const [right, setRight] = useState('');
  const [pair, setPair] = useState<{ before: Baseline; after: Baseline; rightPath: string; rightText: string }>();
  const [decisions, setDecisions] = useState<Map<string, Decision>>(new Map());
  const [written, setWritten] = useState<string>();
  const entries = useMemo(() => (pair ? diffBaselines(pair.before, pair.after) : []), [pair]);
  const compare = async () => {
    try {
      const [a, b] = await Promise.all([api().call('baseline.read', { path: left.trim() }), api().call('baseline.read', { path: right.trim() })]);
      setPair({ before: parseBaseline(a.yaml), after: parseBaseline(b.yaml), rightPath: b.path, rightText: b.yaml });
      setDecisions(new Map());
      setWritten(undefined);
      setError(undefined);
    } catch (e) { setError((e as Error).message); }
  };
  const decide = (id: string, d: Decision) => setDecisions((m) => new Map(m).set(id, d));
  const write = async () => {
    if (!pair) return;
    setWritten(undefined);
    try {
      const result = applyDecisions(pair.after, entries, decisions);
      // The reviewer's own comments in the file stay where their items are.
      const yaml = stringifyBaseline(result, pair.after.$schema ?? BASELINE_SCHEMA_FILE, pair.rightText);
      const file = await api().call('baseline.write', { path: pair.rightPath, yaml });
      setWritten(file.path);
      setPair({ ...pair, after: parseBaseline(yaml), rightText: yaml });
      setDecisions(new Map());
      setError(undefined);
    } catch (e) { setError((e as Error).message); }
  };
  const added = entries.filter((e) => e.change === 'added');
  return (
    <section className="panel" aria-label="Review two baselines">
      <header className="panel-head"><h2>Review a baseline change</h2>
        {pair && <span className="muted">{added.length} added · {entries.length - added.length} removed</span>}
      </header>
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); void compare(); }}>
        <input value={left} onChange={(e) => setLeft(e.target.value)} placeholder="before: committed baseline.yaml" className="mono" aria-label="Before" data-testid="diff-left" />
        <input value={right} onChange={(e) => setRight(e.target.value)} placeholder="after: new baseline.yaml" className="mono" aria-label="After" data-testid="diff-right" />
        <button type="submit" disabled={!left.trim() || !right.trim()}>Compare</button>
        {pair && <button className="primary" type="button" onClick={() => void write()} data-testid="diff-write">Write reviewed file</button>}
      </form>
      {written && <p className="ok">Wrote {written}</p>}
      {!pair ? <div className="empty">Pick two baseline files: the one committed and the one a new run learned.</div>
        : entries.length === 0 ? <div className="empty">The two baselines list the same items.</div>
        : <div className="diff" data-testid="baseline-diff">
            <div className="diff-head"><span>before</span><span>after</span><span>decision</span></div>
            {entries.map((e) => <DiffRow key={e.id} entry={e} decision={decisions.get(e.id)} onDecide={(d) => decide(e.id, d)} />)}
          </div>}
    </section>
  );
}

function DiffRow({ entry, decision, onDecide }: { entry: DiffEntry; decision?: Decision; onDecide: (d: Decision) => void }) {
  const label = <><span className="badge service">{entry.service}</span><span className="badge">{entry.list}</span> <span className="mono">{entry.key}</span></>;
  const action = decision?.action ?? 'accept';
  return (
    <div className={`diff-row ${entry.change} ${action}`}>
      <div className="diff-cell">{entry.change === 'removed' ? label : null}</div>
      <div className="diff-cell">{entry.change === 'added' ? label : null}</div>
      <div className="diff-cell decisions">
        {entry.change === 'removed' ? <span className="muted">no longer seen</span> : <>
          <button className={action === 'accept' ? 'on' : ''} onClick={() => onDecide({ action: 'accept' })}>Accept</button>
          <button className={action === 'reject' ? 'on' : ''} onClick={() => onDecide({ action: 'reject' })}>Reject</button>
          {entry.generalisable && (action === 'generalise'
            ? <input className="mono" value={decision?.action === 'generalise' ? decision.pattern : ''} onChange={(e) => onDecide({ action: 'generalise', pattern: e.target.value })} aria-label="Pattern" />
            : <button onClick={() => onDecide({ action: 'generalise', pattern: suggestPattern(entry.key) })}>Generalise</button>)}
        </>}
      </div>
    </div>
  );
}
