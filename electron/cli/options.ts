/** Parsing helpers shared by the commands: repeatable options and checked numbers. */
import { InvalidArgumentError, type Command, type Option } from 'commander';
import type { Tracing } from '../../common/api.js';
import type { SessionOptions } from '../engine/index.js';

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** --duration: more than 0 (a run of 0 s would end before it began), at most a day. */
export function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 86_400) throw new InvalidArgumentError('expected a number of seconds greater than 0 and at most 86400');
  return n;
}

/**
 * --stop-timeout: 0 is allowed and kills at once after SIGTERM, as `docker stop -t 0` does. Whole seconds
 * only: the engine answers `stop?t=0.5` with an error, and the container would then not be stopped.
 */
export function graceSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 86_400) throw new InvalidArgumentError('expected a whole number of seconds from 0 (kill at once) to 86400');
  return n;
}

export function envEntry(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
    // `-e KEY` takes the value from Imprint's own environment, like docker run.
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) && process.env[value] !== undefined) return [...previous, `${value}=${process.env[value]}`];
    throw new InvalidArgumentError(`expected KEY=VALUE, not '${value}'`);
  }
  return [...previous, value];
}

export function labels(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of values ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--label takes key=value, not '${l}'`);
    out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** `--label key=value`, checked as it is parsed, so a bad one is a usage error rather than a failure mid-run. */
export function labelEntry(value: string, previous: string[] = []): string[] {
  labels([value]);
  return [...previous, value];
}

/** The options of every command that runs containers (run, up, check): defined once, meaning the same. */
export interface RunControlFlags {
  force?: boolean; stopTimeout?: number; label?: string[]; probe?: string;
  /** false with --no-log-pids; false with --no-seccomp, true with --seccomp-unconfined (run and up define those). */
  logPids?: boolean; seccomp?: boolean; seccompUnconfined?: boolean;
}

export function addRunControlOptions(command: Command): Command {
  return command
    .option('--force', 'replace the --capture file if it exists')
    .option('--stop-timeout <seconds>', 'how long the app gets between SIGTERM and the kill when Imprint stops it (default 10; 0 kills at once)', graceSeconds)
    .option('--label <key=value>', 'extra label on every container and network the run creates (repeatable)', labelEntry)
    .option('--probe <file>', 'probe binary to inject (default: native/build/probe-<arch>)')
    .option('--no-log-pids', "don't learn which process wrote each line to stdout/stderr (each write then costs the app nothing; lines carry no pid)");
}

/** How those options trace the run: fields of the run's or compose file's config. */
export function tracingOptions(flags: RunControlFlags): Tracing {
  return {
    ...(flags.logPids === false ? { logPids: false } : {}),
    ...(flags.seccomp === false ? { seccomp: false } : {}),
    ...(flags.seccompUnconfined ? { seccompUnconfined: true } : {}),
  };
}

/** What those options mean to the engine. */
export function runControlOptions(flags: RunControlFlags & { capture?: string }): SessionOptions {
  return {
    ...(flags.capture ? { capture: flags.capture, overwriteCapture: Boolean(flags.force) } : {}),
    // 0 is a real choice (kill at once), not "unset".
    ...(flags.stopTimeout !== undefined ? { stopGraceSeconds: flags.stopTimeout } : {}),
    ...(flags.probe ? { probePath: flags.probe } : {}),
    labels: labels(flags.label),
  };
}

/**
 * Where the app's command starts, as `docker run` reads it: at the first word after `positionals` leading
 * arguments (the image) that is not one of Imprint's options. Everything from there is the app's, options
 * included (`imprint run IMG grep -v x --json` runs grep with --json). Imprint's options may still follow
 * the image (`imprint run redis:7 --duration 30`). Returns `args` with `--` inserted before that word, so
 * the parser hands the rest over untouched; an explicit `--` is left as it is.
 */
export function markCommandStart(args: readonly string[], options: readonly Option[], positionals = 1): string[] {
  let seen = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      const option = options.find((o) => o.long === a || o.short === a);
      if (option && (option.required || option.optional) && !a.includes('=')) i++; // its value is the next word
      continue;
    }
    if (seen++ === positionals) return [...args.slice(0, i), '--', ...args.slice(i)];
  }
  return [...args];
}
