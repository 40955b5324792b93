/**
 * The `imprint` command line. Each command lives in commands/<name>.ts and exports `registerX(program)`;
 * registering one is one line in COMMANDS below.
 */
import { Command, CommanderError } from 'commander';
import { IMPRINT_VERSION } from '../engine/version.js';
import { markCommandStart } from './options.js';
import { registerBaseline } from './commands/baseline.js';
import { registerCheck } from './commands/check.js';
import { registerDoctor } from './commands/doctor.js';
import { registerExport } from './commands/export.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerShow } from './commands/show.js';
import { registerUp } from './commands/up.js';

const COMMANDS: ((program: Command) => void)[] = [
  registerRun,
  registerUp,
  registerShow,
  registerDoctor,
  registerBaseline,
  registerCheck,
  registerExport,
  registerServe,
];

/**
 * Usage errors (a missing or misspelt option) must not exit 1: for `check` that means "drift", for `run`
 * it looks like the app's own code. They exit 2, and 125 for run and up (Imprint's own failure, as with
 * `docker run`).
 */
const USAGE_EXIT: Record<string, number> = { run: 125, up: 125 };

const program = new Command()
  .name('imprint')
  .description('See what a container image really does when it runs, and keep that behaviour as a file you can commit.')
  .version(IMPRINT_VERSION)
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride();
for (const register of COMMANDS) register(program);

/** `imprint run IMAGE CMD ARGS...`: the app's own options are the app's, as with `docker run`. */
function argvOf(argv: readonly string[]): string[] {
  const run = program.commands.find((c) => c.name() === 'run');
  if (argv[2] !== 'run' || !run) return [...argv];
  return [...argv.slice(0, 3), ...markCommandStart(argv.slice(3), run.options)];
}

try {
  await program.parseAsync(argvOf(process.argv));
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and --version end with code 0; commander has already printed its message for the rest.
  if (err.exitCode === 0) process.exit(0);
  // A command that chose its own code with command.error(..., { exitCode }) keeps it.
  if (err.code === 'commander.error') process.exit(err.exitCode);
  const command = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
  process.exit(USAGE_EXIT[command] ?? 2);
}
