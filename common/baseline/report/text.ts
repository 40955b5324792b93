/** The drift report for people: plain text, with ANSI colour only when the caller says the output is a terminal. */
import type { CheckResult } from '../check.js';

export interface TextOptions { color: boolean; baselineFile: string; /** Unseen items listed before "and N more". */ maxUnseen?: number }

export function textReport(r: CheckResult, o: TextOptions): string {
  const paint = (code: string) => (s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const red = paint('31'), yellow = paint('33'), green = paint('32'), dim = paint('2'), bold = paint('1');
  const lines: string[] = [];
  const headline = {
    clean: green(`clean: the run matches ${o.baselineFile}`),
    drift: red(`drift: ${r.deviations.length} deviation(s) from ${o.baselineFile}`),
    inconclusive: yellow(`inconclusive: the capture is incomplete, so it cannot prove the run matches ${o.baselineFile}`),
  }[r.verdict];
  lines.push(bold(headline));
  for (const reason of r.incomplete) lines.push(yellow(`  incomplete: ${reason}`));
  let service = '';
  for (const d of r.deviations) {
    if (d.service !== service) { service = d.service; lines.push('', bold(service)); }
    const times = d.count > 1 ? dim(` (${d.count} times)`) : '';
    lines.push(`  ${red('✗')} ${d.rule}: ${d.message}${times}`);
    lines.push(dim(`      first event: seq ${d.event.seq} pid ${d.event.pid} ${d.event.kind} at ${new Date(d.event.time).toISOString()}`));
  }
  const max = o.maxUnseen ?? 20;
  if (r.unseen.length) {
    lines.push('', dim(`not seen this run (information, not drift): ${r.unseen.length} item(s)`));
    for (const u of r.unseen.slice(0, max)) lines.push(dim(`  · ${u.service} ${u.category} ${u.item} (seen in ${u.runs}/${u.of} learning runs)`));
    if (r.unseen.length > max) lines.push(dim(`  · and ${r.unseen.length - max} more (--format json lists them all)`));
  }
  const unknown = r.deviations.filter((d) => d.rule === 'new-service').length;
  const matched = Object.keys(r.services).length;
  lines.push('', dim(`${r.events} event(s) checked: ${matched} service(s) against the baseline${unknown ? `, ${unknown} not in it` : ''}`));
  return lines.join('\n') + '\n';
}
