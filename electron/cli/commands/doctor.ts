/**
 * `imprint doctor`: which engine Imprint talks to and why, whether it answers, whether the probe for its
 * architecture is built, and leftovers of crashed runs (swept with --sweep).
 */
import type { Command } from 'commander';
import { connectEngine, engineStatus, resolveEndpoint, sweepLeftovers } from '../../engine/index.js';
import { findProbe } from '../../engine/probe-binary.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the container engine connection and the probe binary')
    .option('--sweep', 'remove containers and networks left by crashed Imprint runs')
    .action(async (flags: { sweep?: boolean }) => {
      const status = await engineStatus();
      let endpoint = '';
      try { const e = resolveEndpoint(); endpoint = `${e.host} (from ${e.source})`; } catch { /* shown in status */ }
      const lines = [`engine endpoint: ${endpoint || status.context || '?'}`];
      if (!status.connected) {
        lines.push(`engine: NOT CONNECTED: ${status.error ?? ''}`);
        if (status.fix) lines.push(`  fix: ${status.fix}`);
        process.stdout.write(lines.join('\n') + '\n');
        process.exitCode = 1;
        return;
      }
      lines.push(`engine: ${status.kind} ${status.version}, API ${status.apiVersion}, ${status.arch}`);
      try {
        const p = findProbe(status.arch ?? 'x86_64');
        lines.push(`probe: ${p.file} (sha256 ${p.sha256.slice(0, 12)})`);
      } catch (err) {
        lines.push(`probe: MISSING: ${(err as Error).message}`);
        process.exitCode = 1;
      }
      if (flags.sweep) {
        const c = await connectEngine();
        const swept = await sweepLeftovers(c.docker);
        lines.push(`swept: ${swept.containers} container(s), ${swept.networks} network(s) left by crashed runs`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
