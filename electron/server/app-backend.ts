/**
 * Everything behind the page, assembled once: the dispatcher with every service registered, and the push
 * hub. Electron's IPC handlers and the browser-mode server both sit in front of this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dispatcher } from './dispatcher.js';
import { PushHub } from './push-hub.js';
import { Workspace } from './workspace.js';
import { registerAppService } from './services/app-service.js';
import { registerFilesService } from './services/files-service.js';
import { registerRunService, type EngineApi, type RunService } from './services/run-service.js';

export interface BackendOptions {
  /** The folder the user works in: captures, baselines and compose files live there. */
  workspace: string;
  /** The app's own folder (package.json, assets/, dist/). */
  appRoot: string;
  engine: EngineApi;
  labels?: Record<string, string>;
  openExternal?: (url: string) => Promise<void>;
  pushIntervalMs?: number;
}

export interface Backend { dispatcher: Dispatcher; hub: PushHub; runs: RunService; workspace: Workspace }

export function createBackend(opts: BackendOptions): Backend {
  const dispatcher = new Dispatcher();
  const hub = new PushHub(opts.pushIntervalMs ?? 25);
  const workspace = new Workspace(opts.workspace);
  registerAppService(dispatcher, { version: appVersion(opts.appRoot), workspace: workspace.root, openExternal: opts.openExternal });
  registerFilesService(dispatcher, workspace, { appRoot: opts.appRoot });
  const runs = registerRunService(dispatcher, hub, workspace, opts.engine, { labels: opts.labels });
  return { dispatcher, hub, runs, workspace };
}

function appVersion(root: string): string {
  try { return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'; } catch { return '0.0.0'; }
}

/** The real engine (electron/engine), loaded lazily so browser mode starts even while Docker is down. */
export async function realEngine(): Promise<EngineApi> {
  const engine = await import('../engine/index.js');
  let connection: Promise<import('../engine/index.js').EngineConnection> | undefined;
  const connect = () => (connection ??= engine.connectEngine().catch((err: unknown) => { connection = undefined; throw err; }));
  return {
    engineStatus: () => engine.engineStatus(),
    listImages: async () => engine.listImages((await connect()).docker),
    startRun: async (config, options) => engine.startRun(config, { ...options, engine: await connect() }),
    startCompose: async (config, options) => engine.startCompose(config, { ...options, engine: await connect() }),
  };
}
