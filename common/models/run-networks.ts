/**
 * The Docker networks a run's containers joined, by subnet: a peer whose address lies in one of them but
 * belongs to no container of the run is another container on that network (a client started by hand, a
 * database run beside the app). Its address is new every run; the network's name is not, so peers are
 * named by it (`peer.network`), as `host` names the gateway.
 */
import ipaddr from 'ipaddr.js';

const MAX_SUBNETS = 256;

export interface RunNetwork { name: string; subnets: string[] }

export class RunNetworks {
  private subnets: { name: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }[] = [];
  private known = new Set<string>();

  add(networks: readonly RunNetwork[]): void {
    for (const n of networks) {
      for (const s of n.subnets) {
        const key = `${n.name} ${s}`;
        if (this.known.has(key) || this.known.size >= MAX_SUBNETS || !ipaddr.isValidCIDR(s)) continue;
        this.known.add(key);
        this.subnets.push({ name: n.name, range: ipaddr.parseCIDR(s) });
      }
    }
  }

  /** The network whose subnet holds `address`, if any. */
  networkOf(address: string): string | undefined {
    if (!this.subnets.length || !ipaddr.isValid(address)) return undefined;
    const a = ipaddr.process(address); // ::ffff:a.b.c.d counts as a.b.c.d
    for (const { name, range } of this.subnets) if (a.kind() === range[0].kind() && a.match(range)) return name;
    return undefined;
  }
}

/** A container's subnet on one network, from the engine's address and prefix length (`10.0.3.0/24`). */
export function subnetOf(address: string | undefined, prefixLength: number | undefined): string | undefined {
  if (!address || prefixLength === undefined) return undefined;
  const cidr = `${address}/${prefixLength}`;
  if (!ipaddr.isValidCIDR(cidr)) return undefined;
  const kind = ipaddr.parse(address).kind();
  const net = kind === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${net.toString()}/${prefixLength}`;
}
