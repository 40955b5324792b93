/**
 * AppArmor profile, one per service (docker run --security-opt apparmor=imprint-<service> after
 * `apparmor_parser -r FILE`): the executables seen (ix), files read (r; mr for libraries), written, created or
 * deleted (w), the socket families and types used, signals from the runtime. Normalized `*` segments are
 * AppArmor globs with the same meaning (one path segment); other glob characters in paths are escaped.
 */
import type { Baseline, ServiceBaseline } from '../baseline/schema.js';
import { selectServices, slug } from './service.js';
import { textToBytes } from '../protocol/text.js';
import { splitLiteralStars } from '../baseline/normalize.js';

/**
 * Quotes a path for a profile: AppArmor glob characters other than `*` are escaped, odd bytes refused. The
 * baseline spells a backslash `\\` and a byte that is not text `\xNN` (common/protocol/text.ts): read back
 * to the real name first, or a backslash would be escaped twice.
 */
export function apparmorPath(path: string): string | undefined {
  if (!path.startsWith('/') || path.length > 1024) return undefined;
  // A star that is part of a name (`\*` in the baseline) stays a literal star: AppArmor's `\*`.
  const parts: string[] = [];
  for (const part of splitLiteralStars(path)) {
    const name = realName(part);
    if (name === undefined || /[\x00-\x1f\x7f]/.test(name)) return undefined;
    parts.push(name.replace(/[\\?[\]{}^"@,]/g, (c) => `\\${c}`));
  }
  const escaped = parts.join('\\*');
  return /[\s#]/.test(escaped) ? `"${escaped}"` : escaped;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file name a baseline path stands for, or undefined when it is not valid UTF-8. */
function realName(path: string): string | undefined {
  if (!path.includes('\\')) return path;
  try {
    return utf8.decode(textToBytes(path));
  } catch {
    return undefined;
  }
}

const LIBRARY = /\.so(\.\d+)*$|^\/(usr\/)?lib(64|32|x32)?\//;

/**
 * AppArmor sees /proc/self as the pid it resolves to: a rule for /proc/self/stat would never match.
 * Such paths become owner rules on /proc/<any pid>/... (the process's own entries, as docker-default words it).
 */
function procRule(path: string): { path: string; owner: boolean } {
  const m = /^\/proc\/(self|\*)(\/.*)?$/.exec(path) ?? /^\/proc\/thread-self(\/.*)?$/.exec(path);
  if (!m) return { path, owner: false };
  if (path.startsWith('/proc/thread-self')) return { path: `/proc/*/task/*${m[1] ?? '/'}`, owner: true };
  return { path: `/proc/*${m[2] ?? '/'}`, owner: true };
}

function fileRules(svc: ServiceBaseline): string[] {
  const perms = new Map<string, Set<string>>();
  const add = (raw: string, p: string) => {
    const { path, owner } = procRule(raw);
    const quoted = apparmorPath(path);
    const q = quoted && owner ? `owner ${quoted}` : quoted;
    if (!q) return;
    let s = perms.get(q);
    if (!s) perms.set(q, (s = new Set()));
    for (const c of p) s.add(c);
  };
  for (const e of svc.executables) add(e.path, 'mrix');
  for (const f of svc.files.read) add(f.path, LIBRARY.test(f.path) ? 'mr' : 'r');
  // AppArmor asks for w to create, write, truncate and delete.
  for (const f of [...svc.files.write, ...svc.files.create, ...svc.files.delete]) add(f.path, 'w');
  // Connecting to a path-named unix socket needs write access to the socket file.
  for (const p of [...svc.outbound, ...svc.inbound]) if (p.kind === 'unix' && p.peer.startsWith('/')) add(p.peer, 'rw');
  const order = 'mrwix';
  const key = (rule: string) => rule.replace(/^owner /, '');
  return [...perms.entries()].sort(([a], [b]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map(([path, s]) => `  ${path} ${[...s].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join('')},`);
}

function networkRules(svc: ServiceBaseline): string[] {
  const protocols = new Set<string>([
    ...svc.listen.map((l) => l.protocol), ...svc.outbound.map((o) => o.protocol), ...svc.inbound.map((i) => i.protocol),
  ]);
  if (svc.dns.length) protocols.add('udp');
  const out: string[] = [];
  for (const fam of ['inet', 'inet6']) {
    if (protocols.has('tcp')) out.push(`  network ${fam} stream,`);
    if (protocols.has('udp')) out.push(`  network ${fam} dgram,`);
  }
  if (protocols.has('unix')) out.push('  network unix stream,', '  network unix dgram,');
  return out;
}

export function apparmorProfile(name: string, svc: ServiceBaseline): string {
  const profile = `imprint-${slug(name)}`;
  return [
    `# AppArmor profile for ${name}, exported by imprint from its baseline (${svc.runs} learning run(s)).`,
    `# Load: apparmor_parser -r FILE; use: docker run --security-opt apparmor=${profile} ...`,
    '#include <tunables/global>',
    '',
    `profile ${profile} flags=(attach_disconnected,mediate_deleted) {`,
    '  #include <abstractions/base>',
    '',
    '  # Capabilities stay governed by the container runtime (--cap-drop / --cap-add), as in docker-default.',
    '  capability,',
    '  # The runtime stops the container; processes of this service signal each other.',
    '  signal (receive) peer=unconfined,',
    `  signal (send,receive) peer=${profile},`,
    '',
    ...networkRules(svc),
    '',
    ...fileRules(svc),
    '}',
    '',
  ].join('\n');
}

export function apparmorProfiles(baseline: Baseline, service?: string): string {
  return selectServices(baseline, service).map(([name, svc]) => apparmorProfile(name, svc)).join('\n');
}
