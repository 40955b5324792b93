/**
 * `imprint baseline CAPTURE... -o FILE [--seccomp-profile default|unconfined] [--merge FILE]`: learns the
 * baseline of one or more captured runs and writes it atomically. Refuses incomplete captures unless told
 * otherwise: a baseline learned from partial evidence would make later complete runs look like drift.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeBound, type BoundNote } from '../../../common/baseline/bounds.js';
import { probeBlindSpots, sequenceGaps } from '../../../common/baseline/check.js';
import { stringifyBaseline } from '../../../common/baseline/file.js';
import { learningRun } from '../../../common/baseline/capture-input.js';
import { learnBaseline, type LearningRun } from '../../../common/baseline/learn.js';
import { mergeBaselines } from '../../../common/baseline/merge.js';
import { checkWritable, CliError, readBaselineFile, readCaptureFile, schemaRefFor, writeAtomically } from './baseline-io.js';

interface BaselineFlags { output: string; seccompProfile?: string; merge?: string; allowIncomplete?: boolean }

export function registerBaseline(program: Command): void {
  program
    .command('baseline')
    .description('learn a baseline (YAML) from one or more captures; commit it and check later runs against it')
    .argument('<captures...>', 'capture files of learning runs (imprint run/up --capture)')
    .requiredOption('-o, --output <file>', 'baseline file to write (atomically)')
    .option('--seccomp-profile <profile>', 'profile the learning runs ran under: default or unconfined (default: what the captures recorded)')
    .option('--merge <baseline>', 'merge the captures into this existing baseline')
    .option('--allow-incomplete', 'learn from captures that lost events or ended early')
    .action(async (captures: string[], flags: BaselineFlags) => {
      try {
        await learnCommand(captures, flags);
      } catch (err) {
        console.error(`imprint baseline: ${(err as Error).message}`);
        process.exitCode = 2;
      }
    });
}

async function learnCommand(captures: string[], flags: BaselineFlags): Promise<void> {
  if (flags.seccompProfile !== undefined && flags.seccompProfile !== 'default' && flags.seccompProfile !== 'unconfined') {
    throw new CliError(`--seccomp-profile is default or unconfined, not ${flags.seccompProfile}`);
  }
  // The --merge baseline is not among the inputs: `--merge b.yaml -o b.yaml` updates it in place, as
  // docs/baseline.md describes (it is read whole before the atomic write, and stays a baseline).
  await checkWritable(flags.output, captures.map((path) => ({ path, role: 'the capture' })));
  const merged = flags.merge ? await readBaselineFile(flags.merge) : undefined;
  // Where each run of this call was read from: a capture given twice (or a copy of it) is not counted again.
  // The --merge baseline does not name its runs (ids would change its bytes on every re-learning), so a
  // capture it already holds cannot be recognised: docs/baseline.md tells people to merge only new runs.
  const learnedFrom = new Map<string, string>();
  const runs: LearningRun[] = [];
  const pathOf = new Map<LearningRun, string>();
  const profiles = new Set<string>();
  for (const path of captures) {
    const input = await readCaptureFile(path);
    const run = learningRun(input);
    const earlier = run.id === undefined ? undefined : learnedFrom.get(run.id);
    if (earlier !== undefined) {
      console.error(`imprint baseline: skipped ${path}: already learned (run ${run.id}, from ${earlier})`);
      continue;
    }
    if (run.id !== undefined) learnedFrom.set(run.id, path);
    input.incomplete.push(...sequenceGaps(input.events), ...probeBlindSpots(input.events));
    if (input.incomplete.length && !flags.allowIncomplete) {
      throw new CliError(`${path} is incomplete (${input.incomplete.join('; ')}); learning from it would miss behaviour. Record it again, or pass --allow-incomplete`);
    }
    for (const why of input.incomplete) console.error(`imprint baseline: warning: ${path}: ${why}`);
    profiles.add(input.seccomp ?? 'default');
    runs.push(run);
    pathOf.set(run, path);
  }
  // Calls the default profile denies are invisible under it: one such run makes the learned set partial.
  const seccomp = (flags.seccompProfile ?? (profiles.has('default') ? 'default' : 'unconfined')) as 'default' | 'unconfined';
  if (seccomp === 'default') {
    console.error('imprint baseline: note: learned under the engine\'s default seccomp profile; for a complete syscall set record the learning runs with `imprint run/up --seccomp-unconfined`');
  } else if (profiles.has('default')) {
    // The flag changes the label, not what the captures saw: say so, or the seccomp export's caveat vanishes silently.
    console.error('imprint baseline: warning: --seccomp-profile unconfined, but the captures were recorded under the default profile: calls it denied are missing from them, and `imprint check` will now run unconfined');
  }
  const onBound = (note: BoundNote, run: LearningRun) => console.error(`imprint baseline: warning: ${pathOf.get(run)}: ${describeBound(note)}`);
  const learned = learnBaseline(runs, { seccomp, onBound });
  const baseline = merged ? mergeBaselines(merged.baseline, learned) : learned;
  const out = resolve(flags.output);
  // People's notes in the file being merged into, or replaced, stay with the items that still exist.
  const previous = merged?.text ?? (await readFile(out, 'utf8').catch(() => undefined));
  await writeAtomically(out, stringifyBaseline(baseline, schemaRefFor(out), previous));
  const services = Object.entries(baseline.services);
  console.log(`wrote ${flags.output}: ${services.length} service(s) from ${baseline.learned.runs} run(s)`);
  for (const [name, s] of services) {
    const items = s.executables.length + Object.values(s.files).reduce((n, l) => n + l.length, 0) + s.listen.length + s.outbound.length + s.inbound.length + s.dns.length + s.uids.length + s.syscalls.length;
    console.log(`  ${name}: ${s.executables.length} executable(s), ${items} item(s), ${s.syscalls.length} syscall(s) beyond the always-allowed list`);
  }
}
