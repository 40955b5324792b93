/**
 * The preload bridge: exposes exactly one object, `window.imprint` (the `ImprintBridge` of common/api.ts),
 * through contextBridge. Sandboxed preloads can require only `electron`, so this file imports nothing
 * else at run time; the channel names are repeated here and a test keeps them equal to common/api.ts.
 * The renderer gets no ipcRenderer, no Node, and no way to name a channel of its own.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope, ImprintBridge } from '../../common/api.js';

const BRIDGE_GLOBAL = 'imprint';
const IPC_CALL = 'imprint:call';
const IPC_PUSH = 'imprint:push';

const listeners = new Set<(channel: string, payload: unknown) => void>();
ipcRenderer.on(IPC_PUSH, (_event: IpcRendererEvent, channel: unknown, payload: unknown) => {
  if (typeof channel !== 'string') return;
  for (const l of listeners) l(channel, payload);
});

const bridge: ImprintBridge = {
  invoke: (method: string, args: unknown) => ipcRenderer.invoke(IPC_CALL, String(method), args) as Promise<Envelope<unknown>>,
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    listeners.add(listener);
    return () => { listeners.delete(listener); };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
