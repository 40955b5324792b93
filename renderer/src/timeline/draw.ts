/**
 * One frame of the timeline on a 2D canvas: lane gutter with labels, the rasterized event lanes, the time
 * axis, the brushed range, deviation marks and the replay playhead. Pure of React so the benchmark draws
 * exactly what the app draws.
 */
import { CATEGORIES, type EventLog } from '../model/event-log.js';
import { rasterize, rgba, type RasterScratch } from './raster.js';
import { formatOffset, ticks, xAtTime, type TimeView } from './viewport.js';

export const CATEGORY_COLOURS: Record<string, string> = {
  process: '#7c5cff', file: '#1f9e89', network: '#2b7de9', dns: '#d99a00', security: '#e5484d', log: '#8a8f98', other: '#b07cc6',
};

export interface TimelineTheme { background: string; gutter: string; text: string; muted: string; grid: string; brush: string; service: string; mark: string }

export interface TimelineFrame {
  log: EventLog;
  view: TimeView;
  /** Rows in display order (lane indices) and the lane's row. */
  rows: number[];
  rowOfLane: Int32Array;
  scrollRow: number;
  cssWidth: number;
  cssHeight: number;
  dpr: number;
  gutter: number;
  axis: number;
  rowHeight: number;
  fontPx: number;
  origin: number;
  brush: TimeView | null;
  playhead: number | null;
  marks: readonly { time: number; lane?: number }[];
  theme: TimelineTheme;
  /** Services shown folded (their name gets a ▸). */
  collapsed?: ReadonlySet<string>;
}

export interface TimelineCache { scratch: RasterScratch; image?: ImageData; pixels?: Uint32Array; palette: Uint32Array }

export function newTimelineCache(): TimelineCache {
  return { scratch: { counts: new Uint32Array(0) }, palette: Uint32Array.from(CATEGORIES.map((c) => rgba(CATEGORY_COLOURS[c]!))) };
}

export function visibleRowCount(f: Pick<TimelineFrame, 'cssHeight' | 'axis' | 'rowHeight'>): number {
  return Math.max(0, Math.floor((f.cssHeight - f.axis) / f.rowHeight));
}

/** Draws one frame; returns how many events were in view. */
export function drawTimeline(ctx: CanvasRenderingContext2D, f: TimelineFrame, cache: TimelineCache): number {
  const { dpr, theme } = f;
  const plotW = Math.max(1, Math.floor((f.cssWidth - f.gutter) * dpr));
  const rowH = Math.max(2, Math.round(f.rowHeight * dpr));
  const rowCount = Math.min(visibleRowCount(f), Math.max(0, f.rows.length - f.scrollRow));
  const plotH = Math.max(1, rowCount * rowH);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);

  let inView = 0;
  if (rowCount > 0) {
    if (!cache.image || cache.image.width !== plotW || cache.image.height !== plotH) {
      cache.image = new ImageData(plotW, plotH);
      cache.pixels = new Uint32Array(cache.image.data.buffer);
    }
    const pixels = cache.pixels!;
    pixels.fill(canvasColour(ctx, theme.background));
    inView = rasterize(f.log, f.view, { rowOfLane: f.rowOfLane, firstRow: f.scrollRow, rowCount, rowHeight: rowH, width: plotW }, cache.palette, pixels, cache.scratch);
    // putImageData replaces pixels rather than blending, so the buffer carries its own background.
    ctx.putImageData(cache.image, Math.round(f.gutter * dpr), Math.round(f.axis * dpr));
  }

  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const plotCss = f.cssWidth - f.gutter;
  // Row separators and service rows shaded so the grouping reads at a glance.
  for (let r = 0; r < rowCount; r++) {
    const lane = f.log.laneList[f.rows[f.scrollRow + r]!];
    const y = f.axis + r * f.rowHeight;
    if (lane && lane.pid === undefined) {
      ctx.fillStyle = theme.service;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(f.gutter, y, plotCss, f.rowHeight);
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = theme.grid;
    ctx.fillRect(f.gutter, y + f.rowHeight - 1, plotCss, 1);
  }
  // Gutter with lane labels (canvas text: container-provided names are never parsed as markup).
  ctx.fillStyle = theme.gutter;
  ctx.fillRect(0, 0, f.gutter, f.cssHeight);
  ctx.font = `${f.fontPx}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let r = 0; r < rowCount; r++) {
    const lane = f.log.laneList[f.rows[f.scrollRow + r]!];
    if (!lane) continue;
    const y = f.axis + r * f.rowHeight + f.rowHeight / 2;
    const service = lane.pid === undefined;
    ctx.fillStyle = service ? theme.text : theme.muted;
    ctx.font = `${service ? '600 ' : ''}${f.fontPx}px system-ui, sans-serif`;
    const label = service ? `${f.collapsed?.has(lane.service) ? '▸' : '▾'} ${lane.label}` : lane.label;
    ctx.fillText(clip(ctx, label, f.gutter - (service ? 12 : 24)), service ? 6 : 20, y);
  }
  // Axis.
  ctx.fillStyle = theme.gutter;
  ctx.fillRect(f.gutter, 0, plotCss, f.axis);
  ctx.font = `${Math.round(f.fontPx * 0.9)}px system-ui, sans-serif`;
  // Ticks at round offsets from the run's start (+100 ms, +200 ms), not at round wall-clock times.
  const marks = ticks({ t0: f.view.t0 - f.origin, t1: f.view.t1 - f.origin }, plotCss).map((t) => t + f.origin);
  const step = marks.length > 1 ? marks[1]! - marks[0]! : f.view.t1 - f.view.t0;
  for (const t of marks) {
    const x = f.gutter + xAtTime(f.view, t, plotCss);
    ctx.fillStyle = theme.grid;
    ctx.fillRect(x, f.axis - 6, 1, f.cssHeight);
    ctx.fillStyle = theme.muted;
    ctx.fillText(formatOffset(t - f.origin, step), x + 4, f.axis / 2);
  }
  const clipPlot = () => { ctx.save(); ctx.beginPath(); ctx.rect(f.gutter, 0, plotCss, f.cssHeight); ctx.clip(); };
  clipPlot();
  if (f.brush) {
    const x0 = f.gutter + xAtTime(f.view, f.brush.t0, plotCss);
    const x1 = f.gutter + xAtTime(f.view, f.brush.t1, plotCss);
    ctx.fillStyle = theme.brush;
    ctx.globalAlpha = 0.18;
    ctx.fillRect(x0, 0, x1 - x0, f.cssHeight);
    ctx.globalAlpha = 1;
    ctx.fillRect(x0, 0, 1.5, f.cssHeight);
    ctx.fillRect(x1 - 1.5, 0, 1.5, f.cssHeight);
  }
  if (f.marks.length) {
    ctx.fillStyle = theme.mark;
    for (const m of f.marks.slice(0, 5000)) {
      const x = f.gutter + xAtTime(f.view, m.time, plotCss);
      ctx.beginPath();
      ctx.moveTo(x - 5, f.axis - 1); ctx.lineTo(x + 5, f.axis - 1); ctx.lineTo(x, f.axis + 7);
      ctx.fill();
      const row = m.lane === undefined ? -1 : f.rowOfLane[m.lane]! - f.scrollRow;
      if (row >= 0 && row < rowCount) ctx.fillRect(x - 1, f.axis + row * f.rowHeight + 1, 2, f.rowHeight - 2);
    }
  }
  if (f.playhead !== null) {
    const x = f.gutter + xAtTime(f.view, f.playhead, plotCss);
    ctx.fillStyle = theme.text;
    ctx.fillRect(x - 1, 0, 2, f.cssHeight);
  }
  ctx.restore();
  return inView;
}

/**
 * A CSS colour as an ImageData word. The canvas parses it (so `#fff`, `rgb()` and names all work: the CSS
 * minifier shortens custom-property colours) and hands it back as `#rrggbb` or `rgba(r, g, b, a)`.
 */
export function canvasColour(ctx: CanvasRenderingContext2D, colour: string): number {
  ctx.fillStyle = '#000000';
  ctx.fillStyle = colour;
  const s = String(ctx.fillStyle);
  if (s.startsWith('#')) return rgba(s);
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(s);
  if (!m) return rgba('#000000');
  const hex = '#' + [m[1], m[2], m[3]].map((v) => Math.round(Number(v)).toString(16).padStart(2, '0')).join('');
  return rgba(hex, Math.round(255 * (m[4] === undefined ? 1 : Number(m[4]))));
}

function clip(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= max) lo = mid; else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

/** Rows in display order: each service's aggregate lane, then its processes, services in first-seen order. */
export function layoutRows(log: EventLog, collapsed: ReadonlySet<string>): { rows: number[]; rowOfLane: Int32Array } {
  const byService = new Map<string, number[]>();
  log.laneList.forEach((lane, i) => {
    let list = byService.get(lane.service);
    if (!list) byService.set(lane.service, (list = []));
    if (lane.pid === undefined) list.unshift(i); else if (!collapsed.has(lane.service)) list.push(i);
  });
  const rows = [...byService.values()].flat();
  const rowOfLane = new Int32Array(log.laneList.length).fill(-1);
  rows.forEach((lane, r) => { rowOfLane[lane] = r; });
  return { rows, rowOfLane };
}
