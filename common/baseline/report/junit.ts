/**
 * JUnit XML for CI dashboards: one testsuite per service, one testcase per area (processes, files, network,
 * dns, identity, syscalls), a failure per deviation; an incomplete capture is an <error> testcase.
 */
import type { CheckResult, RuleId } from '../check.js';

const AREAS: Record<string, RuleId[]> = {
  processes: ['new-executable', 'new-service'],
  files: ['new-file-write', 'new-file-create', 'new-file-delete'],
  network: ['new-outbound-peer', 'new-inbound-peer', 'new-listen-port'],
  dns: ['new-dns-name'],
  identity: ['uid-change'],
  syscalls: ['new-syscall'],
};

/** XML 1.0 text: escapes markup and drops characters XML cannot carry at all. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function junitReport(r: CheckResult): string {
  const services = [...new Set([...Object.values(r.services), ...r.deviations.map((d) => d.service)])].sort();
  const suites: string[] = [];
  let tests = 0, failures = 0, errors = 0;
  for (const service of services) {
    const cases: string[] = [];
    let sf = 0;
    for (const [area, rules] of Object.entries(AREAS)) {
      const ds = r.deviations.filter((d) => d.service === service && rules.includes(d.rule));
      const name = `classname="${xmlEscape(service)}" name="${area}"`;
      if (!ds.length) { cases.push(`    <testcase ${name}/>`); continue; }
      sf++;
      const body = ds.map((d) => `${d.rule}: ${d.message}`).join('\n');
      cases.push(`    <testcase ${name}><failure message="${xmlEscape(`${ds.length} deviation(s): ${ds[0]!.message}`)}" type="drift">${xmlEscape(body)}</failure></testcase>`);
    }
    tests += cases.length; failures += sf;
    suites.push(`  <testsuite name="${xmlEscape(service)}" tests="${cases.length}" failures="${sf}" errors="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (r.incomplete.length || services.length === 0) {
    errors++; tests++;
    const why = r.incomplete.join('; ') || 'no service was checked';
    suites.push(`  <testsuite name="capture" tests="1" failures="0" errors="1">\n    <testcase classname="capture" name="complete"><error message="${xmlEscape(why)}" type="inconclusive"/></testcase>\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="imprint check" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
