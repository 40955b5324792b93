/**
 * Names the remote ends of network events, in place, before anything else sees them:
 * - `peer.service` (and `local.service`) when the address belongs to one of the run's own containers
 *   (the engine registers each container's addresses as it starts), so connections show between services;
 * - `peer.name` when a DNS answer seen earlier in the run resolved that address (answers from any
 *   container count: a compose service often resolves what another connects to);
 * - `peer.host` when the address is a gateway of one of the run's networks: the Docker host (a published
 *   port, a service on the host). Its address is new every run, so it is named as baselines name it;
 * - `peer.network` when the address is in a subnet of the run's networks and none of the above: another
 *   container on that network (run-networks.ts).
 * A DNS answer for a service's own name also maps its addresses to that service, which covers the moment
 * between a container's start and the engine learning its address.
 * Bounded: at most MAX_NAMES remembered addresses; the oldest are forgotten first.
 */
import type { Endpoint, ImprintEvent } from '../events.js';
import { RunNetworks, type RunNetwork } from './run-networks.js';

/** Where one container of the run is: its addresses, DNS aliases, and its networks' gateways and subnets. */
export interface ServicePlace {
  addresses?: readonly string[];
  aliases?: readonly string[];
  gateways?: readonly string[];
  networks?: readonly RunNetwork[];
}

const MAX_NAMES = 20_000;
const MAX_GATEWAYS = 256;
const ANSWER = /^(?:A|AAAA) ([0-9a-fA-F.:]{1,64})$/;

export class PeerNamer {
  private services = new Map<string, string>();
  private serviceNames = new Map<string, string>();
  private dnsNames = new Map<string, string>();
  private gateways = new Set<string>();
  private networks = new RunNetworks();

  addService(service: string, place: ServicePlace = {}): void {
    for (const a of place.addresses ?? []) if (a) this.services.set(a, service);
    for (const g of place.gateways ?? []) if (g && this.gateways.size < MAX_GATEWAYS) this.gateways.add(g);
    this.networks.add(place.networks ?? []);
    this.serviceNames.set(service.toLowerCase(), service);
    for (const alias of place.aliases ?? []) this.serviceNames.set(alias.toLowerCase(), service);
  }

  serviceOf(address: string): string | undefined {
    return this.services.get(address);
  }

  nameOf(address: string): string | undefined {
    return this.dnsNames.get(address);
  }

  /** Learns from DNS answers and names endpoints; mutates `ev` and returns it. */
  enrich(ev: ImprintEvent): ImprintEvent {
    switch (ev.kind) {
      case 'dns':
        if (ev.phase === 'answer' && ev.answers) this.learn(ev.name, ev.answers);
        if (ev.server) this.nameEndpoint(ev.server);
        break;
      case 'connect': case 'accept': case 'bind': case 'listen':
        if (ev.protocol === 'unix') break;
        if (ev.peer) this.nameEndpoint(ev.peer);
        if (ev.local && ev.local.address) this.nameEndpoint(ev.local);
        break;
      default:
    }
    return ev;
  }

  /** Names one endpoint, in place (also for a capture's reader, which knows the run's containers only at
   * its end: common/baseline/capture-input.ts). */
  nameEndpoint(ep: Endpoint): void {
    const service = this.services.get(ep.address);
    if (service !== undefined) ep.service = service;
    else if (this.gateways.has(ep.address)) ep.host = true;
    else {
      const network = this.networks.networkOf(ep.address);
      if (network !== undefined) ep.network = network;
    }
    const name = this.dnsNames.get(ep.address);
    if (name !== undefined && ep.name === undefined) ep.name = name;
  }

  private learn(name: string, answers: readonly string[]): void {
    const service = this.serviceNames.get(name.toLowerCase()) ?? this.serviceNames.get(name.split('.')[0]!.toLowerCase());
    for (const a of answers) {
      const m = ANSWER.exec(a);
      if (!m) continue;
      const address = m[1]!;
      if (this.dnsNames.size >= MAX_NAMES && !this.dnsNames.has(address)) {
        const oldest = this.dnsNames.keys().next().value;
        if (oldest !== undefined) this.dnsNames.delete(oldest);
      }
      this.dnsNames.delete(address); // re-insert: Map order is recency
      this.dnsNames.set(address, name);
      if (service !== undefined && !this.services.has(address)) this.services.set(address, service);
    }
  }
}
