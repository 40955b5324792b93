/**
 * `imprint run IMAGE [--capture FILE] [--json] [--duration S] [--name N] [--network NET] [-e K=V]...
 * [-p HOST:CONTAINER]... [-- CMD ARGS...]`: one image under the probe; exits with the app's exit code.
 */
import type { Command } from 'commander';
import type { RunConfig } from '../../../common/api.js';
import { startRun } from '../../engine/index.js';
import { cancelStartOnSignal, failed, followSession, printEvents, printMessage } from '../live-output.js';
import { addRunControlOptions, collect, envEntry, runControlOptions, seconds, tracingOptions, type RunControlFlags } from '../options.js';

interface RunFlags extends RunControlFlags {
  capture?: string; json?: boolean; duration?: number; name?: string; network?: string; env?: string[]; publish?: string[]; volume?: string[];
  pull?: boolean; interactive?: boolean;
}

export function registerRun(program: Command): void {
  addRunControlOptions(program
    .command('run')
    .description('run an image with the probe and show what it does')
    .argument('<image>', 'image reference, e.g. debian:bookworm')
    .argument('[command...]', 'command and arguments (its options are its own), replacing the image\'s CMD')
    .option('--capture <file>', 'record everything to this capture file')
    .option('--json', 'print events as NDJSON on stdout')
    .option('--duration <seconds>', 'stop the container after this long', seconds)
    .option('--name <name>', 'container name (also the service name in events)')
    .option('--network <network>', 'network to join')
    .option('-e, --env <KEY=VALUE>', 'set an environment variable (repeatable)', envEntry)
    .option('-p, --publish <[IP:]HOST:CONTAINER>', 'publish a port (repeatable)', collect)
    .option('-v, --volume <SRC:DST[:ro]>', 'mount a host folder (SRC starts with / . or ~) or a named volume, as docker -v (repeatable)', collect)
    .option('-i, --interactive', "pass Imprint's stdin to the app")
    .option('--pull', 'pull the image when it is not available locally')
    .option('--no-seccomp', 'trace with ptrace alone (slower), so setuid programs can elevate')
    .option('--seccomp-unconfined', "run without the engine's default seccomp profile (baseline learning runs: see every call)")
    // Imprint's options may follow the image (the README writes them so); the app's command starts at the
    // first other word and keeps its own options (main.ts, markCommandStart).
    .showHelpAfterError("usage: imprint run IMAGE [imprint's options] [CMD ARGS...] (or -- CMD ARGS...)"))
    .action(async (image: string, command: string[], flags: RunFlags) => {
      const config: RunConfig = { image, ...tracingOptions(flags) };
      if (command.length) config.command = command;
      if (flags.env?.length) config.env = flags.env;
      if (flags.publish?.length) config.ports = flags.publish;
      if (flags.volume?.length) config.volumes = flags.volume;
      if (flags.network) config.network = flags.network;
      if (flags.name) config.name = flags.name;
      if (flags.duration) config.duration = flags.duration;
      const mode = { json: Boolean(flags.json), prefix: false };
      const startup = cancelStartOnSignal();
      try {
        const session = await startRun(config, {
          signal: startup.signal,
          // No UI reads the replay buffer here: the events go to the terminal and the capture file (F19).
          maxEventsInMemory: 1000,
          ...runControlOptions(flags),
          ...(flags.interactive ? { stdin: process.stdin } : {}),
          pull: Boolean(flags.pull),
          onEvents: (events) => printEvents(events, mode),
          onMessage: printMessage,
        });
        startup.release();
        process.exitCode = await followSession(session, mode);
      } catch (err) {
        startup.release();
        process.exitCode = failed('run', err);
      }
    });
}
