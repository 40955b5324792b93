/**
 * The activity timeline: lanes per service and process on a canvas. Wheel zooms around the pointer,
 * dragging pans, shift-drag (or dragging on the time axis) brushes a range that filters every other panel.
 * Keys when focused: + / - zoom, arrows pan, F fits, Esc clears the range.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { isLive, useApp } from '../store/app-store.js';
import { drawTimeline, layoutRows, newTimelineCache, visibleRowCount, type TimelineTheme } from './draw.js';
import { panBy, timeAtX, zoomAt, type TimeView } from './viewport.js';
import { CATEGORY_COLOURS } from './draw.js';
import { CATEGORIES } from '../model/event-log.js';
import { noEventsText } from '../model/views.js';

const GUTTER = 200;
const AXIS = 26;

export interface TimelineMark { time: number; lane?: number }

function readTheme(el: Element): TimelineTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--tl-bg', '#ffffff'), gutter: v('--tl-gutter', '#f4f5f7'), text: v('--text', '#111'), muted: v('--muted', '#666'),
    grid: v('--tl-grid', '#e4e6ea'), brush: v('--accent', '#2b7de9'), service: v('--tl-service', '#eef0f4'), mark: v('--danger', '#e5484d'),
  };
}

export function Timeline({ marks = [], maxHeight = 440 }: { marks?: readonly TimelineMark[]; maxHeight?: number }) {
  const log = useApp((s) => s.log);
  const tick = useApp((s) => s.tick);
  const range = useApp((s) => s.range);
  const playhead = useApp((s) => s.playhead);
  const setRange = useApp((s) => s.setRange);
  const fontScale = useApp((s) => s.fontScale);
  const theme = useApp((s) => s.theme);
  const emptyText = useApp((s) => noEventsText(s.source?.kind === 'capture'
    ? { capture: true, loading: s.source.loading }
    : { capture: false, live: s.run !== undefined && isLive(s.run) }));
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const cache = useMemo(() => newTimelineCache(), []);
  const [size, setSize] = useState({ w: 800, h: 200 });
  const [view, setView] = useState<TimeView | null>(null);
  const [scroll, setScroll] = useState(0);
  const [drag, setDrag] = useState<{ kind: 'pan' | 'brush'; x: number; t: number; view: TimeView } | null>(null);
  const [brushPreview, setBrushPreview] = useState<TimeView | null>(null);
  /** Where the pointer is: time and lane, read out in the header (no tooltip covering the lanes). */
  const [hover, setHover] = useState<{ t: number; lane?: string } | null>(null);
  const rowHeight = Math.round(22 * fontScale);
  const fontPx = Math.round(12.5 * fontScale);

  const bounds = useMemo<TimeView>(() => {
    const t0 = log.firstTime, t1 = log.lastTimeSeen;
    return { t0, t1: Math.max(t1, t0 + 1) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [log, tick]);
  /** Services whose process lanes are folded into their service lane (click the service's name). */
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const layout = useMemo(() => layoutRows(log, collapsed), [log, tick, collapsed]);
  /** Tall enough for every lane up to a limit; beyond it the lanes scroll (wheel over the names). */
  const height = Math.max(140, Math.min(maxHeight, layout.rows.length * rowHeight + AXIS + 12));
  /** Until the user zooms or pans, the view follows the whole run as it grows. */
  const shown = view ?? bounds;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => { setView(null); setScroll(0); setCollapsed(new Set()); }, [log]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const id = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.floor(size.w * dpr)), h = Math.max(1, Math.floor(size.h * dpr));
      if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
      const ctx = c.getContext('2d', { alpha: false });
      if (!ctx) return;
      const n = drawTimeline(ctx, {
        log, view: shown, rows: layout.rows, rowOfLane: layout.rowOfLane, scrollRow: scroll,
        cssWidth: size.w, cssHeight: size.h, dpr, gutter: GUTTER, axis: AXIS, rowHeight, fontPx,
        origin: log.firstTime, brush: brushPreview ?? range, playhead, marks, theme: readTheme(c), collapsed,
      }, cache);
      c.dataset.inView = String(n);
      c.dataset.lanes = String(layout.rows.length);
    });
    return () => cancelAnimationFrame(id);
  }, [log, tick, shown, layout, scroll, size, rowHeight, fontPx, brushPreview, range, playhead, marks, theme, cache, collapsed]);

  const plotX = (clientX: number) => clientX - (canvas.current?.getBoundingClientRect().left ?? 0) - GUTTER;
  const plotW = Math.max(1, size.w - GUTTER);
  const maxScroll = Math.max(0, layout.rows.length - visibleRowCount({ cssHeight: size.h, axis: AXIS, rowHeight }));

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    // A non-passive listener: the wheel zooms the timeline instead of scrolling the page.
    const onWheel = (e: WheelEvent) => {
      const x = plotX(e.clientX);
      if (x < 0) { setScroll((s) => Math.min(maxScroll, Math.max(0, s + Math.sign(e.deltaY) * 3))); e.preventDefault(); return; }
      e.preventDefault();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) { setView(panBy(shown, (e.deltaX / plotW) * (shown.t1 - shown.t0), bounds)); return; }
      setView(zoomAt(shown, Math.exp(e.deltaY * 0.0015), timeAtX(shown, x, plotW), bounds));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  });

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const x = plotX(e.clientX);
    const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
    if (x < 0) {
      // A click on a service's name folds or unfolds its process lanes (an exec storm has thousands).
      const lane = log.laneList[layout.rows[scroll + Math.floor((y - AXIS) / rowHeight)] ?? -1];
      if (y >= AXIS && lane && lane.pid === undefined) {
        setCollapsed((c) => { const n = new Set(c); if (n.has(lane.service)) n.delete(lane.service); else n.add(lane.service); return n; });
      }
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ kind: e.shiftKey || y < AXIS ? 'brush' : 'pan', x, t: timeAtX(shown, x, plotW), view: shown });
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!drag) {
      const x = plotX(e.clientX);
      const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
      const lane = y >= AXIS ? log.laneList[layout.rows[scroll + Math.floor((y - AXIS) / rowHeight)] ?? -1] : undefined;
      setHover(x >= 0 ? { t: timeAtX(shown, x, plotW), lane: lane ? (lane.pid === undefined ? lane.label : `${lane.service} / ${lane.label}`) : undefined } : null);
      return;
    }
    const x = plotX(e.clientX);
    if (drag.kind === 'pan') setView(panBy(drag.view, ((drag.x - x) / plotW) * (drag.view.t1 - drag.view.t0), bounds));
    else { const t = timeAtX(shown, x, plotW); setBrushPreview({ t0: Math.min(drag.t, t), t1: Math.max(drag.t, t) }); }
  };
  const onPointerUp = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (drag?.kind === 'brush') {
      const x = plotX(e.clientX);
      if (Math.abs(x - drag.x) > 3 && brushPreview) setRange(brushPreview);
      else setRange(null);
    }
    setBrushPreview(null);
    setDrag(null);
  };
  const onKey = (e: KeyboardEvent) => {
    const mid = (shown.t0 + shown.t1) / 2, span = shown.t1 - shown.t0;
    if (e.key === '+' || e.key === '=') setView(zoomAt(shown, 0.6, mid, bounds));
    else if (e.key === '-' || e.key === '_') setView(zoomAt(shown, 1 / 0.6, mid, bounds));
    else if (e.key === 'ArrowLeft') setView(panBy(shown, -span * 0.2, bounds));
    else if (e.key === 'ArrowRight') setView(panBy(shown, span * 0.2, bounds));
    else if (e.key === 'ArrowDown') setScroll((s) => Math.min(maxScroll, s + 1));
    else if (e.key === 'ArrowUp') setScroll((s) => Math.max(0, s - 1));
    else if (e.key === 'f' || e.key === 'F') setView(null);
    else if (e.key === 'Escape') setRange(null);
    else return;
    e.preventDefault();
  };

  return (
    <section className="panel timeline-panel" aria-label="Activity timeline">
      <header className="panel-head">
        <h2>Timeline</h2>
        <div className="legend">
          {CATEGORIES.filter((c) => c !== 'other').map((c) => (
            <span key={c} className="legend-item"><i style={{ background: CATEGORY_COLOURS[c] }} />{c}</span>
          ))}
        </div>
        <div className="panel-tools">
          {hover && <span className="muted mono small" data-testid="timeline-cursor">+{fmtSpan(Math.max(0, hover.t - log.firstTime))}{hover.lane ? ` · ${hover.lane}` : ''}</span>}
          {range && <button className="chip" onClick={() => setRange(null)} title="Esc">range {fmtSpan(range.t1 - range.t0)} ✕</button>}
          <button onClick={() => setView(null)} title="F">Fit</button>
        </div>
      </header>
      <div ref={wrap} className="timeline-canvas-wrap" style={{ height }}>
        {log.length === 0
          ? <div className="empty" data-testid="timeline-empty">{emptyText}</div>
          : <canvas
              ref={canvas}
              data-testid="timeline"
              tabIndex={0}
              aria-label="Timeline: wheel to zoom, drag to pan, shift-drag to select a range"
              style={{ width: size.w, height: size.h, cursor: drag?.kind === 'pan' ? 'grabbing' : 'crosshair' }}
              onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerLeave={() => setHover(null)}
              onDoubleClick={() => setView(null)} onKeyDown={onKey}
            />}
      </div>
      <p className="hint">
        {maxScroll > 0 && (
          // More lanes than fit: say which are shown, and how to reach the others.
          <strong data-testid="timeline-rows">lanes {scroll + 1}–{Math.min(layout.rows.length, scroll + layout.rows.length - maxScroll)} of {layout.rows.length} (wheel over the names to scroll) · </strong>
        )}
        Wheel: zoom · drag: pan · shift-drag or drag on the axis: select a range · F: fit · Esc: clear · click a service name to fold its processes
      </p>
    </section>
  );
}

export function fmtSpan(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}
