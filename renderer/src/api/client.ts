/**
 * The renderer's side of the contract in common/api.ts: one `ImprintApi` whether the page runs inside
 * Electron (the preload's `window.imprint` bridge) or in a browser against `imprint serve` (HTTP + SSE).
 */
import {
  BRIDGE_GLOBAL, isPushName, unwrap,
  type ArgsOf, type Envelope, type ImprintApi, type ImprintBridge, type MethodName, type PushName, type PushOf, type ResultOf,
} from '../../../common/api.js';

declare global {
  interface Window { [BRIDGE_GLOBAL]?: ImprintBridge }
}

type Listener = (payload: unknown) => void;

class Listeners {
  private readonly map = new Map<string, Set<Listener>>();
  on(channel: string, l: Listener): () => void {
    let set = this.map.get(channel);
    if (!set) this.map.set(channel, (set = new Set()));
    set.add(l);
    return () => set.delete(l);
  }
  emit(channel: string, payload: unknown): void {
    if (!isPushName(channel)) return;
    for (const l of this.map.get(channel) ?? []) {
      try { l(payload); } catch (err) { console.error(err); }
    }
  }
}

export function createApi(): ImprintApi {
  const bridge = window[BRIDGE_GLOBAL];
  return bridge ? electronApi(bridge) : browserApi();
}

function electronApi(bridge: ImprintBridge): ImprintApi {
  const listeners = new Listeners();
  bridge.subscribe((channel, payload) => listeners.emit(channel, payload));
  return {
    async call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      return unwrap(await bridge.invoke(method, args)) as ResultOf<M>;
    },
    on<P extends PushName>(channel: P, listener: (payload: PushOf<P>) => void) {
      return listeners.on(channel, listener as Listener);
    },
  };
}

/** Browser mode: the session cookie set by `/?token=` authenticates both the calls and the push stream. */
function browserApi(): ImprintApi {
  const listeners = new Listeners();
  const reconnectListeners = new Set<() => void>();
  let clientId: string | undefined;
  let readyWanted = false;
  let resolveHello: () => void = () => {};
  const hello = new Promise<void>((ok) => { resolveHello = ok; });
  const source = new EventSource('/api/pushes');
  source.addEventListener('hello', (msg) => {
    const first = clientId === undefined;
    try { clientId = (JSON.parse((msg as MessageEvent<string>).data) as { client: string }).client; } catch { return; }
    resolveHello();
    // A reconnected stream is a new subscriber: it must say ready again before pushes flow, and the
    // page must fetch what it missed in between. The listeners go first: pushes can arrive before the
    // ready call returns, and a catch-up that starts after them would find newer events already in the
    // log and drop the older ones it fetched as repeats (lost events, seen as a flaky e2e test).
    if (!first && readyWanted) {
      for (const l of reconnectListeners) l();
      void post('ui.ready', {}).catch(() => {});
    }
  });
  source.onmessage = (msg: MessageEvent<string>) => {
    try {
      const { channel, payload } = JSON.parse(msg.data) as { channel: string; payload: unknown };
      listeners.emit(channel, payload);
    } catch { /* a malformed push is ignored, never fatal */ }
  };
  async function post(method: string, args: unknown): Promise<unknown> {
    const res = await fetch('/api/call', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', ...(clientId ? { 'X-Imprint-Client': clientId } : {}) },
      body: JSON.stringify({ method, args }),
    });
    if (res.status === 403) throw new Error('The session has expired or the link is wrong: open the URL `imprint serve` printed.');
    return unwrap((await res.json()) as Envelope<unknown>);
  }
  return {
    async call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      if (method === 'ui.ready') { readyWanted = true; await hello; }
      return (await post(method, args)) as ResultOf<M>;
    },
    on<P extends PushName>(channel: P, listener: (payload: PushOf<P>) => void) {
      return listeners.on(channel, listener as Listener);
    },
    onReconnect(listener: () => void) {
      reconnectListeners.add(listener);
      return () => { reconnectListeners.delete(listener); };
    },
  };
}
