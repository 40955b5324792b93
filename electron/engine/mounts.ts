/**
 * Volumes, as compose files and `docker run -v` write them, read into one shape the engine creates:
 * bind mounts of host folders, named volumes and anonymous ones, and tmpfs. A run gets fresh named
 * volumes of its own (created with the run's labels and removed with it), so every run starts from the
 * image's state, as a behaviour profile should; an `external` volume is used as it is and kept.
 */
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { EngineError } from './connection.js';

export type Mount =
  /** `createHostPath`: the short syntax creates a missing host folder, as compose and `docker run -v` do. */
  | { type: 'bind'; source: string; target: string; readOnly: boolean; createHostPath: boolean }
  /** `source`: a top-level volume's name; none for an anonymous volume. */
  | { type: 'volume'; source?: string; target: string; readOnly: boolean }
  | { type: 'tmpfs'; target: string };

export interface ComposeVolume {
  /** The name services use. */
  name: string;
  /** The engine's volume to use as it is (`external: true`); otherwise the run creates its own. */
  external?: string;
}

const invalid = (msg: string) => new EngineError('compose-invalid', msg, 'fix the compose file');

/** A `SRC:DST[:OPTIONS]` that does not parse: the caller (compose or `-v`) says how to fix it. */
export class MountSyntaxError extends Error {}

/** A Windows drive path (`C:\data`, `D:/src`), as Docker Desktop users on Windows write host folders. */
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** Host paths start with `/`, `.`, `~` or a drive letter; anything else names a volume. */
function isHostPath(s: string): boolean {
  return s.startsWith('/') || s.startsWith('.') || s.startsWith('~') || WINDOWS_DRIVE.test(s);
}

function hostPath(source: string, baseDir: string): string {
  if (source === '~' || source.startsWith('~/')) return resolve(homedir(), source.slice(2));
  return isAbsolute(source) || WINDOWS_DRIVE.test(source) ? source : resolve(baseDir, source);
}

function containerPath(target: string, where: string): string {
  if (!target.startsWith('/')) throw new MountSyntaxError(`${where}: the path inside the container must be absolute, not '${target}'`);
  return target;
}

/**
 * `SRC:DST[:OPTIONS]` or `DST` (an anonymous volume). SRC is a host path (relative ones start from
 * `baseDir`) or a volume name; OPTIONS are comma-separated, of which `ro` matters here (`rw`, `z`, `Z`,
 * `nocopy` and the propagation modes change nothing Imprint observes).
 */
export function parseShortMount(spec: string, baseDir: string, where = 'volumes'): Mount {
  // The drive's colon is no separator: `C:\data:/data:ro` is C:\data, /data, ro.
  const drive = WINDOWS_DRIVE.test(spec) ? spec.slice(0, 2) : '';
  const parts = spec.slice(drive.length).split(':');
  parts[0] = drive + parts[0];
  if (parts.length > 3 || parts.some((p) => p === '')) throw new MountSyntaxError(`${where}: '${spec}' is not SRC:DST[:ro|rw] or DST`);
  if (parts.length === 1) return { type: 'volume', target: containerPath(parts[0]!, where), readOnly: false };
  const [source, target, options = ''] = parts as [string, string, string?];
  const readOnly = options.split(',').includes('ro');
  if (isHostPath(source)) return { type: 'bind', source: hostPath(source, baseDir), target: containerPath(target, where), readOnly, createHostPath: true };
  return { type: 'volume', source, target: containerPath(target, where), readOnly };
}

const LONG_KEYS = new Set(['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs', 'consistency']);

/** The long syntax: `{ type: bind|volume|tmpfs, source, target, read_only }`. */
export function parseLongMount(value: unknown, baseDir: string, where: string, warnings: string[]): Mount {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where} must be SRC:DST or a mapping`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!LONG_KEYS.has(k)) warnings.push(`${where}.${k}: not supported, ignored`);
  if (typeof v.target !== 'string') throw invalid(`${where}.target must be a path inside the container`);
  const target = containerPath(v.target, where);
  const readOnly = v.read_only === true;
  const source = typeof v.source === 'string' && v.source !== '' ? v.source : undefined;
  switch (v.type) {
    case 'bind': {
      if (!source) throw invalid(`${where}: a bind mount needs a source`);
      const create = (v.bind as { create_host_path?: unknown } | undefined)?.create_host_path === true;
      return { type: 'bind', source: hostPath(source, baseDir), target, readOnly, createHostPath: create };
    }
    case 'volume':
      return source ? { type: 'volume', source, target, readOnly } : { type: 'volume', target, readOnly };
    case 'tmpfs':
      return { type: 'tmpfs', target };
    default:
      throw invalid(`${where}.type must be bind, volume or tmpfs, not ${JSON.stringify(v.type)}`);
  }
}

/** A service's `tmpfs:` key: one path or a list of them (`/run:size=64k` options are dropped). */
export function parseTmpfs(value: unknown, where: string): Mount[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) throw invalid(`${where} must be a path or a list of paths`);
  return list.map((t) => ({ type: 'tmpfs' as const, target: containerPath(t.split(':')[0]!, where) }));
}

/** The top-level `volumes:` mapping. Driver settings describe where data lives, not what the app does. */
export function topLevelVolumes(value: unknown, warnings: string[]): ComposeVolume[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('volumes must be a mapping');
  return Object.entries(value as Record<string, unknown>).map(([name, def]) => {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw invalid(`volume name '${name}' is not valid`);
    const d = (def ?? {}) as Record<string, unknown>;
    if (typeof d !== 'object' || Array.isArray(d)) throw invalid(`volumes.${name} must be a mapping`);
    if (d.external === true || (typeof d.external === 'object' && d.external !== null)) {
      const given = typeof d.name === 'string' ? d.name : (d.external as { name?: unknown }).name;
      return { name, external: typeof given === 'string' ? given : name };
    }
    for (const k of Object.keys(d)) warnings.push(`volumes.${name}.${k}: not supported, ignored (every run gets fresh volumes)`);
    return { name };
  });
}

/** `docker run -v` entries: the short syntax, relative host paths from the current folder. */
export function parseVolumeFlags(specs: readonly string[], baseDir = process.cwd()): Mount[] {
  return specs.map((s) => {
    try {
      return parseShortMount(s, baseDir, '--volume');
    } catch (err) {
      if (!(err instanceof MountSyntaxError)) throw err;
      throw new EngineError('create-failed', err.message, 'write it like docker\'s -v: /host/dir:/in/container[:ro], or volume:/path');
    }
  });
}
