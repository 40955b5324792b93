/**
 * The event schema: what every part of Imprint (engine, CLI, capture files, baselines, renderer) agrees
 * an observed action looks like. Environment-free: imports nothing from Node, Electron or the DOM.
 *
 * Events come from an untrusted container. The frame decoder (common/protocol) produces them, bounded and
 * escaped; `eventSchema` re-validates anything that crosses a process or file boundary.
 * Documented for users in docs/events.md. Extend by adding optional fields; never change a field's meaning.
 */
import { z } from 'zod';

export const EVENT_SCHEMA_VERSION = 1;

/** Text from the container: UTF-8 kept, other bytes and control characters escaped as \xNN, `\` as `\\`. */
const text = z.string().max(70_000);
const int = z.number().int();

export const endpointSchema = z.object({
  address: text,
  port: int.min(0).max(65535),
  /** DNS name this address was resolved from in the same run, when one was seen. */
  name: text.optional(),
  /** Compose service (or container name) that owns this address, when it is one of the run's own. */
  service: text.optional(),
  /**
   * The address is the Docker host as the container sees it (the gateway of one of the run's networks):
   * traffic to or from a published port. It changes from run to run, so baselines name it `host`.
   */
  host: z.literal(true).optional(),
  /**
   * The address is on this Docker network of the run but belongs to none of its containers: another
   * container on the same network. Baselines name the peer by the network, whose name does not change.
   */
  network: text.optional(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

const base = {
  /** Per-container sequence number from the probe: consecutive, so a gap proves loss. */
  seq: int.min(0),
  /** Wall-clock time in milliseconds since the Unix epoch (fractional: microsecond precision). */
  time: z.number(),
  service: text,
  container: text,
  pid: int,
  tid: int,
  /** Some attribute was cut at its bound. */
  truncated: z.literal(true).optional(),
  /** Tracee memory could not be read for some attribute. */
  unreadable: z.literal(true).optional(),
};

export const FILE_OPS = [
  'unlink', 'rename', 'mkdir', 'rmdir', 'chmod', 'chown', 'link', 'symlink', 'truncate', 'mount', 'umount', 'mknod',
] as const;
export type FileOp = (typeof FILE_OPS)[number];

export const OPEN_ACCESS = ['read', 'write', 'create', 'truncate', 'directory', 'append', 'exclusive'] as const;
export type OpenAccess = (typeof OPEN_ACCESS)[number];

export const protocolSchema = z.enum(['tcp', 'udp', 'unix', 'raw', 'other']);
export type NetProtocol = z.infer<typeof protocolSchema>;

export const forkEvent = z.object({ ...base, kind: z.literal('fork'), child: int, clone: z.enum(['fork', 'vfork', 'clone', 'thread']) });
export const execEvent = z.object({
  ...base,
  kind: z.literal('exec'),
  path: text,
  argv: z.array(text).max(64),
  argc: int.min(0),
  cwd: text,
  uid: int,
  gid: int,
  /**
   * 0 on success, otherwise -errno; absent for a failed exec whose error number the probe did not see
   * (native/PROTOCOL.md, EXEC). Anything but 0 is a failure.
   */
  result: int.optional(),
  /** Thread id that called exec when it was not the thread-group leader. */
  former: int.optional(),
});
export const exitEvent = z.object({ ...base, kind: z.literal('exit'), code: int.optional(), signal: int.optional() });
export const openEvent = z.object({
  ...base,
  kind: z.literal('open'),
  path: text,
  access: z.array(z.enum(OPEN_ACCESS)),
  mode: int.optional(),
  /**
   * The new descriptor, or -errno. Absent for read-only opens: the probe reports those when they are
   * attempted and does not wait for their outcome (native/PROTOCOL.md, "OPEN").
   */
  result: int.optional(),
});
export const fileEvent = z.object({
  ...base,
  kind: z.enum(FILE_OPS),
  path: text,
  path2: text.optional(),
  mode: int.optional(),
  uid: int.optional(),
  gid: int.optional(),
  result: int,
});
export const socketEvent = z.object({
  ...base,
  kind: z.literal('socket'),
  family: text,
  protocol: protocolSchema,
  result: int,
});
/** connect and accept carry the remote end as `peer`; bind and listen carry the local end as `local`. */
export const netEvent = z.object({
  ...base,
  kind: z.enum(['connect', 'accept', 'bind', 'listen']),
  fd: int,
  family: text,
  protocol: protocolSchema,
  peer: endpointSchema.optional(),
  local: endpointSchema.optional(),
  backlog: int.optional(),
  result: int,
});
export const dnsEvent = z.object({
  ...base,
  kind: z.literal('dns'),
  phase: z.enum(['query', 'answer']),
  name: text,
  qtype: text,
  id: int,
  server: endpointSchema.optional(),
  transport: z.enum(['udp', 'tcp']).optional(),
  rcode: int.optional(),
  /** Addresses (A, AAAA) and aliases (CNAME) in the answer, as `TYPE value`. */
  answers: z.array(text).optional(),
});
export const setuidEvent = z.object({
  ...base,
  kind: z.literal('setuid'),
  syscall: text,
  args: z.array(z.number()),
  uid: int.optional(),
  gid: int.optional(),
  caps: z.number().optional(),
  result: int,
});
export const riskyEvent = z.object({
  ...base,
  kind: z.literal('risky'),
  syscall: text,
  nr: int,
  args: z.array(z.number()),
  action: z.enum(['observed', 'refused']),
  result: int,
});
export const logEvent = z.object({
  ...base,
  kind: z.literal('log'),
  stream: z.enum(['stdout', 'stderr']),
  line: text,
  /** The line was cut at its bound or flushed without a newline. */
  partial: z.literal(true).optional(),
});
/** First use of a stopping syscall by one executable: together with the always-allowed list, the complete set. */
export const syscallEvent = z.object({ ...base, kind: z.literal('syscall'), syscall: text, nr: int, exe: text });
export const noticeEvent = z.object({ ...base, kind: z.literal('notice'), code: text, message: text });
/** A frame type this version does not know: kept, never dropped. */
export const unknownEvent = z.object({ ...base, kind: z.literal('unknown'), type: int });

export const eventSchema = z.discriminatedUnion('kind', [
  forkEvent, execEvent, exitEvent, openEvent, fileEvent, socketEvent, netEvent, dnsEvent,
  setuidEvent, riskyEvent, logEvent, syscallEvent, noticeEvent, unknownEvent,
]);

export type ImprintEvent = z.infer<typeof eventSchema>;
export type EventKind = ImprintEvent['kind'];
/** The event type(s) a kind belongs to; `EventOf<'connect'>` is the network event (whose kind is a union). */
export type EventOf<K extends EventKind> = ImprintEvent extends infer E ? (E extends { kind: infer EK } ? (K extends EK ? E : never) : never) : never;

/** Coarse categories: timeline lanes are coloured by these. */
export type EventCategory = 'process' | 'file' | 'network' | 'dns' | 'security' | 'log' | 'other';

export function categoryOf(kind: EventKind): EventCategory {
  switch (kind) {
    case 'fork': case 'exec': case 'exit': return 'process';
    case 'open': case 'unlink': case 'rename': case 'mkdir': case 'rmdir': case 'chmod': case 'chown':
    case 'link': case 'symlink': case 'truncate': case 'mount': case 'umount': case 'mknod': return 'file';
    case 'socket': case 'connect': case 'accept': case 'bind': case 'listen': return 'network';
    case 'dns': return 'dns';
    case 'setuid': case 'risky': return 'security';
    case 'log': return 'log';
    default: return 'other';
  }
}
