/**
 * The UI benchmark page (test/bench/ui.bench.ts drives it in headless Chromium). It draws with the app's
 * own timeline and graph code: a million-event timeline panned and zoomed frame by frame, and a
 * 300-node, 3,000-edge connection graph laid out until it settles, then zoomed and dragged.
 */
import '../zod-config.js';
import type { ImprintEvent } from '../../../common/events.js';
import { EventLog } from '../model/event-log.js';
import { drawTimeline, layoutRows, newTimelineCache, type TimelineTheme } from '../timeline/draw.js';
import { panBy, zoomAt, type TimeView } from '../timeline/viewport.js';
import { createLayout } from '../graph/force-layout.js';
import { drawGraph, type GraphTheme } from '../graph/draw-graph.js';
import { stepLayout } from '../graph/ConnectionGraph.js';
import type { ConnectionGraph } from '../model/views.js';

const KINDS = ['open', 'open', 'open', 'exec', 'connect', 'log', 'dns', 'fork', 'exit', 'unlink'] as const;

/** Deterministic pseudo-random numbers so every run draws the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function syntheticEvents(n: number, services: number, perService: number, spanMs: number): ImprintEvent[] {
  const r = rng(42);
  const out: ImprintEvent[] = new Array(n);
  const t0 = 1_760_000_000_000;
  // Times sorted, as a probe delivers them (per container in order; the log copes with small skew).
  const times = Float64Array.from({ length: n }, () => { const burst = r() < 0.6 ? ((r() * 5) | 0) * 0.2 + r() * 0.02 : r(); return t0 + burst * spanMs; }).sort();
  for (let i = 0; i < n; i++) {
    const svc = (r() * services) | 0;
    const kind = KINDS[(r() * KINDS.length) | 0]!;
    // Bursty load (above): most events cluster in a few busy stretches, like real start-ups.
    out[i] = { kind, seq: i, time: times[i]!, service: `svc-${svc}`, container: `c${svc}`, pid: 1 + ((r() * perService) | 0), tid: 1 } as unknown as ImprintEvent;
  }
  return out;
}

const light: TimelineTheme = { background: '#ffffff', gutter: '#f4f5f7', text: '#111111', muted: '#666666', grid: '#e4e6ea', brush: '#2b7de9', service: '#eef0f4', mark: '#e5484d' };

async function frame(): Promise<void> { await new Promise((ok) => requestAnimationFrame(() => ok(undefined))); }

export async function timeline(n: number): Promise<{ frames: number[]; events: number; lanes: number }> {
  const log = new EventLog();
  const events = syntheticEvents(n, 6, 24, 120_000);
  for (let i = 0; i < events.length; i += 50_000) log.append(events.slice(i, i + 50_000));
  const canvas = document.getElementById('timeline') as HTMLCanvasElement;
  const ctx = canvas.getContext('2d', { alpha: false })!;
  const cache = newTimelineCache();
  const { rows, rowOfLane } = layoutRows(log, new Set());
  const bounds: TimeView = { t0: log.firstTime, t1: log.lastTimeSeen };
  let view = bounds;
  const frames: number[] = [];
  const steps: ((v: TimeView) => TimeView)[] = [];
  for (let i = 0; i < 40; i++) steps.push((v) => zoomAt(v, 0.9, v.t0 + (v.t1 - v.t0) * 0.3, bounds));
  for (let i = 0; i < 40; i++) steps.push((v) => panBy(v, (v.t1 - v.t0) * 0.03, bounds));
  for (let i = 0; i < 40; i++) steps.push((v) => zoomAt(v, 1 / 0.9, (v.t0 + v.t1) / 2, bounds));
  for (let i = 0; i < 40; i++) steps.push((v) => panBy(v, -(v.t1 - v.t0) * 0.01, bounds));
  for (const step of steps) {
    view = step(view);
    const start = performance.now();
    drawTimeline(ctx, {
      log, view, rows, rowOfLane, scrollRow: 0, cssWidth: 1600, cssHeight: 700, dpr: 1, gutter: 200, axis: 26, rowHeight: 22,
      fontPx: 12, origin: bounds.t0, brush: null, playhead: null, marks: [], theme: light,
    }, cache);
    ctx.getImageData(0, 0, 1, 1); // wait for the canvas to finish, so the time is the whole frame's work
    frames.push(performance.now() - start);
    await frame();
  }
  return { frames, events: log.length, lanes: rows.length };
}

function syntheticGraph(nodes: number, edges: number): ConnectionGraph {
  const r = rng(7);
  const services = 30, ports = 70;
  const list: ConnectionGraph['nodes'] = [];
  for (let i = 0; i < nodes; i++) {
    const kind = i < services ? 'service' : i < services + ports ? 'port' : 'endpoint';
    list.push({ id: `n${i}`, kind, label: kind === 'service' ? `service-${i}` : kind === 'port' ? `tcp/${8000 + i}` : `host-${i}.example.internal`, events: 1 + ((r() * 100) | 0) });
  }
  const seen = new Set<string>();
  const out: ConnectionGraph['edges'] = [];
  while (out.length < edges) {
    const s = (r() * services) | 0, t = (r() * nodes) | 0;
    const id = `n${s}\u2192n${t}`;
    if (s === t || seen.has(id)) continue;
    seen.add(id);
    out.push({ id, source: `n${s}`, target: `n${t}`, protocols: ['tcp'], ports: [443], count: 1 + ((r() * 500) | 0), failed: 0, first: 0, last: 1 });
  }
  return { nodes: list, edges: out };
}

const graphTheme: GraphTheme = { background: '#ffffff', text: '#111', muted: '#666', edge: '#9aa3b2', danger: '#e5484d', accent: '#2b7de9', service: '#2b7de9', endpoint: '#1f9e89', port: '#d99a00', halo: 'rgba(43,125,233,.25)' };

export async function graph(nodes: number, edges: number): Promise<{ settleMs: number; ticks: number; interactFrames: number[] }> {
  const canvas = document.getElementById('graph') as HTMLCanvasElement;
  const ctx = canvas.getContext('2d')!;
  const size = { w: 1200, h: 800, dpr: 1 };
  const start = performance.now();
  const layout = createLayout(syntheticGraph(nodes, edges));
  let ticks = 0;
  for (;;) {
    const before = layout.sim.alpha();
    const moving = stepLayout(layout, 12);
    ticks += Math.round(Math.log(layout.sim.alpha() / before) / Math.log(1 - layout.sim.alphaDecay()));
    drawGraph(ctx, layout, { x: 0, y: 0, k: 0.6 }, size, graphTheme, { fontPx: 12 });
    await frame();
    if (!moving) break;
  }
  const settleMs = performance.now() - start;
  // Interactive afterwards: zooming and dragging a node (which reheats the layout) frame by frame.
  const interactFrames: number[] = [];
  const node = layout.nodes[0]!;
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    if (i >= 30) { node.fx = (node.x ?? 0) + 3; node.fy = node.y ?? 0; layout.sim.alphaTarget(0.2).alpha(Math.max(layout.sim.alpha(), 0.2)); layout.sim.tick(); }
    drawGraph(ctx, layout, { x: i * 2, y: 0, k: 0.6 + i * 0.01 }, size, graphTheme, { fontPx: 12, selected: node.id });
    ctx.getImageData(0, 0, 1, 1);
    interactFrames.push(performance.now() - t0);
    await frame();
  }
  return { settleMs, ticks, interactFrames };
}

declare global { interface Window { imprintBench?: { timeline: typeof timeline; graph: typeof graph } } }
window.imprintBench = { timeline, graph };
document.title = 'Imprint UI benchmark: ready';
