/**
 * The connection graph: services, the outside endpoints they talk to (by DNS name when one was seen) and
 * the ports they listen on; edge width by volume. Wheel zooms, drag pans, drag a node to move it, click a
 * node or an edge for details. Deviant nodes and edges (not in the loaded baseline) are drawn red.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { useApp } from '../store/app-store.js';
import type { ConnectionGraph as Graph } from '../model/views.js';
import { createLayout, type Layout, type SimNode } from './force-layout.js';
import { drawGraph, type GraphTheme, type GraphTransform } from './draw-graph.js';
import { fmtSpan } from '../timeline/Timeline.js';

/** Ticks the layout for at most `budgetMs` per frame: big graphs settle fast without freezing the page. */
/** The node list beside the graph is for picking; past this many it is a list nobody scrolls. */
const NODE_LIST_MAX = 200;

export function stepLayout(layout: Layout, budgetMs = 8): boolean {
  const start = performance.now();
  const sim = layout.sim;
  while (sim.alpha() > sim.alphaMin() && performance.now() - start < budgetMs) sim.tick();
  return sim.alpha() > sim.alphaMin();
}

export function readGraphTheme(el: Element): GraphTheme {
  const css = getComputedStyle(el);
  const v = (n: string, f: string) => css.getPropertyValue(n).trim() || f;
  return {
    background: v('--panel', '#fff'), text: v('--text', '#111'), muted: v('--muted', '#666'), edge: v('--edge', '#9aa3b2'),
    danger: v('--danger', '#e5484d'), accent: v('--accent', '#2b7de9'), service: v('--accent', '#2b7de9'),
    endpoint: v('--endpoint', '#1f9e89'), port: v('--port', '#d99a00'), halo: v('--halo', 'rgba(43,125,233,.25)'),
  };
}

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function ConnectionGraph({ graph, deviant, height = 380 }: { graph: Graph; deviant?: ReadonlySet<string>; height?: number }) {
  const selection = useApp((s) => s.selection);
  const selectItem = useApp((s) => s.select);
  const fontScale = useApp((s) => s.fontScale);
  const theme = useApp((s) => s.theme);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<Layout | undefined>(undefined);
  const transform = useRef<GraphTransform>({ x: 0, y: 0, k: 1 });
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | undefined>(undefined);
  const dragging = useRef<SimNode | undefined>(undefined);
  const [size, setSize] = useState({ w: 600, h: height });
  const [, redraw] = useState(0);
  const frame = useRef(0);
  /** Until the user zooms or pans, the view fits the graph whenever it settles. */
  const userMoved = useRef(false);

  const layout = useMemo(() => (layoutRef.current = createLayout(graph, layoutRef.current)), [graph]);

  const paint = () => {
    const c = canvas.current;
    if (!c) return;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    drawGraph(ctx, layout, transform.current, { w: size.w, h: size.h, dpr: window.devicePixelRatio || 1 }, readGraphTheme(c),
      { selected: selection?.id, deviant, fontPx: Math.round(12 * fontScale) });
  };
  const animate = () => {
    cancelAnimationFrame(frame.current);
    const loop = () => {
      const moving = stepLayout(layout);
      paint();
      if (moving || dragging.current) frame.current = requestAnimationFrame(loop);
      else if (canvas.current) { canvas.current.dataset.settled = 'true'; if (!userMoved.current) fitToGraph(); }
    };
    if (canvas.current) canvas.current.dataset.settled = 'false';
    frame.current = requestAnimationFrame(loop);
  };

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.floor(size.w * dpr); c.height = Math.floor(size.h * dpr);
    animate();
    return () => cancelAnimationFrame(frame.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout, size, selection, deviant, fontScale, theme]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.1, 8])
      .filter((event: Event) => !dragging.current && !(event instanceof MouseEvent && event.type === 'mousedown' && nodeAt(event) !== undefined))
      .on('zoom', (event: { transform: GraphTransform; sourceEvent?: unknown }) => {
        if (event.sourceEvent) userMoved.current = true;
        transform.current = event.transform;
        paint();
      });
    zoomRef.current = z;
    select(c).call(z).on('dblclick.zoom', null);
    return () => { select(c).on('.zoom', null); };
  });

  const toGraph = (clientX: number, clientY: number) => {
    const r = canvas.current!.getBoundingClientRect();
    const t = transform.current;
    return { x: (clientX - r.left - size.w / 2 - t.x) / t.k, y: (clientY - r.top - size.h / 2 - t.y) / t.k };
  };
  function nodeAt(e: { clientX: number; clientY: number }): SimNode | undefined {
    const p = toGraph(e.clientX, e.clientY);
    const n = layout.sim.find(p.x, p.y, 24 / transform.current.k);
    return n && Math.hypot(n.x! - p.x, n.y! - p.y) <= n.radius + 6 / transform.current.k ? n : undefined;
  }

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const n = nodeAt(e);
    if (!n) return;
    dragging.current = n;
    n.fx = n.x; n.fy = n.y;
    layout.sim.alphaTarget(0.2).alpha(Math.max(layout.sim.alpha(), 0.2));
    e.currentTarget.setPointerCapture(e.pointerId);
    animate();
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const n = dragging.current;
    if (!n) { e.currentTarget.style.cursor = nodeAt(e) ? 'pointer' : 'grab'; return; }
    const p = toGraph(e.clientX, e.clientY);
    n.fx = p.x; n.fy = p.y;
  };
  const onPointerUp = () => {
    const n = dragging.current;
    if (n) { n.fx = null; n.fy = null; layout.sim.alphaTarget(0); dragging.current = undefined; }
  };
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const n = nodeAt(e);
    if (n) { selectItem({ kind: 'node', id: n.id }); return; }
    const p = toGraph(e.clientX, e.clientY);
    let best: { id: string; d: number } | undefined;
    for (const l of layout.links) {
      const s = l.source as SimNode, t = l.target as SimNode;
      const d = distToSegment(p.x, p.y, s.x!, s.y!, t.x!, t.y!);
      if (d < 6 / transform.current.k && (!best || d < best.d)) best = { id: l.data.id, d };
    }
    selectItem(best ? { kind: 'edge', id: best.id } : null);
  };
  function fitToGraph() {
    const c = canvas.current;
    if (!c || !zoomRef.current || layout.nodes.length === 0) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of layout.nodes) {
      x0 = Math.min(x0, n.x! - n.radius); x1 = Math.max(x1, n.x! + n.radius);
      y0 = Math.min(y0, n.y! - n.radius); y1 = Math.max(y1, n.y! + n.radius + 18);
    }
    const k = Math.min(1.25, (size.w - 60) / Math.max(1, x1 - x0), (size.h - 40) / Math.max(1, y1 - y0));
    select(c).call(zoomRef.current.transform, zoomIdentity.translate(-((x0 + x1) / 2) * k, -((y0 + y1) / 2) * k).scale(k));
  }
  const fit = () => {
    userMoved.current = false;
    fitToGraph();
    redraw((x) => x + 1);
  };

  return (
    <section className="panel graph-panel" aria-label="Connection graph">
      <header className="panel-head">
        <h2>Connections</h2>
        <span className="muted">{graph.nodes.length} nodes · {graph.edges.length} edges</span>
        <div className="legend">
          <span className="legend-item"><i className="dot service" />service</span>
          <span className="legend-item"><i className="dot endpoint" />endpoint</span>
          <span className="legend-item"><i className="dot port" />listen port</span>
          {deviant && deviant.size > 0 && <span className="legend-item"><i className="dot danger" />not in baseline</span>}
        </div>
        <div className="panel-tools"><button onClick={fit}>Fit</button></div>
      </header>
      <div className="graph-body">
        <div ref={wrap} className="graph-canvas-wrap" style={{ height }}>
          {graph.nodes.length === 0
            ? <div className="empty">No connections yet. Services, outside endpoints and listen ports appear here.</div>
            : <canvas ref={canvas} data-testid="graph" data-nodes={graph.nodes.length} data-edges={graph.edges.length}
                style={{ width: size.w, height: size.h }} aria-label="Connection graph"
                onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onClick={onClick} />}
        </div>
        <GraphDetails graph={graph} deviant={deviant} />
      </div>
    </section>
  );
}

function GraphDetails({ graph, deviant }: { graph: Graph; deviant?: ReadonlySet<string> }) {
  const selection = useApp((s) => s.selection);
  const selectItem = useApp((s) => s.select);
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
  if (selection?.kind === 'edge') {
    const e = graph.edges.find((x) => x.id === selection.id);
    if (e) return (
      <aside className="details" data-testid="graph-details">
        <h3>{label(e.source)} → {label(e.target)}</h3>
        <dl>
          <dt>Protocol</dt><dd>{e.protocols.join(', ')}</dd>
          <dt>Ports</dt><dd>{e.ports.join(', ') || '—'}</dd>
          <dt>Calls</dt><dd>{e.count}{e.failed ? ` (${e.failed} failed)` : ''}</dd>
          <dt>Seen</dt><dd>{fmtSpan(e.last - e.first)} window</dd>
          {deviant?.has(e.id) && <><dt>Baseline</dt><dd className="danger">not in baseline</dd></>}
        </dl>
        <button onClick={() => selectItem(null)}>Close</button>
      </aside>
    );
  }
  const selectedNode = selection?.kind === 'node' ? graph.nodes.find((n) => n.id === selection.id) : undefined;
  const edges = selectedNode ? graph.edges.filter((e) => e.source === selectedNode.id || e.target === selectedNode.id) : [];
  return (
    <aside className="details" data-testid="graph-details">
      {selectedNode ? (
        <>
          <h3>{selectedNode.label}</h3>
          <p className="muted">{selectedNode.kind}{selectedNode.service && selectedNode.kind !== 'service' ? ` of ${selectedNode.service}` : ''}</p>
          <ul className="edge-list">
            {edges.map((e) => (
              <li key={e.id} className={deviant?.has(e.id) ? 'danger' : ''}>
                <button className="link" onClick={() => selectItem({ kind: 'edge', id: e.id })}>
                  {e.source === selectedNode.id ? `→ ${label(e.target)}` : `← ${label(e.source)}`}
                </button>
                <span className="muted"> {e.protocols.join('/')} {e.ports.join(',')} ×{e.count}</span>
              </li>
            ))}
          </ul>
          <button onClick={() => selectItem(null)}>Close</button>
        </>
      ) : (
        <>
          <h3>Nodes</h3>
          <ul className="node-list" data-testid="graph-node-list">
            {graph.nodes.slice(0, NODE_LIST_MAX).map((n) => (
              <li key={n.id} className={deviant?.has(n.id) ? 'danger' : ''}>
                <button className="link" onClick={() => selectItem({ kind: 'node', id: n.id })}>
                  {/* a listen port is one of a service's: `tcp/80` alone is ambiguous with several services */}
                  <i className={`dot ${n.kind}`} />{n.kind === 'port' && n.service ? `${n.label} of ${n.service}` : n.label}
                </button>
              </li>
            ))}
            {graph.nodes.length > NODE_LIST_MAX && (
              <li className="muted" data-testid="graph-node-more">and {(graph.nodes.length - NODE_LIST_MAX).toLocaleString()} more: select a time range or search the events to narrow them</li>
            )}
          </ul>
        </>
      )}
    </aside>
  );
}
