/**
 * Reads a capture file (common/capture.ts) into what learning and checking need: the events in capture order,
 * the image and probe architecture per service, and why the capture is incomplete when it is.
 * Peers the engine did not name are named here from the run's own container records (address → service).
 */
import { CaptureParser, type CaptureHeader, type RunRecord } from '../capture.js';
import type { Endpoint, ImprintEvent } from '../events.js';
import type { LearningRun } from './learn.js';
import { PeerNamer } from '../models/peer-namer.js';

export interface CaptureInput {
  events: ImprintEvent[];
  images: Record<string, string>;
  arch?: string;
  /** The seccomp profile the run's containers ran under, when the capture recorded it. */
  seccomp?: 'default' | 'unconfined';
  incomplete: string[];
  header?: CaptureHeader;
}

export class CaptureCollector {
  private events: ImprintEvent[] = [];
  /** Names peers as the live run does (service, the Docker host, the run's networks), from the records. */
  private namer = new PeerNamer();
  private addressesOf = new Map<string, Set<string>>();
  private probeArch: string | undefined;
  private parser = new CaptureParser({
    onEvent: (e) => { if (this.keep(e)) this.events.push(e); },
    onRecord: (r: RunRecord) => {
      if (r.record === 'container') {
        this.namer.addService(r.service, r);
        const set = this.addressesOf.get(r.service) ?? new Set<string>();
        for (const a of r.addresses) set.add(a);
        this.addressesOf.set(r.service, set);
      }
      if (r.record === 'probe' && !this.probeArch) this.probeArch = r.arch;
    },
  });

  /** `keep`: which events to hold (all by default); a reader that needs only some saves their memory. */
  constructor(private readonly keep: (e: ImprintEvent) => boolean = () => true) {}

  push(chunk: string): void { this.parser.push(chunk); }

  finish(): CaptureInput {
    const summary = this.parser.finish();
    const nameOf = (ep: Endpoint | undefined): Endpoint | undefined => {
      if (!ep || ep.service || ep.host) return ep;
      const named = { ...ep };
      this.namer.nameEndpoint(named);
      return named;
    };
    const named = this.events.map((e) => (e.kind === 'connect' || e.kind === 'accept') && e.peer && !e.peer.service
      ? { ...e, peer: nameOf(e.peer)! } : e);
    const events = nameClientsByTheirConnects(named, this.addressesOf);
    const images: Record<string, string> = {};
    for (const s of summary.header?.services ?? []) images[s.service] = s.image;
    const arch = summary.header?.probe?.arch ?? this.probeArch ?? summary.header?.engine?.arch;
    const out: CaptureInput = { events, images, incomplete: summary.incompleteBecause, ...(arch ? { arch: normalizeArch(arch) } : {}) };
    if (summary.header) out.header = summary.header;
    const seccomp = summary.header?.['seccomp'];
    if (seccomp === 'default' || seccomp === 'unconfined') out.seccomp = seccomp;
    return out;
  }
}

/** A capture as one learning run: its events, images, architecture and identity (the header's runId). */
export function learningRun(input: CaptureInput): LearningRun {
  const id = input.header?.runId;
  return { events: input.events, images: input.images, ...(input.arch ? { arch: input.arch } : {}), ...(id ? { id } : {}) };
}

/** Docker reports `amd64`/`arm64`, the probe `x86_64`/`aarch64`. */
export function normalizeArch(a: string): string {
  return a === 'amd64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a;
}

export function readCaptureText(text: string): CaptureInput {
  const c = new CaptureCollector();
  c.push(text);
  return c.finish();
}

/**
 * A client that exits quickly may be gone before the engine reads its address, so the server's accept cannot
 * be named from the container records. Its own connect was named, though (by DNS, or the server's address):
 * when exactly one service of the run connected to this service's port, the unnamed accept came from it.
 */
export function nameClientsByTheirConnects(events: ImprintEvent[], addressesOf: ReadonlyMap<string, ReadonlySet<string>>): ImprintEvent[] {
  const clients = new Map<string, Set<string>>(); // "server service\0port" → client services
  for (const e of events) {
    if (e.kind !== 'connect' || !e.peer) continue;
    const servers = new Set<string>();
    if (e.peer.service) servers.add(e.peer.service);
    for (const [service, addrs] of addressesOf) if (addrs.has(e.peer.address)) servers.add(service);
    for (const server of servers) {
      if (server === e.service) continue;
      const key = `${server}\0${e.peer.port}`;
      const set = clients.get(key) ?? new Set<string>();
      set.add(e.service);
      clients.set(key, set);
    }
  }
  return events.map((e) => {
    if (e.kind !== 'accept' || !e.peer || e.peer.service || e.peer.name || !e.peer.address || !e.local) return e;
    const candidates = clients.get(`${e.service}\0${e.local.port}`);
    if (!candidates || candidates.size !== 1) return e;
    return { ...e, peer: { ...e.peer, service: [...candidates][0]! } };
  });
}
