/** Draws the connection graph on a canvas (text via fillText: container-supplied names are never markup). */
import type { Layout, SimNode } from './force-layout.js';

export interface GraphTheme { background: string; text: string; muted: string; edge: string; danger: string; accent: string; service: string; endpoint: string; port: string; halo: string }
export interface GraphTransform { x: number; y: number; k: number }

export function drawGraph(
  ctx: CanvasRenderingContext2D, layout: Layout, t: GraphTransform, size: { w: number; h: number; dpr: number },
  theme: GraphTheme, opts: { selected?: string; deviant?: ReadonlySet<string>; fontPx: number },
): void {
  const { w, h, dpr } = size;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, w * dpr, h * dpr);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * (t.x + w / 2), dpr * (t.y + h / 2));
  const deviant = opts.deviant;
  // Ordinary edges batched into a few paths (one draw call each, not one per edge). Small graphs encode
  // volume as width; big ones draw hairlines with volume as opacity, because wide anti-aliased strokes
  // are what makes thousands of edges slow to rasterize.
  const big = layout.links.length > 400;
  const buckets = new Map<number, Path2D>();
  const red = new Path2D();
  for (const l of layout.links) {
    const s = l.source as SimNode, d = l.target as SimNode;
    if (deviant?.has(l.data.id)) { red.moveTo(s.x!, s.y!); red.lineTo(d.x!, d.y!); continue; }
    const key = big ? Math.min(3, Math.floor((l.width - 1) / 2)) : Math.round(l.width);
    let p = buckets.get(key);
    if (!p) buckets.set(key, (p = new Path2D()));
    p.moveTo(s.x!, s.y!); p.lineTo(d.x!, d.y!);
  }
  ctx.strokeStyle = theme.edge;
  for (const [key, path] of buckets) {
    if (big) { ctx.lineWidth = 1 / (dpr * t.k); ctx.globalAlpha = 0.25 + key * 0.2; }
    else { ctx.lineWidth = key / Math.sqrt(t.k); ctx.globalAlpha = 0.8; }
    ctx.stroke(path);
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.danger;
  ctx.lineWidth = 3 / Math.sqrt(t.k);
  ctx.stroke(red);
  // Arrowheads show direction (who connected to whom) on small graphs where they stay legible.
  if (layout.links.length <= 400) {
    for (const l of layout.links) {
      const s = l.source as SimNode, d = l.target as SimNode;
      const dx = d.x! - s.x!, dy = d.y! - s.y!, len = Math.hypot(dx, dy) || 1;
      const ux = dx / len, uy = dy / len;
      const tx = d.x! - ux * (d.radius + 3), ty = d.y! - uy * (d.radius + 3);
      ctx.fillStyle = deviant?.has(l.data.id) ? theme.danger : theme.edge;
      ctx.beginPath();
      ctx.moveTo(tx, ty);
      ctx.lineTo(tx - ux * 9 - uy * 4.5, ty - uy * 9 + ux * 4.5);
      ctx.lineTo(tx - ux * 9 + uy * 4.5, ty - uy * 9 - ux * 4.5);
      ctx.fill();
    }
  }
  const showLabels = layout.nodes.length <= 150 || t.k > 1.6;
  ctx.font = `${opts.fontPx}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const n of layout.nodes) {
    const fill = n.data.kind === 'service' ? theme.service : n.data.kind === 'port' ? theme.port : theme.endpoint;
    if (n.id === opts.selected) {
      ctx.fillStyle = theme.halo;
      ctx.beginPath(); ctx.arc(n.x!, n.y!, n.radius + 6, 0, Math.PI * 2); ctx.fill();
    }
    ctx.fillStyle = fill;
    ctx.beginPath();
    if (n.data.kind === 'port') ctx.rect(n.x! - n.radius, n.y! - n.radius, n.radius * 2, n.radius * 2);
    else ctx.arc(n.x!, n.y!, n.radius, 0, Math.PI * 2);
    ctx.fill();
    if (deviant?.has(n.id)) { ctx.strokeStyle = theme.danger; ctx.lineWidth = 3; ctx.stroke(); }
    if (showLabels || n.data.kind === 'service') {
      ctx.fillStyle = n.data.kind === 'service' ? theme.text : theme.muted;
      const label = n.data.label.length > 40 ? n.data.label.slice(0, 39) + '…' : n.data.label;
      ctx.fillText(label, n.x!, n.y! + n.radius + 4);
    }
  }
}
