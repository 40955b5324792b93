/**
 * `imprint export FILE --to seccomp|networkpolicy|apparmor|falco [--service NAME] [-o OUT]`: a policy from a
 * baseline, on stdout or written atomically. Caveats (learned under the default seccomp profile, services
 * with fewer runs) go to stderr, so stdout stays a clean policy for a pipe.
 */
import type { Command } from 'commander';
import { EXPORT_TARGETS, exportPolicy, exportWarnings, type ExportTarget } from '../../../common/export/index.js';
import { checkWritable, CliError, readBaselineFile, writeAtomically } from './baseline-io.js';

interface ExportFlags { to: string; service?: string; output?: string }

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('turn a baseline into a policy: seccomp profile, Kubernetes NetworkPolicy, AppArmor profile or Falco rules')
    .argument('<baseline>', 'baseline file (imprint baseline -o)')
    .requiredOption('--to <format>', `policy format: ${EXPORT_TARGETS.join(', ')}`)
    .option('--service <name>', 'only this service (seccomp needs it when the baseline has several)')
    .option('-o, --output <file>', 'write here (atomically) instead of stdout')
    .action(async (file: string, flags: ExportFlags) => {
      try {
        if (!(EXPORT_TARGETS as readonly string[]).includes(flags.to)) throw new CliError(`--to is one of ${EXPORT_TARGETS.join(', ')}, not ${flags.to}`);
        const to = flags.to as ExportTarget;
        if (flags.output) await checkWritable(flags.output, [{ path: file, role: 'the baseline' }]);
        const { baseline } = await readBaselineFile(file);
        const text = exportPolicy(baseline, to, flags.service);
        for (const w of exportWarnings(baseline, to)) console.error(`imprint export: warning: ${w}`);
        if (flags.output) await writeAtomically(flags.output, text);
        else process.stdout.write(text);
      } catch (err) {
        console.error(`imprint export: ${(err as Error).message}`);
        process.exitCode = 2;
      }
    });
}
