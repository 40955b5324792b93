/**
 * The Electron IPC door, without Electron: main.ts hands it `ipcMain.handle` events and web contents, and
 * it checks the sender, dispatches into the shared dispatcher (which validates the arguments) and keeps
 * one push subscription per page. Plain types so tests drive it with small stand-ins for Electron objects.
 */
import type { Envelope } from '../../common/api.js';
import { IPC_PUSH } from '../../common/api.js';
import type { Dispatcher } from '../server/dispatcher.js';
import type { PushHub } from '../server/push-hub.js';
import { isTrustedSender, type SenderFrame } from './policy.js';

/** What the door needs of a WebContents. */
export interface PageContents {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** What the door needs of an IpcMainInvokeEvent. */
export interface CallEvent {
  sender: { id: number };
  /** The frame that sent it, as policy.ts reads it; null when Electron could not tell. */
  frame: SenderFrame | null;
}

export class IpcDoor {
  private readonly subscribers = new Map<number, ReturnType<PushHub['add']>>();

  constructor(private readonly dispatcher: Dispatcher, private readonly hub: PushHub) {}

  /** A page (re)loaded in `contents`: it gets pushes once it calls `ui.ready`. */
  attach(contents: PageContents): void {
    this.detach(contents.id);
    const sub = this.hub.add({
      send(channel, payload) {
        if (contents.isDestroyed()) return false;
        contents.send(IPC_PUSH, channel, payload);
        return true;
      },
    });
    this.subscribers.set(contents.id, sub);
  }

  detach(id: number): void {
    const sub = this.subscribers.get(id);
    if (sub) this.hub.remove(sub);
    this.subscribers.delete(id);
  }

  async call(event: CallEvent, method: unknown, args: unknown): Promise<Envelope<unknown>> {
    if (!isTrustedSender(event.frame)) return { error: { code: 'bad-method', message: 'refused: not the app page' } };
    const sub = this.subscribers.get(event.sender.id);
    return this.dispatcher.dispatch(method, args, { mode: 'electron', markReady: sub ? () => this.hub.ready(sub) : undefined });
  }
}
