/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1), one per service, selected by `app: <service>` as compose
 * services usually become. Ingress: from the peers seen to the ports they reached. Egress: to the peers seen,
 * plus DNS to kube-dns whenever the service resolved names (a policy with Egress and no DNS rule breaks name
 * resolution). Peers outside the run become ipBlock /32 (/128) when their addresses are known; peers known only
 * by a DNS name cannot be expressed in a NetworkPolicy and are listed in a comment instead.
 */
import { Document } from 'yaml';
import { isLoopback } from '../baseline/normalize.js';
import type { Baseline, InboundItem, OutboundItem, ServiceBaseline } from '../baseline/schema.js';
import { selectServices, slug } from './service.js';

type Peer = Record<string, unknown>;
interface Rule { peers: Peer[]; ports: { protocol: 'TCP' | 'UDP'; port: number }[] }

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)$/;
const cidr = (address: string) => `${address}/${address.includes(':') ? 128 : 32}`;

function peersOf(item: InboundItem | OutboundItem, notes: string[], direction: string): Peer[] {
  if (item.kind === 'service') return [{ podSelector: { matchLabels: { app: slug(item.peer) } } }];
  if (item.kind === 'network') {
    // Another container on the same Docker network: in a cluster, another pod of the namespace.
    notes.push(`${direction} ${item.protocol}/${item.port} network ${item.peer}: another container on that network; allowed here from any pod of the namespace, narrow it to the pods you mean`);
    return [{ podSelector: {} }];
  }
  if (item.kind === 'host') {
    // The Docker host's bridge address means nothing in a cluster: name the gap instead of inventing a peer.
    notes.push(`${direction} ${item.protocol}/${item.port} host: traffic with the Docker host (a published port); allow your ingress or node addresses here by hand`);
    return [];
  }
  const addresses = item.kind === 'address' ? [item.peer] : 'addresses' in item ? item.addresses ?? [] : [];
  const usable = addresses.filter((a) => IP.test(a) && !isLoopback(a));
  if (!usable.length) notes.push(`${direction} ${item.protocol}/${item.port} ${item.peer}: no address known, not expressible as a NetworkPolicy peer`);
  return usable.map((a) => ({ ipBlock: { cidr: cidr(a) } }));
}

/** Groups peers by (protocol, port), keeping everything sorted so the output is deterministic. */
function rules(items: readonly (InboundItem | OutboundItem)[], notes: string[], direction: string): Rule[] {
  const byPort = new Map<string, Rule>();
  for (const item of items) {
    if ((item.protocol !== 'tcp' && item.protocol !== 'udp') || item.port === 0) continue;
    if (item.kind === 'address' && isLoopback(item.peer)) continue; // inside the pod: no policy applies
    const peers = peersOf(item, notes, direction);
    if (!peers.length) continue;
    const protocol = item.protocol === 'tcp' ? 'TCP' : 'UDP';
    const key = `${protocol}/${String(item.port).padStart(5, '0')}`;
    const rule = byPort.get(key) ?? { peers: [], ports: [{ protocol, port: item.port }] };
    for (const p of peers) if (!rule.peers.some((q) => JSON.stringify(q) === JSON.stringify(p))) rule.peers.push(p);
    byPort.set(key, rule);
  }
  return [...byPort.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => ({
    ports: r.ports,
    peers: r.peers.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  }));
}

/**
 * UDP has no accept: a datagram server never sees its clients arrive, only its clients see themselves
 * send. Their outbound items to this service's UDP listen ports, in the same baseline, are its inbound.
 */
function udpInbound(name: string, svc: ServiceBaseline, all: Record<string, ServiceBaseline>): InboundItem[] {
  const ports = new Set(svc.listen.filter((l) => l.protocol === 'udp').map((l) => l.port));
  const out: InboundItem[] = [];
  for (const [client, other] of Object.entries(all)) {
    if (client === name) continue;
    for (const o of other.outbound) {
      if (o.kind === 'service' && o.peer === name && o.protocol === 'udp' && ports.has(o.port)) {
        out.push({ peer: client, kind: 'service', protocol: 'udp', port: o.port, runs: o.runs, by: o.by });
      }
    }
  }
  return out;
}

export function networkPolicy(name: string, svc: ServiceBaseline, all: Record<string, ServiceBaseline> = { [name]: svc }): { policy: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const inbound = [...svc.inbound, ...udpInbound(name, svc, all)];
  const ingress = rules(inbound, notes, 'inbound').map((r) => ({ from: r.peers, ports: r.ports }));
  for (const l of svc.listen) {
    if (!inbound.some((i) => i.port === l.port && i.protocol === l.protocol && !(i.kind === 'address' && isLoopback(i.peer)))) {
      notes.push(`listen ${l.protocol}/${l.port}: no peer from outside the pod reached it in the learning runs, so it is not opened`);
    }
  }
  const egress: Record<string, unknown>[] = rules(svc.outbound, notes, 'outbound').map((r) => ({ to: r.peers, ports: r.ports }));
  if (svc.dns.length) {
    egress.push({
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    });
  }
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: slug(name), labels: { 'app.kubernetes.io/managed-by': 'imprint' } },
    spec: {
      podSelector: { matchLabels: { app: slug(name) } },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
  return { policy, notes };
}

/** One YAML document per service; notes about what could not be expressed are comments above each. */
export function networkPolicyYaml(baseline: Baseline, service?: string): string {
  return selectServices(baseline, service).map(([name, svc]) => {
    const { policy, notes } = networkPolicy(name, svc, baseline.services);
    const doc = new Document(policy);
    doc.commentBefore = [` NetworkPolicy for ${name}, exported by imprint from its baseline (${svc.runs} learning run(s)).`,
      ...notes.map((n) => ` note: ${n}`)].join('\n');
    return doc.toString({ lineWidth: 0 });
  }).join('---\n');
}
