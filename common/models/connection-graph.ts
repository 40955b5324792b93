/**
 * The connection graph: who talks to whom. Nodes are the run's services and outside endpoints (named by
 * the DNS answer that resolved them when one was seen, else their address; the Docker host is `host`);
 * each service node lists the ports it listens on. One edge per (from, to, protocol, port) with counts
 * and first/last seen, so the graph stays readable (one edge per pair, thickness for volume).
 *
 * Connections between two of the run's services are counted once, from the connecting side (the
 * accepting side's accept is the same connection). Unix sockets stay out of the graph (they are local).
 * Expects events already passed through PeerNamer.
 */
import type { Endpoint, ImprintEvent, NetProtocol } from '../events.js';
import { ConnectAttempts } from './connect-attempts.js';

const MAX_NODES = 5_000;
const MAX_EDGES = 20_000;
const MAX_LISTEN = 256;
/** Non-blocking connect in progress: the connection is being made. */
const EINPROGRESS = -115;
/** Docker's embedded DNS server on user-defined networks. */
const DOCKER_DNS = '127.0.0.11';

export interface GraphNode {
  id: string;
  kind: 'service' | 'external';
  label: string;
  /** Addresses seen for this node (external: the ones that resolved to its name). */
  addresses: string[];
  /** Ports the service listens on. */
  listen: { protocol: NetProtocol; port: number }[];
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  protocol: NetProtocol;
  port: number;
  /** Connections made (connect/accept calls that succeeded or were in progress). */
  count: number;
  /** Calls that failed (refused, unreachable...). */
  failures: number;
  first: number;
  last: number;
}

export interface ConnectionGraphSnapshot {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Connections not drawn because the graph reached its bounds. */
  untracked: number;
}

const isLoopback = (a: string): boolean => a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');

export class ConnectionGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  untracked = 0;
  private attempts = new ConnectAttempts();

  /** Services appear even before they connect anywhere. */
  addService(service: string): GraphNode | undefined {
    return this.node(`service:${service}`, 'service', service);
  }

  fold(ev: ImprintEvent): void {
    switch (ev.kind) {
      case 'connect': {
        if (!ev.peer || ev.protocol === 'unix' || (ev.family !== 'inet' && ev.family !== 'inet6')) return;
        if (ev.peer.address === '' || (ev.peer.port === 0 && ev.protocol === 'udp')) return; // disconnect (AF_UNSPEC) or unbound
        if (this.attempts.isFollowUp(ev)) return;
        const from = this.addService(ev.service);
        const to = this.target(ev.peer, ev.service);
        if (from && to) this.edge(from.id, to.id, ev.protocol, ev.peer.port, ev.result >= 0 || ev.result === EINPROGRESS, ev.time);
        return;
      }
      case 'accept': {
        if (!ev.peer || ev.protocol === 'unix' || ev.peer.service !== undefined || ev.result < 0) return;
        if (isLoopback(ev.peer.address)) return; // the connect side of the same service draws it
        const to = this.addService(ev.service);
        const from = this.target(ev.peer, ev.service);
        if (from && to) this.edge(from.id, to.id, ev.protocol, ev.local?.port ?? 0, true, ev.time);
        return;
      }
      case 'listen': case 'bind': {
        if (ev.result < 0 || !ev.local || ev.protocol === 'unix' || ev.local.port === 0) return;
        if (ev.kind === 'bind' && ev.protocol !== 'udp') return; // TCP ports count when listen() is called
        const n = this.addService(ev.service);
        if (n && n.listen.length < MAX_LISTEN && !n.listen.some((l) => l.port === ev.local!.port && l.protocol === ev.protocol)) {
          n.listen.push({ protocol: ev.protocol, port: ev.local.port });
        }
        return;
      }
      default:
    }
  }

  snapshot(): ConnectionGraphSnapshot {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()], untracked: this.untracked };
  }

  /** The node a remote end belongs to: a service of the run, the service itself (loopback), or outside. */
  private target(ep: Endpoint, self: string): GraphNode | undefined {
    if (ep.service !== undefined) return this.addService(ep.service);
    if (ep.host) return this.node('external:host', 'external', 'host', ep.address);
    if (ep.network !== undefined && ep.name === undefined) return this.node(`external:network:${ep.network}`, 'external', `network ${ep.network}`, ep.address);
    if (ep.address === DOCKER_DNS) return this.node('external:docker-dns', 'external', 'docker dns', ep.address);
    if (isLoopback(ep.address)) return this.addService(self);
    const label = ep.name ?? ep.address;
    return this.node(`external:${label}`, 'external', label, ep.address);
  }

  private node(id: string, kind: GraphNode['kind'], label: string, address?: string): GraphNode | undefined {
    let n = this.nodes.get(id);
    if (!n) {
      if (this.nodes.size >= MAX_NODES) { this.untracked++; return undefined; }
      n = { id, kind, label, addresses: [], listen: [] };
      this.nodes.set(id, n);
    }
    if (address !== undefined && n.addresses.length < 64 && !n.addresses.includes(address)) n.addresses.push(address);
    return n;
  }

  private edge(from: string, to: string, protocol: NetProtocol, port: number, ok: boolean, time: number): void {
    const id = `${from}|${to}|${protocol}|${port}`;
    let e = this.edges.get(id);
    if (!e) {
      if (this.edges.size >= MAX_EDGES) { this.untracked++; return; }
      e = { id, from, to, protocol, port, count: 0, failures: 0, first: time, last: time };
      this.edges.set(id, e);
    }
    if (ok) e.count++;
    else e.failures++;
    e.last = time;
  }
}
