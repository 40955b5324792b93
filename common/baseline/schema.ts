/**
 * The baseline file, version 1: what one or more learning runs saw each service do, as the reviewed, committed
 * source of truth for drift checks and policy exports. The published JSON Schema
 * (assets/schema/baseline-v1.schema.json) is generated from this zod schema; a test keeps them equal.
 *
 * Every item says how many learning runs saw it (`runs`, against the service's own `runs`: fewer means
 * flaky) and which executables did it (`by`), so a reviewer can tell why each line is there.
 * Format and normalization rules: docs/baseline.md.
 */
import { z } from 'zod';

export const BASELINE_VERSION = 1;
/** Bounds keep a hostile capture from producing a baseline nobody can review. */
export const MAX_BY = 8;
export const MAX_ARGV_PATTERNS = 8;
export const MAX_ADDRESSES = 16;

const text = z.string().max(4096);
const count = z.number().int().min(1);
const by = z.array(text).max(MAX_BY).describe('Executables that did it (at most 8; "?" when unknown)');

const seen = { runs: count.describe('Learning runs that saw it'), by };

export const executableItem = z.object({
  path: text,
  parents: z.array(text).max(MAX_BY).describe('Executables of the processes that ran it; "-" for the entrypoint'),
  argv: z.array(text).max(MAX_ARGV_PATTERNS + 1).describe('argv patterns, shell-quoted, numbers and ids as *'),
  runs: count,
}).strict();

export const fileItem = z.object({ path: text, ...seen }).strict();

export const listenItem = z.object({
  protocol: z.enum(['tcp', 'udp']),
  port: z.number().int().min(1).max(65535),
  ...seen,
}).strict();

/** How a peer is named: its service in the same run, its DNS name, else its address (or unix socket path).
 * `host`: the Docker host (a published port, or the host's own services), whatever its address that run.
 * `network`: another container on one of the run's Docker networks (named by the network), not the run's. */
export const peerKind = z.enum(['service', 'dns', 'address', 'unix', 'host', 'network']);

export const outboundItem = z.object({
  peer: text,
  kind: peerKind,
  protocol: z.enum(['tcp', 'udp', 'unix', 'raw', 'other']),
  port: z.number().int().min(0).max(65535).describe('Remote port; 0 for unix sockets'),
  addresses: z.array(text).max(MAX_ADDRESSES).optional().describe('Addresses seen for a DNS-named peer'),
  ...seen,
}).strict();

export const inboundItem = z.object({
  peer: text,
  kind: peerKind,
  protocol: z.enum(['tcp', 'udp', 'unix', 'raw', 'other']),
  port: z.number().int().min(0).max(65535).describe('Local port the peer reached (its own port is ephemeral)'),
  ...seen,
}).strict();

export const dnsItem = z.object({ name: text, ...seen }).strict();

export const uidItem = z.object({
  syscall: text,
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
  caps: z.number().optional(),
  ...seen,
}).strict();

export const syscallItem = z.object({ name: text, ...seen }).strict();

/** The lists of a service, as files, messages and `truncated` name them. */
export const LIST_NAMES = ['executables', 'files.read', 'files.write', 'files.create', 'files.delete', 'listen', 'outbound', 'inbound', 'dns', 'uids', 'syscalls'] as const;
export const listName = z.enum(LIST_NAMES);

export const serviceBaseline = z.object({
  image: text.optional(),
  runs: count.describe('Learning runs this service took part in'),
  /** Learning from a run must never make that run drift: a list cut at its bound says so. */
  truncated: z.array(listName).max(LIST_NAMES.length).optional()
    .describe('Lists cut at 5,000 items when learned (beyond what folding paths into globs could hold): imprint check does not report items missing from them as drift'),
  executables: z.array(executableItem),
  files: z.object({
    read: z.array(fileItem),
    write: z.array(fileItem),
    create: z.array(fileItem),
    delete: z.array(fileItem),
  }).strict(),
  listen: z.array(listenItem),
  outbound: z.array(outboundItem),
  inbound: z.array(inboundItem),
  dns: z.array(dnsItem),
  uids: z.array(uidItem),
  syscalls: z.array(syscallItem).describe('Syscalls the probe stopped on; the always-allowed list is implied'),
}).strict();

export const baselineSchema = z.object({
  $schema: z.string().optional(),
  version: z.literal(BASELINE_VERSION),
  learned: z.object({
    runs: count,
    /**
     * Written for a few hours (2d5b010) and dropped: run ids differ on every run, so a file naming them changed on
     * every re-learning of unchanged behaviour. Allowed so those files still read; parseBaseline drops it.
     */
    runIds: z.array(text).optional().meta({ deprecated: true }).describe('Deprecated and ignored: no longer written, dropped when read'),
    /** The engine's own default seccomp profile hides the calls it denies from the tracer. */
    seccomp: z.enum(['default', 'unconfined']).describe('Seccomp profile the learning runs ran under'),
    arch: z.enum(['x86_64', 'aarch64']),
    /** The probe's always-allowed syscalls are part of the complete set; named here so the file stands alone. */
    alwaysAllowed: z.array(text),
  }).strict(),
  services: z.record(z.string().max(256), serviceBaseline),
}).strict();

type ParsedBaseline = z.infer<typeof baselineSchema>;
/** A baseline as Imprint holds and writes it: without the deprecated `learned.runIds`. */
export type Baseline = Omit<ParsedBaseline, 'learned'> & { learned: Omit<ParsedBaseline['learned'], 'runIds'> };
export type ServiceBaseline = z.infer<typeof serviceBaseline>;
export type ExecutableItem = z.infer<typeof executableItem>;
export type FileItem = z.infer<typeof fileItem>;
export type ListenItem = z.infer<typeof listenItem>;
export type OutboundItem = z.infer<typeof outboundItem>;
export type InboundItem = z.infer<typeof inboundItem>;
export type DnsItem = z.infer<typeof dnsItem>;
export type UidItem = z.infer<typeof uidItem>;
export type SyscallItem = z.infer<typeof syscallItem>;
export type PeerKind = z.infer<typeof peerKind>;
export type ListName = z.infer<typeof listName>;
export type FileAccess = keyof ServiceBaseline['files'];
