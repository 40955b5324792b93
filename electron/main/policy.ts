/**
 * The Electron shell's security decisions as plain functions (no Electron import), so tests exercise the
 * exact rules main.ts applies: which IPC sender is the app's own page, where a window may navigate, which
 * links may leave the app, and which file a request to the app's own protocol may read.
 */
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The renderer is served from this privileged, standard scheme rather than file:// (an origin of its own). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'imprint';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export interface SenderFrame { url: string; isMainFrame: boolean }

/** VS Code's validateSender: only the app's own page, and only its main frame, may call the main process. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || !frame.isMainFrame) return false;
  return originOf(frame.url) === APP_ORIGIN;
}

/** In-app navigation never leaves the app's origin (and the app is one page, so it rarely navigates). */
export function isAllowedNavigation(url: string): boolean {
  return originOf(url) === APP_ORIGIN;
}

/** Links that may be opened in the user's browser: http(s) only, with no credentials in them. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

/**
 * The file inside `root` an `app://imprint/...` request names, or undefined (other host, traversal,
 * encoded separators). Paths without an extension are the single-page app's routes: index.html.
 */
export function resolveAppFile(root: string, requestUrl: string): string | undefined {
  let u: URL;
  try { u = new URL(requestUrl); } catch { return undefined; }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  let path: string;
  try { path = decodeURIComponent(u.pathname); } catch { return undefined; }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '/' || extname(path) === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(join(base, normalize(path)));
  return file.startsWith(base + sep) ? file : undefined;
}

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json', '.woff2': 'font/woff2',
};

/** The BrowserWindow settings every Imprint window uses. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  } as const;
}
