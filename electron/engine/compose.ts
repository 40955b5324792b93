/**
 * The common subset of the Compose spec: services with image, command, entrypoint, environment, ports,
 * depends_on, networks, volumes, tmpfs, working_dir, user, container_name; top-level networks and volumes;
 * `${VAR}` interpolation and YAML merge keys. Anything else is reported
 * as unsupported (never silently ignored); a service without an image (only `build`) is an error, since
 * Imprint runs images and never builds or pulls behind the user's back.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EngineError } from './connection.js';
import { interpolateTree, InterpolationError, parseDotEnv, type Env } from './compose-interpolate.js';
import { MountSyntaxError, parseLongMount, parseShortMount, parseTmpfs, topLevelVolumes, type ComposeVolume, type Mount } from './mounts.js';

export interface ComposeService {
  name: string;
  image: string;
  command?: string[];
  entrypoint?: string[];
  environment: string[];
  ports: string[];
  dependsOn: string[];
  /** Top-level network names (`default` when none are listed). */
  networks: string[];
  workingDir?: string;
  user?: string;
  containerName?: string;
  /** `volumes` and `tmpfs`, in the order given. */
  mounts: Mount[];
}

export interface ComposeProject {
  name?: string;
  services: ComposeService[];
  networks: string[];
  /** Top-level volumes: the run creates its own (fresh every run), except external ones. */
  volumes: ComposeVolume[];
  /** `services.web.healthcheck: not supported, ignored` and the like. */
  warnings: string[];
}

const SERVICE_KEYS = new Set(['image', 'command', 'entrypoint', 'environment', 'ports', 'depends_on', 'networks', 'volumes', 'tmpfs',
  'working_dir', 'user', 'container_name']);
/** Accepted and meaningless here (they describe the compose file itself). */
const TOP_KEYS = new Set(['services', 'networks', 'volumes', 'version', 'name']);
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const invalid = (msg: string) => new EngineError('compose-invalid', msg, 'fix the compose file');

/** Splits a command string like a POSIX shell would for words and quotes (no expansion), as compose does. */
export function splitCommand(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") { quote = c; inWord = true; }
    else if (c === '\\' && i + 1 < s.length) { cur += s[++i]; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) { out.push(cur); cur = ''; inWord = false; } }
    else { cur += c; inWord = true; }
  }
  if (quote) throw invalid(`unterminated quote in command '${s}'`);
  if (inWord) out.push(cur);
  return out;
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return splitCommand(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  throw invalid(`${where} must be a string or a list of strings`);
}

function environment(value: unknown, where: string, env: Env): string[] {
  if (value === undefined || value === null) return [];
  // `KEY` without a value takes the value from Imprint's own environment, as compose does; unset, it is left out.
  const fromHost = (key: string) => (env[key] === undefined ? [] : [`${key}=${env[key]}`]);
  if (Array.isArray(value)) {
    return value.flatMap((v) => {
      if (typeof v !== 'string') throw invalid(`${where} entries must be KEY=VALUE strings`);
      return v.includes('=') ? [v] : fromHost(v);
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (v === null || v === undefined ? fromHost(k) : [`${k}=${String(v)}`]));
  }
  throw invalid(`${where} must be a list or a mapping`);
}

/**
 * Parses the compose subset. `env` is what `${VAR}` interpolation and value-less `environment` entries read:
 * loadCompose passes the shell's environment over the `.env` file next to the compose file, and the
 * compose file's folder as `baseDir`, which relative bind-mount sources start from.
 */
export function parseCompose(text: string, env: Env = {}, baseDir = process.cwd()): ComposeProject {
  let doc: unknown;
  const unset = new Set<string>();
  try {
    // merge: YAML merge keys (`<<: *common`), the usual way compose files share settings between services.
    doc = interpolateTree(parse(text, { maxAliasCount: 100, merge: true }), env, unset);
  } catch (err) {
    if (err instanceof InterpolationError) throw invalid(`the compose file's interpolation failed: ${err.message}`);
    throw invalid(`the compose file is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('the compose file is not a mapping');
  const top = doc as Record<string, unknown>;
  const warnings: string[] = [...unset];
  for (const k of Object.keys(top)) {
    if (!TOP_KEYS.has(k) && !k.startsWith('x-')) warnings.push(`${k}: not supported, ignored`);
  }
  const servicesRaw = top.services;
  if (typeof servicesRaw !== 'object' || servicesRaw === null || Array.isArray(servicesRaw) || Object.keys(servicesRaw).length === 0) {
    throw invalid('the compose file has no services');
  }
  const networks = new Set<string>();
  const topNetworks = top.networks;
  if (topNetworks !== undefined && topNetworks !== null) {
    if (typeof topNetworks !== 'object' || Array.isArray(topNetworks)) throw invalid('networks must be a mapping');
    for (const [name, def] of Object.entries(topNetworks as Record<string, unknown>)) {
      networks.add(name);
      if (def && typeof def === 'object') {
        for (const k of Object.keys(def)) warnings.push(`networks.${name}.${k}: not supported, ignored (every run gets fresh bridge networks)`);
      }
    }
  }
  const volumes = topLevelVolumes(top.volumes, warnings);
  const volumeNames = new Set(volumes.map((v) => v.name));
  const services: ComposeService[] = [];
  for (const [name, raw] of Object.entries(servicesRaw as Record<string, unknown>)) {
    if (!SERVICE_NAME.test(name)) throw invalid(`service name '${name}' is not valid`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`services.${name} must be a mapping`);
    const s = raw as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (!SERVICE_KEYS.has(k) && !k.startsWith('x-')) warnings.push(`services.${name}.${k}: not supported, ignored`);
    }
    if (typeof s.image !== 'string' || !s.image) {
      throw invalid(`services.${name} has no image${s.build !== undefined ? ' (build is not supported: build the image first and name it)' : ''}`);
    }
    let dependsOn: string[] = [];
    if (Array.isArray(s.depends_on)) dependsOn = s.depends_on.map(String);
    else if (s.depends_on && typeof s.depends_on === 'object') {
      for (const [dep, cond] of Object.entries(s.depends_on as Record<string, unknown>)) {
        dependsOn.push(dep);
        const c = (cond as { condition?: unknown } | null)?.condition;
        if (c !== undefined && c !== 'service_started') warnings.push(`services.${name}.depends_on.${dep}.condition: ${String(c)} is treated as service_started`);
      }
    } else if (s.depends_on !== undefined) throw invalid(`services.${name}.depends_on must be a list or a mapping`);
    let nets: string[] = [];
    if (Array.isArray(s.networks)) nets = s.networks.map(String);
    else if (s.networks && typeof s.networks === 'object') {
      for (const [net, def] of Object.entries(s.networks as Record<string, unknown>)) {
        nets.push(net);
        if (def && typeof def === 'object') for (const k of Object.keys(def)) warnings.push(`services.${name}.networks.${net}.${k}: not supported, ignored`);
      }
    } else if (s.networks !== undefined) throw invalid(`services.${name}.networks must be a list or a mapping`);
    for (const n of nets) if (!networks.has(n) && n !== 'default') throw invalid(`services.${name} uses network '${n}', which is not declared under networks`);
    if (nets.length === 0) nets = ['default'];
    const ports = s.ports === undefined ? [] : Array.isArray(s.ports) ? s.ports.map((p) => {
      if (typeof p === 'string' || typeof p === 'number') return String(p);
      throw invalid(`services.${name}.ports: only the short syntax (HOST:CONTAINER) is supported`);
    }) : (() => { throw invalid(`services.${name}.ports must be a list`); })();
    const mounts = serviceMounts(s, name, baseDir, volumeNames, warnings);
    const svc: ComposeService = { name, image: s.image, environment: environment(s.environment, `services.${name}.environment`, env), ports, dependsOn, networks: nets, mounts };
    const command = stringList(s.command, `services.${name}.command`);
    const entrypoint = stringList(s.entrypoint, `services.${name}.entrypoint`);
    if (command) svc.command = command;
    if (entrypoint) svc.entrypoint = entrypoint;
    if (s.working_dir !== undefined) svc.workingDir = String(s.working_dir);
    if (s.user !== undefined) svc.user = String(s.user);
    if (s.container_name !== undefined) svc.containerName = String(s.container_name);
    services.push(svc);
  }
  const names = new Set(services.map((s) => s.name));
  for (const s of services) for (const d of s.dependsOn) if (!names.has(d)) throw invalid(`services.${s.name}.depends_on names an unknown service '${d}'`);
  const project: ComposeProject = { services: startOrder(services), networks: [...networks], volumes, warnings };
  if (typeof top.name === 'string') project.name = top.name;
  return project;
}

function serviceMounts(s: Record<string, unknown>, name: string, baseDir: string, volumeNames: Set<string>, warnings: string[]): Mount[] {
  const mounts: Mount[] = [];
  const where = `services.${name}.volumes`;
  if (s.volumes !== undefined && !Array.isArray(s.volumes)) throw invalid(`${where} must be a list`);
  for (const [i, v] of ((s.volumes as unknown[] | undefined) ?? []).entries()) {
    const m = composeMount(() => (typeof v === 'string' ? parseShortMount(v, baseDir, `${where}[${i}]`) : parseLongMount(v, baseDir, `${where}[${i}]`, warnings)));
    if (m.type === 'volume' && m.source !== undefined && !volumeNames.has(m.source)) {
      throw invalid(`${where}[${i}] uses volume '${m.source}', which is not declared under the top-level volumes`);
    }
    mounts.push(m);
  }
  mounts.push(...composeMount(() => parseTmpfs(s.tmpfs, `services.${name}.tmpfs`)));
  return mounts;
}

/** A mount's syntax error, as the compose file's. */
function composeMount<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof MountSyntaxError) throw invalid(err.message);
    throw err;
  }
}

/** Services ordered so that each comes after what it depends on; a cycle is an error. */
export function startOrder(services: ComposeService[]): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const out: ComposeService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: ComposeService, path: string[]) => {
    const st = state.get(s.name);
    if (st === 'done') return;
    if (st === 'visiting') throw invalid(`depends_on has a cycle: ${[...path, s.name].join(' → ')}`);
    state.set(s.name, 'visiting');
    for (const d of s.dependsOn) visit(byName.get(d)!, [...path, s.name]);
    state.set(s.name, 'done');
    out.push(s);
  };
  for (const s of services) visit(s, []);
  return out;
}

export async function loadCompose(file: string): Promise<ComposeProject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EngineError('compose-invalid', missing ? `the compose file ${file} does not exist` : `cannot read the compose file ${file}: ${(err as Error).message}`,
      missing ? 'give the path of a compose file (imprint up compose.yaml)' : 'make the file readable, or give another one');
  }
  if (text.length > 4 * 1024 * 1024) throw invalid(`the compose file ${file} is larger than 4 MiB`);
  let dotEnv: Record<string, string> = {};
  try {
    dotEnv = parseDotEnv(await readFile(join(dirname(file), '.env'), 'utf8'));
  } catch { /* no .env file: only the shell's environment */ }
  return parseCompose(text, { ...dotEnv, ...process.env }, dirname(resolve(file)));
}
