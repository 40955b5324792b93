/** The page's own methods: ready for pushes, and opening links outside the app. */
import type { Dispatcher } from '../dispatcher.js';

export interface AppServiceOptions {
  version: string;
  workspace: string;
  /** Electron passes shell.openExternal; browser mode has none (the link is already in a browser). */
  openExternal?: (url: string) => Promise<void>;
}

export function registerAppService(dispatcher: Dispatcher, opts: AppServiceOptions): void {
  dispatcher.register('ui.ready', (_args, caller) => {
    caller.markReady?.();
    return { mode: caller.mode, workspace: opts.workspace, version: opts.version };
  });
  dispatcher.register('shell.openExternal', async ({ url }, caller) => {
    const u = new URL(url);
    // Only web links: file:, javascript:, custom schemes could run things on the user's machine.
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || caller.mode !== 'electron' || !opts.openExternal) return { opened: false };
    await opts.openExternal(u.href);
    return { opened: true };
  });
}
