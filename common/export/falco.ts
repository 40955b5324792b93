/**
 * Falco rules that alert on processes, outbound connections and listening ports outside the baseline, one set
 * per service (REFERENCE.md's shape: `list`, `macro` and `rule` items). Executables are matched by
 * proc.exepath, not proc.name: the kernel cuts proc.name to 15 characters. Normalized paths with `*` become
 * `glob` conditions. Values that would not be safe inside a Falco condition are left out, with a comment.
 */
import { Document } from 'yaml';
import type { Baseline, ServiceBaseline } from '../baseline/schema.js';
import { selectServices, slug } from './service.js';

const SAFE_PATH = /^\/[A-Za-z0-9_./+\-@:=~]*$/;
const SAFE_GLOB = /^\/[A-Za-z0-9_./+\-@:=~*]*$/;

/** `repo/name:tag@sha256:...` → `repo/name`, as Falco's container.image.repository holds it. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '')}"`;

/** How a service's own containers are told apart: by the compose service label, the Kubernetes container
 * name, or the container name (the same word in all three when the deployment keeps the service's name). */
const byServiceName = (name: string) =>
  `(container.label.com.docker.compose.service = ${quote(name)} or k8s.container.name = ${quote(name)} or container.name = ${quote(name)})`;

/**
 * `sharedImage`: another service of the baseline runs the same image (an app and its worker). Scoped by
 * image alone, each would alert on everything the other does, so such a service is scoped by its name too.
 */
export function falcoItems(name: string, svc: ServiceBaseline, sharedImage = false): { items: Record<string, unknown>[]; notes: string[] } {
  const id = slug(name).replace(/-/g, '_');
  const notes: string[] = [];
  const exact = svc.executables.map((e) => e.path).filter((p) => !p.includes('*') && SAFE_PATH.test(p));
  const globs = svc.executables.map((e) => e.path).filter((p) => p.includes('*') && SAFE_GLOB.test(p));
  const skipped = svc.executables.length - exact.length - globs.length;
  if (skipped) notes.push(`${skipped} executable path(s) with characters unsafe in a Falco condition were left out`);
  const outPorts = [...new Set(svc.outbound.filter((o) => o.protocol === 'tcp' || o.protocol === 'udp').map((o) => o.port))].sort((a, b) => a - b);
  const listenPorts = [...new Set(svc.listen.map((l) => l.port))].sort((a, b) => a - b);

  const container = !svc.image ? byServiceName(name)
    : `container.image.repository = ${quote(imageRepository(svc.image))}${sharedImage ? ` and ${byServiceName(name)}` : ''}`;
  if (svc.image && sharedImage) {
    notes.push(`another service runs ${imageRepository(svc.image)} too: these rules also match the service name (compose label, Kubernetes container name or container name); keep it ${name} where they run`);
  }
  // Falco refuses `in ()` on some versions: an empty allow-list means every such event alerts.
  const allowedExe = [...(exact.length ? [`proc.exepath in (imprint_${id}_executables)`] : []), ...globs.map((g) => `proc.exepath glob ${quote(g)}`)].join(' or ');
  const items: Record<string, unknown>[] = [
    { list: `imprint_${id}_executables`, items: exact },
    { list: `imprint_${id}_outbound_ports`, items: outPorts },
    { list: `imprint_${id}_listen_ports`, items: listenPorts },
    { macro: `imprint_${id}_container`, condition: `container.id != host and ${container}` },
    {
      rule: `Imprint drift - unexpected process in ${name}`,
      desc: `A process outside the Imprint baseline ran in the ${name} service`,
      condition: `evt.type in (execve, execveat) and evt.dir = < and imprint_${id}_container${allowedExe ? ` and not (${allowedExe})` : ''}`,
      output: `Unexpected process in ${name} (exe=%proc.exepath cmdline=%proc.cmdline parent=%proc.pname container=%container.name image=%container.image.repository)`,
      priority: 'WARNING',
      tags: ['imprint', 'drift', 'process'],
    },
    {
      rule: `Imprint drift - unexpected outbound connection in ${name}`,
      desc: `An outbound connection to a port outside the Imprint baseline in the ${name} service`,
      condition: `evt.type = connect and evt.dir = < and fd.typechar in (4, 6) and imprint_${id}_container${outPorts.length ? ` and not fd.sport in (imprint_${id}_outbound_ports)` : ''}`,
      output: `Unexpected connection from ${name} (connection=%fd.name exe=%proc.exepath container=%container.name image=%container.image.repository)`,
      priority: 'WARNING',
      tags: ['imprint', 'drift', 'network'],
    },
    {
      rule: `Imprint drift - unexpected listening port in ${name}`,
      desc: `A listening port outside the Imprint baseline in the ${name} service`,
      condition: `evt.type = listen and evt.dir = < and fd.typechar in (4, 6) and imprint_${id}_container${listenPorts.length ? ` and not fd.sport in (imprint_${id}_listen_ports)` : ''}`,
      output: `Unexpected listening port in ${name} (port=%fd.sport exe=%proc.exepath container=%container.name image=%container.image.repository)`,
      priority: 'WARNING',
      tags: ['imprint', 'drift', 'network'],
    },
  ];
  return { items, notes };
}

/** Image repositories more than one service of the baseline runs: counted over the whole baseline, since
 * exporting one service still has to tell it from its image's siblings. */
export function sharedImages(baseline: Baseline): Map<string, string[]> {
  const byImage = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(baseline.services)) {
    if (svc.image) byImage.set(imageRepository(svc.image), [...(byImage.get(imageRepository(svc.image)) ?? []), name]);
  }
  return new Map([...byImage].filter(([, names]) => names.length > 1));
}

export function falcoRulesYaml(baseline: Baseline, service?: string): string {
  const all: Record<string, unknown>[] = [];
  const notes: string[] = [];
  const shared = sharedImages(baseline);
  for (const [name, svc] of selectServices(baseline, service)) {
    const r = falcoItems(name, svc, svc.image !== undefined && shared.has(imageRepository(svc.image)));
    all.push(...r.items);
    notes.push(...r.notes.map((n) => `${name}: ${n}`));
  }
  const doc = new Document(all);
  doc.commentBefore = [' Falco rules exported by imprint: alert on behaviour outside the baseline.', ...notes.map((n) => ` note: ${n}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}
