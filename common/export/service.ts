/** Picking the services an export covers: one named service, or all of them. */
import type { Baseline, ServiceBaseline } from '../baseline/schema.js';

export class ExportError extends Error {}

export function selectServices(baseline: Baseline, service?: string): [string, ServiceBaseline][] {
  const all = Object.entries(baseline.services).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (service === undefined) {
    // Policy names are slugs: two services that slug alike would silently replace one another in one file.
    const bySlug = new Map<string, string>();
    for (const [name] of all) {
      const other = bySlug.get(slug(name));
      if (other !== undefined) {
        throw new ExportError(`services "${other}" and "${name}" would both be named "${slug(name)}" in the policies: export each with --service (in the app: choose the service)`);
      }
      bySlug.set(slug(name), name);
    }
    return all;
  }
  const svc = baseline.services[service];
  if (!svc) throw new ExportError(`no service "${service}" in the baseline (it has: ${all.map(([n]) => n).join(', ') || 'none'})`);
  return [[service, svc]];
}

/** A name safe as a Kubernetes object name, AppArmor profile name or Falco list name: [a-z0-9-], bounded. */
export function slug(name: string, max = 63): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s || 'service';
}
