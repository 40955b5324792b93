/**
 * The Electron shell's rules, tested without the Electron binary (it cannot be downloaded here): the
 * sender check, navigation and external-link policy, the app:// file resolution, the window settings,
 * the preload's channel names against the contract, and the packaging configuration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { APP_ENTRY, isAllowedNavigation, isExternalLink, isTrustedSender, resolveAppFile, secureWebPreferences } from '../../electron/main/policy.js';
import { BRIDGE_GLOBAL, IPC_CALL, IPC_PUSH } from '../../common/api.js';
import { IpcDoor, type PageContents } from '../../electron/main/ipc-door.js';
import { Dispatcher } from '../../electron/server/dispatcher.js';
import { PushHub } from '../../electron/server/push-hub.js';
import { registerAppService } from '../../electron/server/services/app-service.js';

test('only the app page itself, in its main frame, may call the main process', () => {
  assert.equal(isTrustedSender({ url: APP_ENTRY, isMainFrame: true }), true);
  assert.equal(isTrustedSender({ url: 'app://imprint/some/route', isMainFrame: true }), true);
  assert.equal(isTrustedSender({ url: APP_ENTRY, isMainFrame: false }), false, 'sub-frames are refused');
  for (const url of ['https://evil.example/', 'app://evil/index.html', 'file:///etc/passwd', 'app://imprint.evil/index.html', 'about:blank', 'not a url']) {
    assert.equal(isTrustedSender({ url, isMainFrame: true }), false, url);
  }
  assert.equal(isTrustedSender(null), false);
});

test('navigation stays in the app; only http(s) links leave it, without credentials', () => {
  assert.equal(isAllowedNavigation('app://imprint/index.html#x'), true);
  assert.equal(isAllowedNavigation('https://example.com/'), false);
  assert.equal(isAllowedNavigation('file:///tmp/x.html'), false);
  assert.equal(isExternalLink('https://docs.docker.com/engine/'), true);
  assert.equal(isExternalLink('http://localhost:3000/'), true);
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'vscode://x', 'https://user:pw@example.com/']) {
    assert.equal(isExternalLink(url), false, url);
  }
});

test('app:// requests resolve inside the renderer build only', () => {
  const root = '/opt/imprint/dist/renderer';
  assert.equal(resolveAppFile(root, 'app://imprint/index.html'), `${root}/index.html`);
  assert.equal(resolveAppFile(root, 'app://imprint/'), `${root}/index.html`);
  assert.equal(resolveAppFile(root, 'app://imprint/live'), `${root}/index.html`, 'routes are the app');
  assert.equal(resolveAppFile(root, 'app://imprint/assets/main-1.js'), `${root}/assets/main-1.js`);
  for (const url of ['app://imprint/../../../etc/passwd', 'app://imprint/%2e%2e/%2e%2e/etc/passwd', 'app://imprint/..%2f..%2fetc%2fpasswd.js',
    'app://imprint/a%00.js', 'app://other/index.html', 'https://imprint/index.html', 'app://imprint/..%5c..%5cx.js']) {
    const got = resolveAppFile(root, url);
    assert.ok(got === undefined || got.startsWith(root + '/'), `${url} -> ${got}`);
  }
});

test('windows are isolated, sandboxed, without Node, and main.ts uses these settings', async () => {
  const prefs = secureWebPreferences('/x/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.webviewTag, false);
  const main = await readFile('electron/main/main.ts', 'utf8');
  assert.match(main, /webPreferences: secureWebPreferences\(preload\)/);
  assert.match(main, /setWindowOpenHandler[\s\S]*action: 'deny'/);
  assert.match(main, /ipcMain\.handle\(IPC_CALL[\s\S]*door\.call\(/);
});

test('the preload exposes one object on the contract’s channel names', async () => {
  const preload = await readFile('electron/preload/preload.cts', 'utf8');
  assert.match(preload, new RegExp(`const BRIDGE_GLOBAL = '${BRIDGE_GLOBAL}'`));
  assert.match(preload, new RegExp(`const IPC_CALL = '${IPC_CALL}'`));
  assert.match(preload, new RegExp(`const IPC_PUSH = '${IPC_PUSH}'`));
  assert.equal(preload.match(/exposeInMainWorld/g)?.length, 1);
  assert.doesNotMatch(preload, /^import (?!type)[^;]*from '(?!electron')/m, 'sandboxed preloads can require only electron');
});

test('packaging: four targets, probe binaries as extra resources, fuses off', async () => {
  const cfg = parse(await readFile('electron-builder.yml', 'utf8')) as Record<string, any>;
  assert.deepEqual(cfg.linux.target, ['AppImage', 'deb']);
  assert.equal(cfg.mac.target, 'dmg');
  assert.equal(cfg.win.target, 'nsis');
  assert.ok(cfg.extraResources.some((r: { from: string; filter: string[] }) => r.from === 'native/build' && r.filter.includes('probe-*')));
  assert.equal(cfg.electronFuses.runAsNode, false);
  assert.equal(cfg.electronFuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(cfg.electronFuses.enableNodeCliInspectArguments, false);
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { main: string };
  assert.equal(pkg.main, 'dist/electron/electron/main/main.js');
});

test('the IPC door: foreign senders refused, arguments validated, pushes only after ready and only to live pages', async () => {
  const dispatcher = new Dispatcher();
  const hub = new PushHub(1_000_000);
  const opened: string[] = [];
  registerAppService(dispatcher, { version: 't', workspace: '/w', openExternal: async (u) => { opened.push(u); } });
  const door = new IpcDoor(dispatcher, hub);
  const sent: unknown[][] = [];
  let destroyed = false;
  const page: PageContents = { id: 7, isDestroyed: () => destroyed, send: (...a) => { sent.push(a); } };
  door.attach(page);
  const own = { sender: { id: 7 }, frame: { url: APP_ENTRY, isMainFrame: true } };

  const foreign = await door.call({ sender: { id: 7 }, frame: { url: 'https://evil.example/', isMainFrame: true } }, 'ui.ready', {});
  assert.ok('error' in foreign);
  const sub = await door.call({ sender: { id: 7 }, frame: { url: APP_ENTRY, isMainFrame: false } }, 'ui.ready', {});
  assert.ok('error' in sub);
  const bad = await door.call(own, 'shell.openExternal', { url: 42 });
  assert.deepEqual('error' in bad && bad.error.code, 'bad-args');

  hub.push('engine.status', { connected: true });
  hub.flush();
  assert.equal(sent.length, 0, 'queued until the page is ready');
  assert.deepEqual(await door.call(own, 'ui.ready', {}), { result: { mode: 'electron', workspace: '/w', version: 't' } });
  assert.deepEqual(sent, [[IPC_PUSH, 'engine.status', { connected: true }]]);

  assert.deepEqual(await door.call(own, 'shell.openExternal', { url: 'https://docs.docker.com/' }), { result: { opened: true } });
  assert.deepEqual(await door.call(own, 'shell.openExternal', { url: 'file:///etc/passwd' }), { result: { opened: false } });
  assert.deepEqual(opened, ['https://docs.docker.com/']);

  destroyed = true;
  hub.push('engine.status', { connected: false });
  hub.flush();
  assert.equal(sent.length, 1, 'nothing is sent to a destroyed page');
  assert.equal(hub.size, 0);
});
