/**
 * Normalization: what changes from run to run of the same behaviour is folded into `*`, so that learning is
 * deterministic and a drift check does not report a new pid or a new mktemp name as drift.
 * The rules are documented, with examples, in docs/baseline.md ("Normalization"); keep the two in step.
 */

const TEMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/lock/'];

/** Segments that are ids rather than names. */
const ALL_DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Hex ids: container ids, hashes, inode-like names (at least 12 hex characters with a digit and a letter). */
const HEX_ID = /^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}$/i;

/** True when a run of letters and digits looks generated (mktemp's XXXXXX) rather than chosen by a person. */
export function looksRandom(s: string): boolean {
  if (s.length < 6 || !/^[A-Za-z0-9]+$/.test(s)) return false;
  const lower = /[a-z]/.test(s), upper = /[A-Z]/.test(s), digit = /\d/.test(s);
  // A person's word is one case without digits, or Capitalised; generated names mix classes.
  // Lower-case letters then digits (ed25519, sha256) is a chosen name; mktemp mixes cases or interleaves.
  if (digit && (lower || upper)) return !/^[a-z]+\d+$/.test(s);
  return lower && upper && !/^[A-Z][a-z]+$/.test(s) && /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(s);
}

/** Normalizes one path segment. `inTemp` also folds numbers anywhere in the name of a temporary file. */
export function normalizeSegment(seg: string, inTemp = false): string {
  if (seg === '' || seg === '*' || seg === '**') return seg;
  if (ALL_DIGITS.test(seg) || UUID.test(seg) || HEX_ID.test(seg)) return '*';
  // The same for an id with an extension: <uuid>.sock, <hash>.json.
  const ext = /^(.+?)(\.[A-Za-z]{1,8})$/.exec(seg);
  if (ext && (ALL_DIGITS.test(ext[1]!) || UUID.test(ext[1]!) || HEX_ID.test(ext[1]!))) return `*${ext[2]}`;
  // mktemp's own template in a temporary directory, whatever the letters drew (tmp.rapvmc looks like a word)
  if (inTemp && /^tmp\.[A-Za-z0-9]{6,}$/.test(seg)) return 'tmp.*';
  let out = seg;
  // mktemp styles: tmp.XXXXXX, tmpXXXXXXXX (Python), name.XXXXXX / name-XXXXXX / name_XXXXXX.
  out = out.replace(/^(tmp\.?|.*?[._-])([A-Za-z0-9]{6,})(?=$|\.[A-Za-z]{1,8}$)/, (m, head: string, tail: string) =>
    looksRandom(tail) || ALL_DIGITS.test(tail) ? `${head}*` : m);
  if (/^tmp[A-Za-z0-9_]{6,}$/.test(out) && looksRandom(out.slice(3).replace(/_/g, ''))) out = 'tmp*';
  // Numbers after a separator, like redis's temp-<pid>.rdb or nginx's client_body/0000000001.
  out = out.replace(/([-_])\d+(?=$|\.[A-Za-z]+$)/g, '$1*');
  // \xNN escapes (non-UTF-8 bytes in the capture) are kept whole: their digits are not numbers.
  if (inTemp) out = out.replace(/(\\x[0-9a-fA-F]{2})|\d+/g, (m, esc?: string) => esc ?? '*');
  return out.replace(/\*+/g, '*');
}

/**
 * Normalizes an absolute path: `/proc/<pid>` and `/proc/<pid>/task/<tid>` to `/proc/*`, numeric, hex, uuid and
 * mktemp-looking segments to `*`, numbers in temporary file names to `*`; `.` and `..` resolved; repeated
 * slashes collapsed. Relative paths (which the probe should never send) are kept as given, bounded.
 */
export function normalizePath(path: string): string {
  // Captures repeat the same paths many times: remember recent answers (bounded, cleared when full).
  const hit = pathCache.get(path);
  if (hit !== undefined) return hit;
  const out = normalizeUncached(path);
  if (pathCache.size >= PATH_CACHE_MAX) pathCache.clear();
  if (path.length <= 1024) pathCache.set(path, out);
  return out;
}

const PATH_CACHE_MAX = 20_000;
const pathCache = new Map<string, string>();

function normalizeUncached(path: string): string {
  if (!path.startsWith('/')) return path.slice(0, 4096);
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { parts.pop(); continue; }
    parts.push(seg);
  }
  const abs = '/' + parts.join('/');
  const inTemp = TEMP_DIRS.some((d) => abs.startsWith(d));
  const out = parts.map((seg, i) => {
    if (parts[0] === 'proc' && i === 1 && seg === 'self') return seg;
    return normalizeSegment(seg, inTemp && i === parts.length - 1);
  });
  return ('/' + out.join('/')).slice(0, 4096);
}

/** Shell-quotes one argv word for display; `*` stays bare so patterns read as globs. */
function quoteWord(w: string): string {
  if (w === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./*-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Flags whose next word is a secret (redis-cli -a, --requirepass, --password, --token...). */
const SECRET_FLAGS = '-a|--requirepass|--masterauth|--password|--pass|--passwd|--token|--api-?key|--secret';
const SECRET_FLAG = new RegExp(`^(${SECRET_FLAGS})$`, 'i');
/** Keys whose value is a secret: `--password=x`, `password=x`, `api_key=x`, `DB_TOKEN=x`. */
const SECRET_KEY = '(?:--?)?[\\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api_?key)[\\w.-]*=';
/** `--password=x` and the like, `-pSECRET` (mysql-style), `Authorization: ...`, `Bearer x`. */
const SECRET_INLINE = new RegExp(`^(${SECRET_KEY}).+$`, 'i');
const MYSQL = 'mysql|mysqladmin|mysqldump|mariadb';
const SECRET_HEADER = /^((?:authorization|proxy-authorization)\s*:\s*|bearer\s+).+$/i;

/** Masks secrets on a command line: a committed baseline must not carry passwords (no capture header says which
 * values were secret, so this goes by well-known flag and key names). */
export function maskSecretArgs(argv: readonly string[]): string[] {
  return argv.map((w, i) => {
    if (i > 0 && SECRET_FLAG.test(argv[i - 1]!)) return '***';
    if (i > 0 && IS_MYSQL.test((argv[0] ?? '').split('/').pop()!) && /^-p.+/.test(w)) return '-p***';
    const inline = SECRET_INLINE.exec(w) ?? SECRET_HEADER.exec(w);
    if (inline) return `${inline[1]}***`;
    // A shell script (`sh -c '...'`) is one word: the same secrets, inside it.
    return /\s/.test(w) ? maskSecretsInScript(w) : w;
  });
}

const IS_MYSQL = new RegExp(`^(${MYSQL})$`);
/** The same rules, for secrets in the middle of a script's text. */
const IN_SCRIPT: [RegExp, string][] = [
  [/((?:proxy-)?authorization\s*:\s*)[^'"\n]+/gi, '$1***'],
  [/(\bbearer\s+)[^\s'"]+/gi, '$1***'],
  [new RegExp(`((?:^|\\s)(?:${SECRET_FLAGS})\\s+)[^\\s'"]+`, 'gi'), '$1***'],
  [new RegExp(`((?:^|\\s)['"]?${SECRET_KEY})[^\\s'"]+`, 'gi'), '$1***'],
  [new RegExp(`(\\b(?:${MYSQL})\\b[^\\n;|&]*?\\s-p)[^\\s'"]+`, 'g'), '$1***'],
];

function maskSecretsInScript(script: string): string {
  return IN_SCRIPT.reduce((s, [re, to]) => s.replace(re, to), script);
}

/** An argv pattern: paths normalized, numbers and ids as `*`, shell-quoted and joined; bounded. */
export function argvPattern(argv: readonly string[], argc: number): string {
  const words = maskSecretArgs(argv.slice(0, 16)).map((w) => {
    if (w.startsWith('/')) return normalizePath(w);
    if (/^-?\d+(\.\d+)?$/.test(w) || HEX_ID.test(w) || UUID.test(w)) return '*';
    return w.length > 200 ? `${w.slice(0, 200)}…` : w;
  });
  let out = words.map(quoteWord).join(' ');
  if (argc > words.length) out += ' …';
  return out.slice(0, 1024);
}

/** Glob match for baseline patterns: `*` within one segment, `**` across segments. Literal otherwise. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let compiled = globCache.get(pattern);
  if (!compiled) {
    if (globCache.size >= 4096) globCache.clear();
    globCache.set(pattern, (compiled = globRegExp(pattern)));
  }
  return compiled.test(value);
}

const globCache = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') { re += '.*'; i++; } else re += '[^/]*';
    } else re += c.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** Loopback and unspecified addresses never leave the container's own network namespace. */
export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '0.0.0.0' || address === '::' || /^::ffff:127\./.test(address);
}
