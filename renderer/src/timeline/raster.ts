/**
 * Draws the timeline's event lanes into a pixel buffer in one pass over the visible events, with no canvas
 * call per event: counts per (row, pixel column, category), then one stacked bar per column whose height
 * grows with the log of its count. One putImageData afterwards; this is what keeps a million events smooth.
 */
import { CATEGORIES, type EventLog } from '../model/event-log.js';
import type { TimeView } from './viewport.js';

export const CATEGORY_COUNT = CATEGORIES.length;

export interface RasterLayout {
  /** Row of each lane on screen, or -1 when the lane is collapsed or filtered out. */
  rowOfLane: Int32Array;
  /** First row drawn (vertical scroll) and how many fit. */
  firstRow: number;
  rowCount: number;
  rowHeight: number;
  width: number;
}

export interface RasterScratch { counts: Uint32Array }

/** Colours as little-endian RGBA words (the byte order of ImageData on every platform we ship). */
export function rgba(hex: string, alpha = 255): number {
  const v = parseInt(hex.replace('#', ''), 16);
  return ((alpha << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

/**
 * Fills `pixels` (width * rowCount * rowHeight words, already cleared by the caller) and returns how many
 * events fell inside the view.
 */
export function rasterize(log: EventLog, view: TimeView, layout: RasterLayout, palette: Uint32Array, pixels: Uint32Array, scratch: RasterScratch): number {
  const { width, rowCount, rowHeight, firstRow, rowOfLane } = layout;
  const cells = width * rowCount * CATEGORY_COUNT;
  if (scratch.counts.length < cells) scratch.counts = new Uint32Array(cells);
  const counts = scratch.counts;
  counts.fill(0, 0, cells);
  const span = view.t1 - view.t0;
  if (span <= 0 || width <= 0 || rowCount <= 0 || log.length === 0) return 0;
  const scale = width / span;
  const [from, to] = log.window(view.t0, view.t1);
  const { times, lanes, categories } = log;
  const t0 = view.t0, t1 = view.t1;
  // Rows per lane resolved once per frame into typed arrays: the loop below runs up to a million times.
  const laneCount = log.laneList.length;
  const ownRow = new Int32Array(laneCount), svcRow = new Int32Array(laneCount);
  for (let l = 0; l < laneCount; l++) {
    const r = rowOfLane[l]! - firstRow;
    ownRow[l] = r >= 0 && r < rowCount ? r * width : -1;
    const s = rowOfLane[log.serviceLaneOf[l]!]! - firstRow;
    svcRow[l] = s >= 0 && s < rowCount ? s * width : -1;
  }
  let inView = 0;
  for (let i = from; i < to; i++) {
    const t = times[i]!;
    if (t < t0 || t >= t1) continue;
    inView++;
    const lane = lanes[i]!;
    const x = ((t - t0) * scale) | 0;
    const cat = categories[i]!;
    const own = ownRow[lane]!;
    if (own >= 0) counts[(own + x) * CATEGORY_COUNT + cat]!++;
    const svc = svcRow[lane]!;
    if (svc >= 0) counts[(svc + x) * CATEGORY_COUNT + cat]!++;
  }
  let max = 1;
  for (let c = 0; c < width * rowCount; c++) {
    let total = 0;
    for (let k = 0; k < CATEGORY_COUNT; k++) total += counts[c * CATEGORY_COUNT + k]!;
    if (total > max) max = total;
  }
  const pad = Math.max(1, Math.round(rowHeight * 0.15));
  const barArea = rowHeight - 2 * pad;
  const logMax = Math.log1p(max);
  for (let row = 0; row < rowCount; row++) {
    const bottom = row * rowHeight + rowHeight - pad;
    for (let x = 0; x < width; x++) {
      const base = (row * width + x) * CATEGORY_COUNT;
      let total = 0;
      for (let k = 0; k < CATEGORY_COUNT; k++) total += counts[base + k]!;
      if (total === 0) continue;
      const height = Math.max(2, Math.round(barArea * (0.3 + 0.7 * Math.log1p(total) / logMax)));
      let y = bottom;
      for (let k = 0; k < CATEGORY_COUNT; k++) {
        const n = counts[base + k]!;
        if (n === 0) continue;
        const h = Math.max(1, Math.round((height * n) / total));
        const colour = palette[k]!;
        for (let j = 0; j < h && y > bottom - height; j++) { y--; pixels[y * width + x] = colour; }
      }
    }
  }
  return inView;
}
