/**
 * `imprint serve [--port N] [--dir DIR]`: the desktop app's UI and engine in a browser, on 127.0.0.1 only,
 * locked by a random session token in the printed URL. Use it on a remote dev box through an SSH tunnel
 * (`ssh -L 7420:127.0.0.1:7420 box`, then open the URL locally).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { findAppRoot, startServe } from '../../server/serve.js';

interface ServeFlags { port?: string; dir?: string; label?: string[] }

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Imprint UI on 127.0.0.1 for a browser (prints a URL with a session token)')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--dir <folder>', 'workspace: where captures, baselines and compose files are (default: the current folder)')
    .option('--label <key=value...>', 'extra labels on every container and network the UI creates')
    .action(async (flags: ServeFlags) => {
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        console.error(`imprint serve: --port must be a number from 0 to 65535, not ${flags.port}`);
        process.exitCode = 2;
        return;
      }
      const labels: Record<string, string> = {};
      for (const l of flags.label ?? []) {
        const eq = l.indexOf('=');
        if (eq <= 0) { console.error(`imprint serve: --label takes key=value, not ${l}`); process.exitCode = 2; return; }
        labels[l.slice(0, eq)] = l.slice(eq + 1);
      }
      const workspace = resolve(flags.dir ?? process.cwd());
      if (!statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) {
        console.error(`imprint serve: the workspace ${workspace} is not a folder; create it, or pass an existing one with --dir`);
        process.exitCode = 2;
        return;
      }
      let serving;
      try {
        serving = await startServe({
          port, workspace, appRoot: findAppRoot(dirname(fileURLToPath(import.meta.url))),
          ...(Object.keys(labels).length ? { labels } : {}),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        console.error(`imprint serve: ${code === 'EADDRINUSE' ? `port ${port} is already in use; pick another with --port, or leave it out for a free one` : (err as Error).message}`);
        process.exitCode = 2;
        return;
      }
      console.log(`Imprint is serving ${serving.backend.workspace.root}`);
      console.log(`Open: ${serving.url}`);
      console.log('Only this URL (with its token) works; it answers on 127.0.0.1 only. Ctrl-C stops.');
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        console.log('\nimprint serve: stopping runs and closing…');
        void serving.close().finally(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
