/**
 * Reads a capture file (common/capture.ts) into what learning and checking need: the events in capture order,
 * the image and probe architecture per service, and why the capture is incomplete when it is.
 * Peers the engine did not name are named here from the run's own container records (address → service).
 */
import { CaptureParser, type CaptureHeader, type RunRecord } from '../capture.js';
import type { Endpoint, ImprintEvent } from '../events.js';

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
  private serviceByAddress = new Map<string, string>();
  private probeArch: string | undefined;
  private parser = new CaptureParser({
    onEvent: (e) => this.events.push(e),
    onRecord: (r: RunRecord) => {
      if (r.record === 'container') for (const a of r.addresses) this.serviceByAddress.set(a, r.service);
      if (r.record === 'probe' && !this.probeArch) this.probeArch = r.arch;
    },
  });

  push(chunk: string): void { this.parser.push(chunk); }

  finish(): CaptureInput {
    const summary = this.parser.finish();
    const nameOf = (ep: Endpoint | undefined): Endpoint | undefined => {
      if (!ep || ep.service) return ep;
      const service = this.serviceByAddress.get(ep.address);
      return service ? { ...ep, service } : ep;
    };
    const events = this.events.map((e) => (e.kind === 'connect' || e.kind === 'accept') && e.peer && !e.peer.service
      ? { ...e, peer: nameOf(e.peer)! } : e);
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

/** Docker reports `amd64`/`arm64`, the probe `x86_64`/`aarch64`. */
export function normalizeArch(a: string): string {
  return a === 'amd64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a;
}

export function readCaptureText(text: string): CaptureInput {
  const c = new CaptureCollector();
  c.push(text);
  return c.finish();
}
