/**
 * The `imprint` command line. Each command lives in commands/<name>.ts and exports `registerX(program)`;
 * registering one is one line in COMMANDS below.
 */
import { Command } from 'commander';
import { IMPRINT_VERSION } from '../engine/version.js';
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

const program = new Command()
  .name('imprint')
  .description('See what a container image really does when it runs, and keep that behaviour as a file you can commit.')
  .version(IMPRINT_VERSION)
  .enablePositionalOptions()
  .showHelpAfterError();
for (const register of COMMANDS) register(program);

await program.parseAsync(process.argv);
