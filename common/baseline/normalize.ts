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

/**
 * Python's tempfile names: 8 characters drawn from [a-z0-9_] (`_RandomNameSequence`) after a prefix (`tmp` by
 * default, or the caller's `myapp_` / `myapp-`) and before an optional suffix (`.json`, `.tar.gz`). The draw can be all
 * letters (`tmptoxuxlzi`), so looksRandom cannot tell it from a word: the shape alone decides. The split is always
 * "the last 8 characters before the suffix", so the kept prefix is the same for every draw.
 */
const PY_TEMP = /^(tmp|.*[-_])[a-z0-9_]{8}((?:\.[A-Za-z0-9]{1,8}){0,2})$/;
/** The unprefixed draw, as `_get_default_tempdir` writes it to probe each candidate directory (`/tmp/s8aqqmpf`). */
const PY_TEMP_BARE = /^[a-z0-9_]{8}$/;

/** Folds a Python tempfile name (see PY_TEMP), or undefined when `seg` does not have that shape. */
function pythonTempName(seg: string): string | undefined {
  if (PY_TEMP_BARE.test(seg)) return '*';
  const m = PY_TEMP.exec(seg);
  return m ? `${m[1]}*${m[2]}` : undefined;
}

/**
 * `name.<pid>` (postgres's `xlogtemp.27`, `pg_internal.init.39`, `app.12345.pid`): 2+ digits after a dot, at the end
 * or before one extension. Not when the word before ends in a digit (a version: `python3.11`, `libstdc++.so.6.0.30`,
 * `openssl-3.0.13`), nor after a `.so` (`libfoo.so.10`). One digit is kept: man sections (`ls.1.gz`) and OpenSSL's
 * hashed certificate links (`9d04f35e.0`) are one digit, pids rarely are.
 */
const PID_SUFFIX = /^(.*[^\d.])\.\d{2,}(\.[A-Za-z]{1,8})?$/;

/**
 * A number after `-`/`_` at the end of a name is an id (`temp-1234.rdb`, `worker-3`) except in the names of
 * standards: encodings (`UTF-8`, `ucs-2`, `ISO-8859-1`), hashes (`sha-256`), architectures (`x86_64`, `x86-64`) and
 * Python's cache tag (`os.cpython-311.pyc`). Those are the word before ending in a digit, or one of these words.
 */
const NUMBERED_STANDARD = /^(?:.*\d|utf|ucs|iso|latin|sha|cpython)$/i;

/**
 * Normalizes one path segment. `inTemp` (a file name in a temporary directory) also folds Python's tempfile names
 * and every number in the name.
 */
export function normalizeSegment(seg: string, inTemp = false): string {
  if (seg === '' || seg === '*' || seg === '**') return seg;
  if (ALL_DIGITS.test(seg) || UUID.test(seg) || HEX_ID.test(seg)) return '*';
  // The same for an id with an extension: <uuid>.sock, <hash>.json.
  const ext = /^(.+?)(\.[A-Za-z]{1,8})$/.exec(seg);
  if (ext && (ALL_DIGITS.test(ext[1]!) || UUID.test(ext[1]!) || HEX_ID.test(ext[1]!))) return `*${ext[2]}`;
  // mktemp's own template in a temporary directory, whatever the letters drew (tmp.rapvmc looks like a word)
  if (inTemp && /^tmp\.[A-Za-z0-9]{6,}$/.test(seg)) return 'tmp.*';
  // Python's, before the number rules below could fold only the digits of its draw (tmpjdahx_k8 -> tmpjdahx_k*).
  const py = inTemp ? pythonTempName(seg) : undefined;
  if (py !== undefined) return py;
  let out = seg;
  // mktemp styles: tmp.XXXXXX, tmpXXXXXXXX (Python), name.XXXXXX / name-XXXXXX / name_XXXXXX.
  out = out.replace(/^(tmp\.?|.*?[._-])([A-Za-z0-9]{6,})(?=$|\.[A-Za-z]{1,8}$)/, (m, head: string, tail: string) =>
    looksRandom(tail) || ALL_DIGITS.test(tail) ? `${head}*` : m);
  if (/^tmp[A-Za-z0-9_]{6,}$/.test(out) && looksRandom(out.slice(3).replace(/_/g, ''))) out = 'tmp*';
  const pid = PID_SUFFIX.exec(out);
  // postgres's socket names its port (.s.PGSQL.5432): a chosen number
  if (pid && !/\.so(\.|$)/.test(pid[1]!) && pid[1] !== '.s.PGSQL') out = `${pid[1]}.*${pid[2] ?? ''}`;
  // Numbers after a separator, like redis's temp-<pid>.rdb or nginx's client_body/0000000001.
  // (The word before starts after a non-alphanumeric, so a long name is scanned once, not from every letter.)
  out = out.replace(/(?<![A-Za-z0-9])([A-Za-z0-9]*)([-_])\d+(?=$|\.[A-Za-z]+$)/, (m, word: string, sep: string) =>
    NUMBERED_STANDARD.test(word) ? m : `${word}${sep}*`);
  // \xNN escapes (non-UTF-8 bytes in the capture) are kept whole: their digits are not numbers.
  if (inTemp) out = out.replace(/(\\x[0-9a-fA-F]{2})|\d+/g, (m, esc?: string) => esc ?? '*');
  // Runs of folded parts become one `*`; an escape (`\\`, `\*`: a name's own backslash or star) stays whole.
  return out.replace(/\\.|\*+/g, (m) => (m[0] === '\\' ? m : '*'));
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
  const tempDir = TEMP_DIRS.find((d) => abs.startsWith(d));
  // Index of the name created directly in the temporary directory (`/tmp/<name>`, `/var/tmp/<name>`).
  const tempChild = tempDir === undefined ? -1 : tempDir.split('/').length - 2;
  const out = parts.map((raw, i) => {
    // A `*` the app put in a name is a character, not a pattern: written `\*` (the text's own backslash is
    // `\\`, so this is unambiguous), or a file named `*` would make the baseline allow every name beside it.
    const seg = raw.includes('*') ? raw.replace(/\*/g, '\\*') : raw;
    if (parts[0] === 'proc' && i === 1 && seg === 'self') return seg;
    if (tempDir !== undefined && i === parts.length - 1) return normalizeSegment(seg, true);
    // A directory made by Python's mkdtemp/TemporaryDirectory: fold it too, or every path inside it would drift.
    if (i === tempChild) return pythonTempName(seg) ?? normalizeSegment(seg);
    return normalizeSegment(seg);
  });
  return ('/' + out.join('/')).slice(0, 4096);
}

/** Shell-quotes one argv word for display; `*` stays bare so patterns read as globs. */
function quoteWord(w: string): string {
  if (w === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./*-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Flags whose next word is a secret (--requirepass, --password, --token, openssl's -passin pass:x...). */
const SECRET_FLAGS = '--requirepass|--masterauth|--password|--pass|--passwd|--token|--api-?key|--secret|-pass|-passin|-passout';
const SECRET_FLAG = new RegExp(`^(${SECRET_FLAGS})$`, 'i');
/** Programs whose short flag is a password: redis-cli's `-a`, sshpass's `-p` (for any other program `cp -a`
 * and `ssh -p 22` mean something else). */
const SHORT_SECRET: Record<string, string> = {
  'redis-cli': '-a', 'redis-benchmark': '-a', 'valkey-cli': '-a', 'keydb-cli': '-a', sshpass: '-p',
};
/** Keys whose value is a secret: `--password=x`, `password=x`, `api_key=x`, `--api-key=x`, `DB_TOKEN=x`. */
const SECRET_KEY = '(?:--?)?[\\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key)[\\w.-]*=';
/** `--password=x` and the like, `-pSECRET` (mysql-style), `Authorization: ...`, `Bearer x`. */
const SECRET_INLINE = new RegExp(`^(${SECRET_KEY}).+$`, 'i');
const MYSQL = 'mysql|mysqladmin|mysqldump|mariadb';
const SECRET_HEADER = /^((?:authorization|proxy-authorization|x-api-key|x-auth-token)\s*:\s*|bearer\s+).+$/i;
/**
 * `scheme://user:password@host` and `redis://:password@host`: the password runs to the authority's last `@` (an `@`
 * in a password is often left unencoded), never past a `/`, `?` or `#`, so `http://host:8080/a@b` is no password.
 * The scheme starts a word (the lookbehind): trying it inside every run of letters would be quadratic on long words.
 */
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:'"]*:)[^\s/?#'"]+(?=@)/g;
/**
 * curl's and wget's `-u user:password` (also `--user`, `--proxy-user`, curl's `-U`): any program's, as long as the
 * value has a `:`, so `-u 1000` and `-u nobody` stay while a `user:group` (docker, chpst) is masked too: a group cannot
 * be told from a password. The user is kept. A URL after `-u` (redis-cli -u) is left to URL_PASSWORD.
 */
const USER_FLAG = /^(?:-[A-Za-z]*[uU]|--user|--proxy-user)$/; // -u, or short flags ending in it (curl -fsSu)
const USER_ATTACHED = /^(-[uU]|--(?:proxy-)?user=)(.+)$/;
const USER_PASSWORD = /^([^:/]*:)(?!\/\/).+$/;

/** Masks secrets on a command line: a committed baseline must not carry passwords (no capture header says which
 * values were secret, so this goes by well-known flag and key names). */
export function maskSecretArgs(argv: readonly string[]): string[] {
  return argv.map((w, i) => {
    const prev = i > 0 ? argv[i - 1]! : '';
    if (SECRET_FLAG.test(prev)) return '***';
    const shortSecret = SHORT_SECRET[(argv[0] ?? '').split('/').pop()!];
    if (shortSecret && i > 0 && prev === shortSecret) return '***';
    if (shortSecret && new RegExp(`^${shortSecret}.+`).test(w)) return `${shortSecret}***`;
    if (USER_FLAG.test(prev)) return w.replace(USER_PASSWORD, '$1***').replace(URL_PASSWORD, '$1***');
    if (i > 0 && IS_MYSQL.test((argv[0] ?? '').split('/').pop()!) && /^-p.+/.test(w)) return '-p***';
    // A shell script (`sh -c '...'`, `bash -lc`) is one word: the same secrets, inside it. Its first word is not the
    // whole value (`PASSWORD=x app; echo ok` keeps `app; echo ok`), which it is for any other word (`'PASSWORD=a b'`).
    const script = /^-[a-z]*c$/.test(prev) && /\s/.test(w);
    const inline = script ? null : SECRET_INLINE.exec(w) ?? SECRET_HEADER.exec(w);
    if (inline) return `${inline[1]}***`;
    const user = USER_ATTACHED.exec(w);
    const masked = (user ? user[1]! + user[2]!.replace(USER_PASSWORD, '$1***') : w).replace(URL_PASSWORD, '$1***');
    return /\s/.test(masked) ? maskSecretsInScript(masked) : masked;
  });
}

const IS_MYSQL = new RegExp(`^(${MYSQL})$`);
/** Characters that end a bare value in a script: whitespace, quotes and shell operators (`a=x; b`, `-a x|cmd`). */
const BARE = '[^\\s\'"`;|&)<>]+';
/** A value in a script: quoted, up to its closing quote (spaces and `;` included), or bare. */
const VALUE = `("[^"\\n]*"|'[^'\\n]*'|${BARE})`;
/** Replaces a value matched by VALUE, keeping its quotes so the script still reads as it ran. */
const maskValue = (_m: string, head: string, value: string): string =>
  head + (/^["']/.test(value) ? `${value[0]}***${value[0]}` : '***');
/** The same for a `-u` value: only the password after `user:` (see USER_PASSWORD). */
const maskUserValue = (_m: string, head: string, value: string): string => {
  const quote = /^["']/.test(value) ? value[0]! : '';
  return head + quote + value.slice(quote.length, value.length - quote.length).replace(USER_PASSWORD, '$1***') + quote;
};
/** The same rules, for secrets in the middle of a script's text (URL passwords are masked before). Each masks
 * only its value, so the `;`, `|`, `&&` that follow stay. */
const IN_SCRIPT: [RegExp, typeof maskValue | string][] = [
  // A quoted header runs to its closing quote (an AWS signature has `;` and spaces); a bare one is one word.
  [/((["'])(?:(?:proxy-)?authorization|x-api-key|x-auth-token)\s*:\s*)(?:(?!\2)[^\n])+/gi, '$1***'],
  [new RegExp(`((?:^|[\\s=])(?:(?:proxy-)?authorization|x-api-key|x-auth-token)\\s*:\\s*)${BARE}`, 'gi'), '$1***'],
  [new RegExp(`(\\bbearer\\s+)${BARE}`, 'gi'), '$1***'],
  [new RegExp(`((?:^|\\s)(?:${SECRET_FLAGS})\\s+)${VALUE}`, 'gi'), maskValue],
  [new RegExp(`((?:^|\\s)['"]?${SECRET_KEY})${VALUE}`, 'gi'), maskValue],
  [new RegExp(`(\\b(?:${MYSQL})\\b[^\\n;|&]*?\\s-p)${VALUE}`, 'g'), maskValue],
  ...Object.entries(SHORT_SECRET).map(([program, flag]): [RegExp, typeof maskValue] =>
    [new RegExp(`(\\b${program}\\b[^\\n;|&]*?\\s${flag}\\s*)${VALUE}`, 'g'), maskValue]),
  [new RegExp(`((?:^|\\s)(?:-[A-Za-z]*[uU]\\s*|--(?:proxy-)?user[\\s=]\\s*))${VALUE}`, 'g'), maskUserValue],
];

function maskSecretsInScript(script: string): string {
  return IN_SCRIPT.reduce((s, [re, to]) => typeof to === 'string' ? s.replace(re, to) : s.replace(re, to), script);
}

/** An argv pattern: paths normalized, numbers and ids as `*`, shell-quoted and joined; bounded. */
export function argvPattern(argv: readonly string[], argc: number): string {
  const words = maskSecretArgs(argv.slice(0, 16)).map((w) => {
    // A word with whitespace is a script (`sh -c '/bin/x; ...'`) or text, not a path: it is kept as written (masked),
    // so its `***` and `..` are not folded like path segments.
    if (w.startsWith('/') && !/\s/.test(w)) return normalizePath(w);
    if (/^-?\d+(\.\d+)?$/.test(w) || HEX_ID.test(w) || UUID.test(w)) return '*';
    return w.length > 200 ? `${w.slice(0, 200)}…` : w;
  });
  let out = words.map(quoteWord).join(' ');
  if (argc > words.length) out += ' …';
  return out.slice(0, 1024);
}

/** Glob match for baseline patterns: `*` within one segment, `**` across segments. Literal otherwise. */
/** A pattern cut at its escaped stars (`\*`: a star that is part of the name), `\\` kept whole. */
export function splitLiteralStars(pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    if (pattern[i + 1] === '*') { parts.push(pattern.slice(start, i)); start = i + 2; }
    i++;
  }
  parts.push(pattern.slice(start));
  return parts;
}

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
    // An escape is two characters matched as they are: `\\` (a backslash in the name), `\*` (a star in it).
    if (c === '\\' && i + 1 < pattern.length) {
      re += `\\\\${pattern[++i]!.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}`;
      continue;
    }
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
