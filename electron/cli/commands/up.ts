/**
 * `imprint up COMPOSE_FILE [--capture F] [--json] [--duration S] [--until SERVICE]`: every service of a
 * compose file under the probe on a network of the run's own; ends when the duration ends, every service
 * has exited, or the --until service has exited (whose exit code it returns, like --exit-code-from).
 */
import type { Command } from 'commander';
import type { ComposeConfig } from '../../../common/api.js';
import { startCompose } from '../../engine/index.js';
import { cancelStartOnSignal, failed, followSession, printEvents, printMessage } from '../live-output.js';
import { addRunControlOptions, runControlOptions, seconds, tracingOptions, type RunControlFlags } from '../options.js';

interface UpFlags extends RunControlFlags { capture?: string; json?: boolean; duration?: number; until?: string; pull?: boolean }

export function registerUp(program: Command): void {
  addRunControlOptions(program
    .command('up')
    .description('run every service of a compose file with the probe')
    .argument('<compose-file>', 'compose file (the common subset: image, command, entrypoint, environment, ports, depends_on, networks, working_dir, user)')
    .option('--capture <file>', 'record everything to this capture file')
    .option('--json', 'print events as NDJSON on stdout')
    .option('--duration <seconds>', 'stop every service after this long', seconds)
    .option('--until <service>', 'stop everything when this service exits, and exit with its code')
    .option('--pull', 'pull images that are not available locally')
    .option('--no-seccomp', 'trace with ptrace alone (slower), so setuid programs can elevate')
    .option('--seccomp-unconfined', "run without the engine's default seccomp profile (baseline learning runs: see every call)"))
    .action(async (file: string, flags: UpFlags) => {
      const config: ComposeConfig = { file, ...tracingOptions(flags) };
      if (flags.until) config.until = flags.until;
      if (flags.duration) config.duration = flags.duration;
      const mode = { json: Boolean(flags.json), prefix: true };
      const startup = cancelStartOnSignal();
      try {
        const session = await startCompose(config, {
          signal: startup.signal,
          // No UI reads the replay buffer here: the events go to the terminal and the capture file (F19).
          maxEventsInMemory: 1000,
          ...runControlOptions(flags),
          pull: Boolean(flags.pull),
          onEvents: (events) => printEvents(events, mode),
          onMessage: printMessage,
        });
        startup.release();
        process.exitCode = await followSession(session, mode);
      } catch (err) {
        startup.release();
        process.exitCode = failed('up', err);
      }
    });
}
