/**
 * A run's network behaviour as baselines name it, for `imprint show`: connections made and accepted per
 * service and peer, with counts, and the ports listened on. Built from the very facts learning uses
 * (observe.ts), so a peer is called here what the baseline calls it (`redis`, `api.example.test`, `host`)
 * rather than by an address that changes every run.
 */
import type { EventKind, ImprintEvent, NetProtocol } from '../events.js';
import { itemKey } from './merge.js';
import { observe } from './observe.js';
import type { PeerKind } from './schema.js';

/** The events these facts come from: what a reader may keep to save memory on a large capture. */
export const NETWORK_EVENT_KINDS: ReadonlySet<EventKind> = new Set(['connect', 'accept', 'listen', 'bind', 'dns']);

/** A non-blocking connect in progress is a connection being made, not a failure. */
const EINPROGRESS = -115;

export interface PeerFlow {
  service: string;
  direction: 'outbound' | 'inbound';
  peer: string;
  kind: PeerKind;
  protocol: NetProtocol;
  /** Remote port outbound, local port inbound (as in the baseline). */
  port: number;
  /** Addresses seen for a DNS-named peer. */
  addresses: string[];
  /** Connections made or accepted, and connects that failed. */
  count: number;
  failures: number;
}

export interface ListenPort { service: string; protocol: 'tcp' | 'udp'; port: number }

/** Events in capture order, their peers already named from the capture's records (CaptureCollector). */
export function connectionsOf(events: Iterable<ImprintEvent>): { flows: PeerFlow[]; listen: ListenPort[] } {
  const flows = new Map<string, PeerFlow>();
  const listen = new Map<string, ListenPort>();
  observe(events, (f) => {
    if (f.category === 'listen') { listen.set(`${f.service}\0${f.key}`, { service: f.service, protocol: f.protocol, port: f.port }); return; }
    if (f.category !== 'outbound' && f.category !== 'inbound') return;
    const id = `${f.service}\0${f.category}\0${f.key}`;
    let flow = flows.get(id);
    if (!flow) flows.set(id, (flow = { service: f.service, direction: f.category, peer: f.peer, kind: f.kind, protocol: f.protocol, port: f.port, addresses: [], count: 0, failures: 0 }));
    if (f.address && f.kind === 'dns' && !flow.addresses.includes(f.address) && flow.addresses.length < 16) flow.addresses.push(f.address);
    const result = ('result' in f.event ? f.event.result : undefined) ?? 0;
    if (result < 0 && result !== EINPROGRESS) flow.failures++;
    else flow.count++;
  });
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    flows: [...flows.values()].sort((a, b) => order(a.service, b.service) || order(a.direction, b.direction) || order(itemKey.peer(a), itemKey.peer(b))),
    listen: [...listen.values()].sort((a, b) => order(a.service, b.service) || order(itemKey.listen(a), itemKey.listen(b))),
  };
}
