/**
 * Browser mode in one call: the backend on the real engine behind the token-locked HTTP server.
 * `imprint serve` and the end-to-end tests both start it this way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend, realEngine, type Backend } from './app-backend.js';
import { startBrowserServer, type BrowserServer } from './http-server.js';
import type { EngineApi } from './services/run-service.js';

export interface ServeOptions {
  port?: number;
  workspace: string;
  appRoot: string;
  labels?: Record<string, string>;
  engine?: EngineApi;
}

export interface Serving extends BrowserServer { backend: Backend }

export async function startServe(opts: ServeOptions): Promise<Serving> {
  const staticDir = join(opts.appRoot, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${staticDir}): run \`npm run build:renderer\` first`);
  }
  const backend = createBackend({ workspace: opts.workspace, appRoot: opts.appRoot, engine: opts.engine ?? (await realEngine()), labels: opts.labels });
  const server = await startBrowserServer({ dispatcher: backend.dispatcher, hub: backend.hub, staticDir, port: opts.port });
  return {
    ...server,
    backend,
    close: async () => { await backend.runs.stopAll(); backend.hub.flush(); await server.close(); },
  };
}

/** The app's folder from a compiled or tsx-run module inside electron/: where package.json is. */
export function findAppRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'renderer'))) return dir;
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'renderer'))) return dir;
    dir = join(dir, '..');
  }
  return process.cwd();
}
