/** Policy exports from a baseline: one entry point per target format, all pure (text in, text out). */
import type { Baseline } from '../baseline/schema.js';
import { apparmorProfiles } from './apparmor.js';
import { falcoRulesYaml, sharedImages } from './falco.js';
import { networkPolicyYaml } from './networkpolicy.js';
import { seccompJson } from './seccomp.js';

export const EXPORT_TARGETS = ['seccomp', 'networkpolicy', 'apparmor', 'falco'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export function exportPolicy(baseline: Baseline, to: ExportTarget, service?: string): string {
  switch (to) {
    case 'seccomp': return seccompJson(baseline, service);
    case 'networkpolicy': return networkPolicyYaml(baseline, service);
    case 'apparmor': return apparmorProfiles(baseline, service);
    case 'falco': return falcoRulesYaml(baseline, service);
  }
}

/** Caveats a person should read before enforcing the export (printed on stderr by the CLI). */
export function exportWarnings(baseline: Baseline, to: ExportTarget): string[] {
  const out: string[] = [];
  if (to === 'seccomp' && baseline.learned.seccomp === 'default') {
    out.push('the baseline was learned under the engine\'s default seccomp profile: calls it denied were never seen; for a complete set, record the learning runs with `imprint run/up --seccomp-unconfined` (in the app: "Run without Docker\'s seccomp profile") and learn again');
  }
  if (to === 'falco') {
    for (const [image, names] of sharedImages(baseline)) {
      out.push(`${names.join(', ')} run the same image (${image}): their rules also match the service name (compose label, Kubernetes container name or container name), so keep those names where the rules run`);
    }
  }
  const flaky = Object.entries(baseline.services).filter(([, s]) => s.runs < baseline.learned.runs);
  if (flaky.length) out.push(`service(s) ${flaky.map(([n]) => n).join(', ')} took part in fewer runs than the baseline has`);
  // A cut list lost items its learning run showed: a policy built from it would refuse them.
  for (const [name, s] of Object.entries(baseline.services)) {
    if (s.truncated?.length) out.push(`service ${name}: ${s.truncated.join(', ')} were cut at their bound when learned: the policy lacks what was cut`);
  }
  return out;
}

export { ExportError } from './service.js';
