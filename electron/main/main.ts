/**
 * The Electron main process, kept thin: a hardened window onto the renderer, served from the app's own
 * `app://imprint` origin with the strict CSP, and one IPC door into the same dispatcher browser mode uses.
 * Every decision lives in policy.ts (tested without Electron); this file only wires Electron to it.
 */
import { app, BrowserWindow, ipcMain, protocol, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL } from '../../common/api.js';
import { createBackend, realEngine } from '../server/app-backend.js';
import { SECURITY_HEADERS } from '../server/csp.js';
import { findAppRoot } from '../server/serve.js';
import { IpcDoor } from './ipc-door.js';
import { APP_ENTRY, APP_SCHEME, MIME, isAllowedNavigation, isExternalLink, resolveAppFile, secureWebPreferences } from './policy.js';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = app.isPackaged ? app.getAppPath() : findAppRoot(here);
const rendererDir = join(appRoot, 'dist', 'renderer');
// Compiled next to this file's build output: dist/electron/electron/preload/preload.cjs.
const preload = join(here, '..', 'preload', 'preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Nothing embedded, no new windows, no navigation away, no permissions: for every web contents created.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e, url) => { if (!isAllowedNavigation(url)) e.preventDefault(); });
  contents.on('will-redirect', (e, url) => { if (!isAllowedNavigation(url)) e.preventDefault(); });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

async function main(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    const body = file ? await readFile(file).catch(() => undefined) : undefined;
    if (!file || !body) return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' } });
  });

  const backend = createBackend({
    workspace: process.env.IMPRINT_WORKSPACE ?? process.cwd(),
    appRoot,
    engine: await realEngine(),
    openExternal: async (url) => { if (isExternalLink(url)) await shell.openExternal(url); },
  });
  const door = new IpcDoor(backend.dispatcher, backend.hub);
  const attach = (contents: WebContents) => {
    door.attach(contents);
    contents.once('destroyed', () => door.detach(contents.id));
    // A reload starts a new page that must say ready again before pushes flow.
    contents.on('did-start-navigation', (details) => { if (details.isMainFrame && !details.isSameDocument) door.attach(contents); });
  };

  ipcMain.handle(IPC_CALL, (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
    const frame = event.senderFrame;
    return door.call({ sender: event.sender, frame: frame ? { url: frame.url, isMainFrame: frame === frame.top } : null }, method, args);
  });

  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1600, height: 1000, minWidth: 1000, minHeight: 700, show: false, title: 'Imprint',
      backgroundColor: '#0f1115',
      webPreferences: secureWebPreferences(preload),
    });
    attach(win.webContents);
    win.once('ready-to-show', () => win.show());
    void win.loadURL(APP_ENTRY);
  };
  createWindow();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow(); });
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting) return;
    // Stop (and clean up) running containers before the process goes away.
    e.preventDefault();
    quitting = true;
    void backend.runs.stopAll().finally(() => app.quit());
  });
}

main().catch((err: unknown) => {
  console.error(err);
  app.exit(1);
});
