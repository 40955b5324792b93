/** Run state at a glance: status, elapsed time, counts and rates per category, and the dropped-events counter. */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../store/app-store.js';
import { CATEGORIES, type EventLog } from '../model/event-log.js';
import { CATEGORY_COLOURS } from '../timeline/draw.js';
import { runNotes } from '../model/run-notes.js';

/** Events per category; with `until` (a replay's playhead), only those at or before it. */
export function countByCategory(log: EventLog, until: number | null = null): number[] {
  const counts = new Array<number>(CATEGORIES.length).fill(0);
  const cats = log.categories;
  if (until === null) {
    for (let i = 0; i < log.length; i++) counts[cats[i]!]!++;
    return counts;
  }
  // The same cut-off as the panels' (visibleEvents), so the header and the panels agree.
  const [from, to] = log.window(-Infinity, until + 0.0005);
  for (let i = from; i < to; i++) if (log.times[i]! <= until + 0.0005) counts[cats[i]!]!++;
  return counts;
}

/** Events per second over the last second of event time. */
/** Events in the second before `end` (a live run: now, so an idle app shows 0/s, not its last burst). */
export function recentRate(log: EventLog, end: number): number {
  if (log.length === 0) return 0;
  const [from, to] = log.window(end - 1000, Infinity);
  let n = 0;
  for (let i = from; i < to; i++) if (log.times[i]! >= end - 1000) n++;
  return n;
}

export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function RunHeader({ title, onStop, extra }: { title: string; onStop?: () => void; extra?: React.ReactNode }) {
  const log = useApp((s) => s.log);
  const tick = useApp((s) => s.tick);
  const run = useApp((s) => s.run);
  // A replay's playhead: the header tells the run as far as it has been played.
  const playhead = useApp((s) => (s.source?.kind === 'capture' ? s.playhead : null));
  const [now, setNow] = useState(Date.now());
  const live = run && (run.status === 'running' || run.status === 'starting' || run.status === 'stopping');
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [live]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const counts = useMemo(() => countByCategory(log, playhead), [log, tick, playhead]);
  const total = useMemo(() => counts.reduce((a, b) => a + b, 0), [counts]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  // Live: the last second. Ended, or a replay: the average over the run (its last second says little).
  const end = playhead ?? log.lastTimeSeen;
  // An average over less than a second is no rate (one event at the start read as 1,000/s).
  const span = Math.max(1000, end - log.firstTime) / 1000;
  const rate = useMemo(() => (live ? recentRate(log, now) : Math.round(total / span)), [log, tick, live, now, span, total]);
  const elapsed = playhead !== null ? playhead - log.firstTime
    : run?.startedAt ? (run.endedAt ?? (live ? now : log.lastTimeSeen)) - run.startedAt : log.lastTimeSeen - log.firstTime;
  const dropped = run?.dropped ?? 0;
  return (
    <div className="run-header" data-testid="run-header">
      <div className="run-title">
        <h1 title={title}>{title}</h1>
        {run && <span className={`status status-${run.status}`} data-testid="run-status">{run.status}{run.exitCode !== undefined ? ` (${run.exitCode})` : ''}</span>}
        {run?.incomplete && <span className="badge danger" title="The stream ended without the probe's END frame">incomplete</span>}
        {run?.stoppedBy && <span className="badge" data-testid="stopped-by" title={STOPPED_BY_TITLE}>{STOPPED_BY[run.stoppedBy]}</span>}
      </div>
      <dl className="stats">
        <div><dt>elapsed</dt><dd className="mono">{fmtDuration(elapsed)}</dd></div>
        <div><dt>events</dt><dd className="mono" data-testid="total-events" title={playhead !== null ? `${log.length.toLocaleString()} in the whole capture` : undefined}>{total.toLocaleString()}</dd></div>
        <div><dt>{live ? 'rate' : 'avg rate'}</dt><dd className="mono" data-testid="rate">{rate.toLocaleString()}/s</dd></div>
        <div className={dropped > 0 ? 'dropped bad' : 'dropped'} title="Events proven lost by sequence gaps: must stay 0">
          <dt>dropped</dt><dd className="mono" data-testid="dropped">{dropped.toLocaleString()}</dd>
        </div>
        {CATEGORIES.map((c, i) => counts[i] ? (
          <div key={c} className="cat-stat"><dt><i style={{ background: CATEGORY_COLOURS[c] }} />{c}</dt><dd className="mono">{counts[i]!.toLocaleString()}</dd></div>
        ) : null)}
      </dl>
      <div className="run-actions">
        {extra}
        {onStop && live && <button className="danger-button" onClick={onStop}>Stop</button>}
      </div>
      {run?.error && <p className="error-line">{run.error}</p>}
      <RunNotes />
    </div>
  );
}

/** The run's warnings and errors, and the probe's notices that call for a decision (model/run-notes.ts). */
function RunNotes() {
  const log = useApp((s) => s.log);
  const tick = useApp((s) => s.tick);
  const messages = useApp((s) => s.run?.messages);
  const playhead = useApp((s) => (s.source?.kind === 'capture' ? s.playhead : null));
  const [open, setOpen] = useState(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const notes = useMemo(() => runNotes(messages, playhead === null ? log.notices : log.notices.filter((n) => n.time <= playhead + 0.0005)),
    [messages, log, tick, log.notices.length, playhead]);
  if (notes.length === 0) return null;
  const shown = open ? notes : notes.slice(0, NOTES_FOLDED);
  return (
    <ul className="run-notes" data-testid="run-notes" aria-label="Run notes">
      {shown.map((n) => (
        <li key={`${n.code}\0${n.service ?? ''}\0${n.text}`} className={`note note-${n.level}`}>
          <span className="note-code mono">{n.code}</span>
          {n.service && <span className="note-service">{n.service}</span>}
          <span className="note-text">{n.text}</span>
          {n.fix && <span className="note-fix">{n.fix}</span>}
        </li>
      ))}
      {notes.length > NOTES_FOLDED && (
        <li><button className="link" onClick={() => setOpen(!open)}>{open ? 'Show fewer' : `Show all ${notes.length} notes`}</button></li>
      )}
    </ul>
  );
}

const NOTES_FOLDED = 3;

const STOPPED_BY = { duration: 'stopped on schedule', until: 'ended with its --until service', request: 'stopped by you' } as const;
const STOPPED_BY_TITLE = 'Imprint stopped the app: an exit code of 128 + N is its answer to stop signal N (143 for SIGTERM), not a failure';
