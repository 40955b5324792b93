/**
 * The connection graph's layout: d3-force with positions carried over between updates, so a live graph
 * grows in place instead of jumping. Node and link objects are d3's own mutable records.
 */
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import type { ConnectionGraph, GraphEdge, GraphNode } from '../model/views.js';

export interface SimNode extends SimulationNodeDatum { id: string; data: GraphNode; radius: number }
export interface SimLink extends SimulationLinkDatum<SimNode> { data: GraphEdge; width: number }

export interface Layout { sim: Simulation<SimNode, SimLink>; nodes: SimNode[]; links: SimLink[]; byId: Map<string, SimNode> }

export function nodeRadius(n: GraphNode): number {
  if (n.kind === 'service') return 16;
  if (n.kind === 'port') return 7;
  return 9 + Math.min(6, Math.log10(1 + n.events) * 2);
}

export function edgeWidth(count: number, max: number): number {
  return 1 + 7 * (Math.log1p(count) / Math.log1p(Math.max(1, max)));
}

export function createLayout(graph: ConnectionGraph, previous?: Layout): Layout {
  const nodes: SimNode[] = graph.nodes.map((data, i) => {
    const old = previous?.byId.get(data.id);
    const angle = i * 2.399963;
    return old
      ? { ...old, data, radius: nodeRadius(data) }
      : { id: data.id, data, radius: nodeRadius(data), x: Math.cos(angle) * 40 * Math.sqrt(i + 1), y: Math.sin(angle) * 40 * Math.sqrt(i + 1) };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const max = Math.max(1, ...graph.edges.map((e) => e.count));
  const links: SimLink[] = graph.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((data) => ({ source: byId.get(data.source)!, target: byId.get(data.target)!, data, width: edgeWidth(data.count, max) }));
  const big = nodes.length > 120;
  const sim = forceSimulation<SimNode, SimLink>(nodes)
    .force('link', forceLink<SimNode, SimLink>(links).id((n) => n.id).distance((l) => (l.target as SimNode).data.kind === 'port' ? 36 : big ? 50 : 110).strength(big ? 0.08 : 0.4))
    .force('charge', forceManyBody<SimNode>().strength(big ? -60 : -420).theta(0.9).distanceMax(big ? 250 : 600))
    .force('collide', forceCollide<SimNode>((n) => n.radius + 6))
    .force('x', forceX<SimNode>(0).strength(0.04))
    .force('y', forceY<SimNode>(0).strength(0.06))
    .force('center', forceCenter(0, 0))
    .alphaDecay(big ? 0.05 : 0.03)
    .stop();
  if (previous) {
    previous.sim.stop();
    sim.alpha(nodes.every((n) => previous.byId.has(n.id)) ? 0.05 : 0.5);
  }
  return { sim, nodes, links, byId };
}
