/**
 * Deviations from the loaded baseline, live: the verdict, one row per deviation with the event behind it.
 * Items are shown in the log view's display form (readableText); they are matched as stored.
 */
import type { Highlights } from '../baseline/live-check.js';
import { deviationTitle } from '../baseline/live-check.js';
import { describeEvent } from '../model/views.js';
import { readableText } from '../../../common/protocol/text.js';

export function Deviations({ highlights, path, origin }: { highlights?: Highlights; path?: string; origin: number }) {
  if (!highlights) {
    return (
      <section className="panel" aria-label="Deviations">
        <header className="panel-head"><h2>Deviations</h2></header>
        <div className="empty">No baseline loaded. Load one on the Baselines screen (B) to see what this run does differently.</div>
      </section>
    );
  }
  const { result } = highlights;
  return (
    <section className="panel" aria-label="Deviations">
      <header className="panel-head">
        <h2>Deviations</h2>
        <span className={`badge verdict-${result.verdict}`} data-testid="verdict">{result.verdict}</span>
        {/* a clean check shows a calm 0, not an alarm */}
        <span className={`badge${result.deviations.length ? ' danger' : ''}`} data-testid="deviation-count">{result.deviations.length}</span>
        <span className="muted mono" title={path}>{path}</span>
      </header>
      <div className="panel-scroll" data-testid="deviations">
        {result.deviations.length === 0
          ? <div className="empty">Everything this run did is in the baseline.</div>
          : <ul className="deviation-list">
              {result.deviations.map((d) => (
                <li key={`${d.rule}|${d.service}|${d.item}`}>
                  <span className="badge danger">{deviationTitle(d)}</span>
                  <span className="badge service">{d.service}</span>
                  <span className="mono item">{readableText(d.item)}</span>
                  {d.count > 1 && <span className="muted">×{d.count}</span>}
                  <div className="muted small mono">+{((d.event.time - origin) / 1000).toFixed(3)}s · {readableText(d.exe)} · {d.event.kind} {describeEvent(d.event)}</div>
                </li>
              ))}
            </ul>}
        {result.incomplete.length > 0 && <p className="warn">Capture incomplete ({result.incomplete.join(', ')}): a clean result would not be proof.</p>}
      </div>
    </section>
  );
}
