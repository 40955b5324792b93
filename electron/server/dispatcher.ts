/**
 * The one dispatcher behind both doors: Electron's IPC handlers and the browser-mode HTTP server call
 * `dispatch`, which validates the arguments against the contract, runs the handler registered by the
 * service that owns the method, and wraps the outcome in a `{result}` / `{error}` envelope.
 */
import { apiMethods, isMethodName, type ArgsOf, type Envelope, type MethodName, type ResultOf } from '../../common/api.js';

export type Handler<M extends MethodName> = (args: ArgsOf<M> & object, caller: Caller) => Promise<ResultOf<M>> | ResultOf<M>;

/** Which door a call came through: some methods behave differently (shell.openExternal). */
export interface Caller {
  mode: 'electron' | 'browser';
  /** Marks the calling page ready for pushes (used by `ui.ready`). */
  markReady?: () => void;
}

/** A failure whose message is meant for the user (no stack, no internals). */
export class UserError extends Error {}

export class Dispatcher {
  private readonly handlers = new Map<MethodName, Handler<MethodName>>();

  /** Each service registers its own methods (Podman Desktop #16456: no one-file registry). */
  register<M extends MethodName>(method: M, handler: Handler<M>): void {
    if (this.handlers.has(method)) throw new Error(`handler for ${method} registered twice`);
    this.handlers.set(method, handler as unknown as Handler<MethodName>);
  }

  has(method: MethodName): boolean {
    return this.handlers.has(method);
  }

  async dispatch(method: unknown, rawArgs: unknown, caller: Caller): Promise<Envelope<unknown>> {
    if (!isMethodName(method)) return { error: { code: 'bad-method', message: 'unknown method' } };
    const handler = this.handlers.get(method);
    if (!handler) return { error: { code: 'unavailable', message: `${method} is not available here` } };
    const parsed = apiMethods[method].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length ? `${placeOf(first.path, rawArgs)}: ` : '';
      return { error: { code: 'bad-args', message: `${method}: ${where}${first?.message ?? 'invalid arguments'}` } };
    }
    try {
      return { result: await handler(parsed.data as ArgsOf<MethodName> & object, caller) };
    } catch (err) {
      return { error: { code: 'failed', message: describe(err) } };
    }
  }
}

/**
 * Where an argument went wrong, as a person reads it: `env entry 2 ("FOO")` rather than zod's `env.1`, so
 * the message points at the entry to fix.
 */
function placeOf(path: readonly PropertyKey[], args: unknown): string {
  let value: unknown = args;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const last = path[path.length - 1];
  if (typeof last !== 'number') return path.map(String).join('.');
  const shown = typeof value === 'string' ? ` ("${value.length > 60 ? `${value.slice(0, 60)}…` : value}")` : '';
  return `${path.slice(0, -1).map(String).join('.')} entry ${last + 1}${shown}`;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 2000);
  return String(err).slice(0, 2000);
}
