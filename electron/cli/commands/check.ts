/**
 * `imprint check (CAPTURE | --image IMAGE [-- CMD...] | --compose FILE) --baseline FILE
 *  [--format text|json|sarif|junit] [-o FILE]` plus the run options of `run` and `up`.
 * Exit codes (docs/baseline.md): 0 clean, 1 drift, 2 error, 3 inconclusive (the capture is incomplete, so
 * CI never passes on evidence it does not have). A live check runs under the seccomp profile the baseline
 * was learned under, so both see the same calls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RunConfig } from '../../../common/api.js';
import { describeProblem } from '../../../common/capture.js';
import type { ImprintEvent } from '../../../common/events.js';
import { checkDrift, type CheckResult } from '../../../common/baseline/check.js';
import { serviceLines } from '../../../common/baseline/file.js';
import { jsonReport } from '../../../common/baseline/report/json.js';
import { junitReport } from '../../../common/baseline/report/junit.js';
import { sarifReport } from '../../../common/baseline/report/sarif.js';
import { textReport } from '../../../common/baseline/report/text.js';
import type { Baseline } from '../../../common/baseline/schema.js';
import { startCompose, startRun, type RunResult, type RunSession, type SessionOptions } from '../../engine/index.js';
import type { CommandInput } from '../../capture/writable-path.js';
import { IMPRINT_VERSION } from '../../engine/version.js';
import { addRunControlOptions, collect, envEntry, runControlOptions, seconds, tracingOptions, type RunControlFlags } from '../options.js';
import { artifactUri, checkWritable, CliError, readBaselineFile, readCaptureFile, writeAtomically } from './baseline-io.js';

export const EXIT = { clean: 0, drift: 1, error: 2, inconclusive: 3 } as const;
const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

interface CheckFlags extends RunControlFlags {
  baseline: string; format: string; output?: string;
  image?: string; compose?: string;
  duration?: number; until?: string; env?: string[]; publish?: string[]; volume?: string[]; network?: string; name?: string;
  capture?: string;
}

export function registerCheck(program: Command): void {
  addRunControlOptions(program
    .command('check')
    .description('check a capture, or a fresh run of an image or compose file, against a baseline (exit 0 clean, 1 drift, 2 error, 3 inconclusive)')
    .argument('[args...]', 'a capture file; or, with --image, the command to run after --')
    .requiredOption('--baseline <file>', 'baseline file (imprint baseline -o)')
    .option('--format <format>', `report format: ${FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report here (atomically) instead of stdout')
    .option('--image <image>', 'run this image under the probe and check the run')
    .option('--compose <file>', 'run this compose file under the probe and check the run')
    .option('--duration <seconds>', 'stop the run after this long', seconds)
    .option('--until <service>', 'compose: stop when this service exits')
    .option('-e, --env <KEY=VALUE>', 'environment for --image (repeatable)', envEntry)
    .option('-p, --publish <[IP:]HOST:CONTAINER>', 'publish a port for --image (repeatable)', collect)
    .option('-v, --volume <SRC:DST[:ro]>', 'mount a host folder or a named volume for --image, as docker -v (repeatable)', collect)
    .option('--network <name>', 'network for --image')
    .option('--name <name>', 'container (and service) name for --image')
    .option('--capture <file>', 'also keep the checked run as a capture file'))
    .action(async (args: string[], flags: CheckFlags) => {
      // Commander drops `--`; whether it was there tells a command from a capture file given by mistake.
      const dashdash = process.argv.slice(2).includes('--');
      process.exitCode = await checkCommand(args, flags, dashdash).catch((err: unknown) => {
        console.error(`imprint check: ${(err as Error).message}`);
        return EXIT.error;
      });
    });
}

interface Evidence { events: ImprintEvent[]; incomplete: string[] }

async function checkCommand(args: string[], flags: CheckFlags, dashdash: boolean): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw new CliError(`--format is one of ${FORMATS.join(', ')}, not ${flags.format}`);
  const sources = [args.length > 0 && !flags.image, !!flags.image, !!flags.compose].filter(Boolean).length;
  if (sources !== 1) throw new CliError('give exactly one of: a capture file, --image IMAGE, --compose FILE');
  if (flags.image && args.length && !dashdash) {
    throw new CliError(`with --image, the command to run goes after --: imprint check --image ${flags.image} --baseline FILE -- ${args.join(' ')} (to check the capture '${args[0]}', drop --image)`);
  }
  if (flags.output) await checkWritable(flags.output, checkInputs(args, flags));
  const { baseline, text } = await readBaselineFile(flags.baseline);

  let evidence: Evidence;
  if (flags.image || flags.compose) evidence = await liveRun(args, flags, baseline);
  else {
    if (args.length > 1) throw new CliError(`one capture at a time (got ${args.length}); use --image IMAGE -- CMD... to run a command`);
    const input = await readCaptureFile(args[0]!);
    evidence = { events: input.events, incomplete: input.incomplete };
  }
  const result = checkDrift(baseline, evidence);
  const report = render(result, flags.format as Format, flags.baseline, text);
  if (flags.output) await writeAtomically(flags.output, report);
  else process.stdout.write(report);
  return EXIT[result.verdict];
}

/** What a check reads, -o must not replace: the --capture of a live check is written and then read back. */
function checkInputs(args: string[], flags: CheckFlags): CommandInput[] {
  const inputs: CommandInput[] = [{ path: flags.baseline, role: 'the baseline' }];
  if (!flags.image && !flags.compose) inputs.push(...args.map((path) => ({ path, role: 'the capture' })));
  if (flags.compose) inputs.push({ path: flags.compose, role: 'the compose file' });
  if (flags.capture) inputs.push({ path: flags.capture, role: 'the --capture file' });
  if (flags.probe) inputs.push({ path: flags.probe, role: 'the probe binary' });
  return inputs;
}

function render(r: CheckResult, format: Format, baselineFile: string, baselineText: string): string {
  switch (format) {
    case 'text': return textReport(r, { color: !!process.stdout.isTTY && !process.env.NO_COLOR, baselineFile });
    case 'json': return jsonReport(r, baselineFile);
    case 'junit': return junitReport(r);
    case 'sarif': return JSON.stringify(sarifReport(r, {
      baselineUri: artifactUri(resolve(baselineFile)), serviceLines: serviceLines(baselineText), toolVersion: IMPRINT_VERSION,
    }), null, 2) + '\n';
  }
}

/**
 * Runs the image or compose file under the probe into a capture (a temporary one unless --capture is given)
 * and checks that capture: a live check and a capture check are then the same code path, and peers that
 * connected before the engine knew their container's address are still named from the run's records.
 */
async function liveRun(args: string[], flags: CheckFlags, baseline: Baseline): Promise<Evidence> {
  const duration = flags.duration;
  const tmp = flags.capture ? undefined : await mkdtemp(join(tmpdir(), 'imprint-check-'));
  const capture = flags.capture ?? join(tmp!, 'check.imprint');
  try {
    return await recordAndRead(args, flags, baseline, duration, capture);
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

async function recordAndRead(args: string[], flags: CheckFlags, baseline: Baseline, duration: number | undefined, capture: string): Promise<Evidence> {
  const opts: SessionOptions = {
    ...runControlOptions(flags),
    capture,
    // A temporary capture is ours to write; a --capture file is the user's, replaced only with --force.
    overwriteCapture: !flags.capture || Boolean(flags.force),
    onMessage: (m) => { if (m.level !== 'info') console.error(`imprint check: ${m.level}: ${m.service ? `${m.service}: ` : ''}${m.text}`); },
  };
  // Checked under the engine profile the baseline was learned under: calls it denies were never seen.
  const tracing = tracingOptions({ ...flags, seccompUnconfined: baseline.learned.seccomp === 'unconfined' });
  let session: RunSession;
  if (flags.image) {
    const config: RunConfig = { image: flags.image, ...tracing };
    if (args.length) config.command = args;
    if (flags.env?.length) config.env = flags.env;
    if (flags.publish?.length) config.ports = flags.publish;
    if (flags.volume?.length) config.volumes = flags.volume;
    if (flags.network) config.network = flags.network;
    if (flags.name) config.name = flags.name;
    if (duration) config.duration = duration;
    session = await startRun(config, opts);
  } else {
    session = await startCompose({ file: flags.compose!, ...tracing, ...(flags.until ? { until: flags.until } : {}), ...(duration ? { duration } : {}) }, opts);
  }
  // A check that is cancelled (Ctrl-C, a CI timeout) saw only part of the behaviour: it must never pass.
  let cancelledBy: string | undefined;
  const stop = (signal: NodeJS.Signals) => { cancelledBy ??= signal; void session.stop(); };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.once(s, stop);
  let result: RunResult;
  try {
    result = await session.done;
  } finally {
    for (const s of signals) process.off(s, stop);
  }
  const input = await readCaptureFile(result.capture ?? capture);
  const incomplete = [...input.incomplete, ...result.problems.map(describeProblem)];
  if (result.error) incomplete.push(`the run failed: ${result.error}`);
  if (!result.complete && incomplete.length === 0) incomplete.push('the engine reported the run incomplete');
  if (cancelledBy) incomplete.push(`the check was cancelled by ${cancelledBy} before the run ended by itself (give it --duration or --until)`);
  return { events: input.events, incomplete: [...new Set(incomplete)] };
}
