/**
 * Numbers of the probe's binary protocol (native/PROTOCOL.md, version 1): frame types, attribute keys
 * and bounds. Kept in one table so the decoder, the encoder and the docs cannot drift apart.
 */

export const PROTOCOL_VERSION = 1;
/** HELLO's MAGIC attribute: the ASCII bytes `IMPRINT1`. */
export const MAGIC = 'IMPRINT1';

/** Bytes before the attributes: len(4) type(2) flags(2) seq(8) time(8) pid(4) tid(4). */
export const FRAME_HEADER_BYTES = 32;
/** A whole frame, len field included, is at most this long. */
export const MAX_FRAME_BYTES = 65_536;
/** Smallest and largest value of the `len` field (bytes after it). */
export const MIN_FRAME_LEN = FRAME_HEADER_BYTES - 4;
export const MAX_FRAME_LEN = MAX_FRAME_BYTES - 4;
export const ATTR_HEADER_BYTES = 4;

export const FLAG_TRUNCATED = 1;
export const FLAG_UNREADABLE = 2;
export const FLAG_SYNTHETIC = 4;

export const ATTR_INT = 1;
export const ATTR_BYTES = 2;

export const FrameType = {
  HELLO: 1,
  FORK: 2,
  EXEC: 3,
  EXIT: 4,
  OPEN: 5,
  FILE: 6,
  SOCKET: 7,
  CONNECT: 8,
  BIND: 9,
  LISTEN: 10,
  ACCEPT: 11,
  DNS_QUERY: 12,
  DNS_ANSWER: 13,
  SETID: 14,
  RISKY: 15,
  LOG: 16,
  SYSCALL_SEEN: 17,
  NOTICE: 18,
  END: 19,
} as const;
export type FrameTypeName = keyof typeof FrameType;

export const Attr = {
  MAGIC: 1,
  VERSION: 2,
  PROBE: 3,
  ARCH: 4,
  MODE: 5,
  REALTIME: 6,
  CHILD: 7,
  CLONE: 8,
  PATH: 9,
  PATH2: 10,
  ARGV: 11,
  ARGC: 12,
  CWD: 13,
  UID: 14,
  GID: 15,
  RESULT: 16,
  CODE: 17,
  SIGNAL: 18,
  ACCESS: 19,
  MODEBITS: 20,
  OP: 21,
  FD: 22,
  FAMILY: 23,
  SOCKTYPE: 24,
  PROTOCOL: 25,
  ADDRESS: 26,
  PORT: 27,
  BACKLOG: 28,
  NAME: 29,
  QTYPE: 30,
  DNSID: 31,
  RCODE: 32,
  ANSWER: 33,
  SYSCALL: 34,
  NR: 35,
  ARG: 36,
  ACTION: 37,
  STREAM: 38,
  DATA: 39,
  PARTIAL: 40,
  EXE: 41,
  NOTICE: 42,
  MESSAGE: 43,
  FORMER: 44,
  EVENTS: 45,
  STOPS: 46,
  TRANSPORT: 47,
  CAPS: 48,
} as const;
export type AttrName = keyof typeof Attr;

/** Which keys hold integers (everything else holds bytes); the encoder uses it, the decoder trusts the wire. */
export const INT_ATTRS: ReadonlySet<number> = new Set([
  Attr.VERSION, Attr.REALTIME, Attr.CHILD, Attr.ARGC, Attr.UID, Attr.GID, Attr.RESULT, Attr.CODE, Attr.SIGNAL,
  Attr.ACCESS, Attr.MODEBITS, Attr.FD, Attr.FAMILY, Attr.SOCKTYPE, Attr.PROTOCOL, Attr.PORT, Attr.BACKLOG,
  Attr.QTYPE, Attr.DNSID, Attr.RCODE, Attr.NR, Attr.ARG, Attr.STREAM, Attr.PARTIAL, Attr.FORMER, Attr.EVENTS,
  Attr.STOPS, Attr.CAPS,
]);

/** ACCESS bits, in the order `OPEN_ACCESS` lists them in common/events.ts. */
export const ACCESS_BITS = [
  [1, 'read'], [2, 'write'], [4, 'create'], [8, 'truncate'], [16, 'directory'], [32, 'append'], [64, 'exclusive'],
] as const;

export const FAMILY_NAMES: Readonly<Record<number, string>> = { 1: 'unix', 2: 'inet', 10: 'inet6', 16: 'netlink', 17: 'packet' };

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_SEQPACKET = 5;

/** DNS query type names (IANA registry); others print as RFC 3597's `TYPEnnn`. */
export const QTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 39: 'DNAME', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 52: 'TLSA', 64: 'SVCB',
  65: 'HTTPS', 99: 'SPF', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};
