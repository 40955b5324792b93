/** Zoom and pan arithmetic for the timeline, in milliseconds since the epoch. Pure. */
export interface TimeView { t0: number; t1: number }

/** The smallest span the view zooms into: 50 microseconds. */
export const MIN_SPAN = 0.05;

export function zoomAt(view: TimeView, factor: number, anchor: number, bounds?: TimeView): TimeView {
  const span = Math.max(MIN_SPAN, (view.t1 - view.t0) * factor);
  const ratio = (anchor - view.t0) / (view.t1 - view.t0 || 1);
  const t0 = anchor - span * ratio;
  return clamp({ t0, t1: t0 + span }, bounds);
}

export function panBy(view: TimeView, delta: number, bounds?: TimeView): TimeView {
  return clamp({ t0: view.t0 + delta, t1: view.t1 + delta }, bounds);
}

/** Keeps the view within the data plus a little room, and never wider than that. */
export function clamp(view: TimeView, bounds?: TimeView): TimeView {
  if (!bounds) return view;
  const room = Math.max((bounds.t1 - bounds.t0) * 0.05, MIN_SPAN);
  const lo = bounds.t0 - room, hi = bounds.t1 + room;
  let { t0, t1 } = view;
  const span = Math.min(t1 - t0, hi - lo);
  if (t0 < lo) { t0 = lo; t1 = lo + span; }
  if (t1 > hi) { t1 = hi; t0 = hi - span; }
  return { t0, t1 };
}

export function timeAtX(view: TimeView, x: number, width: number): number {
  return view.t0 + (x / width) * (view.t1 - view.t0);
}

export function xAtTime(view: TimeView, t: number, width: number): number {
  return ((t - view.t0) / (view.t1 - view.t0)) * width;
}

/** Tick marks at a 1-2-5 step that gives roughly one label per `pixelsPerTick`. */
export function ticks(view: TimeView, width: number, pixelsPerTick = 110): number[] {
  const span = view.t1 - view.t0;
  if (!(span > 0) || width <= 0) return [];
  const raw = (span / width) * pixelsPerTick;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1 && out.length < 200; t += step) out.push(t);
  return out;
}

/** A tick label relative to the run's start: "+1.25 s", "+340 ms", "+12 µs". */
export function formatOffset(ms: number, step: number): string {
  if (step >= 1000 || Math.abs(ms) >= 60_000) return `+${(ms / 1000).toFixed(step >= 1000 ? 0 : step >= 100 ? 1 : 2)} s`;
  if (step >= 1) return `+${ms.toFixed(0)} ms`;
  if (step >= 0.01) return `+${ms.toFixed(2)} ms`;
  return `+${(ms * 1000).toFixed(0)} µs`;
}
