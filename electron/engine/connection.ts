/**
 * Finding and reaching the container engine the way the Docker CLI does:
 * DOCKER_HOST > DOCKER_CONTEXT > `currentContext` in ~/.docker/config.json (endpoint in
 * ~/.docker/contexts/meta/<sha256 of name>/meta.json) > the default sockets (Docker, Docker Desktop,
 * rootless Docker, Podman). docker-modem reads DOCKER_HOST only (ECOSYSTEM.md; lazydocker #464), so the
 * rest lives here. Every failure becomes an `EngineError` whose message names the fix.
 *
 * No `timeout` is ever passed to docker-modem: it is an idle timeout and would kill quiet attach streams.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { EngineStatus } from '../../common/api.js';

/** Docker API 1.40 (Docker 19.03, Podman's compat API) is the oldest we speak. */
export const MIN_API_VERSION = '1.40';

export type EngineErrorCode =
  | 'not-running' | 'permission-denied' | 'api-too-old' | 'bad-endpoint' | 'image-not-found' | 'bad-reference'
  | 'pull-failed' | 'no-probe' | 'create-failed' | 'start-failed' | 'engine-lost' | 'compose-invalid' | 'capture-exists'
  | 'capture-unwritable';

/** An engine problem with what to do about it. */
export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, message: string, readonly fix?: string) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
    this.name = 'EngineError';
  }
}

export interface EngineEndpoint {
  /** Where it came from: `DOCKER_HOST`, `context <name>`, or `default`. */
  source: string;
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`, `npipe:////./pipe/docker_engine`, `ssh://...` */
  host: string;
  options: Dockerode.DockerOptions;
}

export interface EngineInfo {
  kind: 'docker' | 'podman';
  version: string;
  apiVersion: string;
  /** `x86_64` or `aarch64`, normalised from the engine's own spelling (amd64, arm64). */
  arch: string;
  os: string;
}

export interface EngineConnection {
  docker: Dockerode;
  endpoint: EngineEndpoint;
  info: EngineInfo;
}

interface Env { [key: string]: string | undefined }

function hostOptions(host: string, tls?: { ca?: string; cert?: string; key?: string; verify: boolean }): Dockerode.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length) };
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new EngineError('bad-endpoint', `engine address '${host}' is not a URL`, 'use unix:///path/docker.sock, tcp://HOST:PORT or ssh://USER@HOST');
  }
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port: url.port ? Number(url.port) : 22, username: url.username || undefined } as Dockerode.DockerOptions;
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineError('bad-endpoint', `engine address '${host}' has an unknown scheme`, 'use unix://, tcp://, npipe:// or ssh://');
  }
  const secure = url.protocol === 'https:' || Boolean(tls?.cert) || Boolean(tls?.verify);
  const opts: Dockerode.DockerOptions = { host: url.hostname, port: url.port ? Number(url.port) : secure ? 2376 : 2375, protocol: secure ? 'https' : 'http' };
  if (tls?.ca) opts.ca = tls.ca;
  if (tls?.cert) opts.cert = tls.cert;
  if (tls?.key) opts.key = tls.key;
  return opts;
}

function readTls(dir: string | undefined, verify: boolean): { ca?: string; cert?: string; key?: string; verify: boolean } | undefined {
  if (!dir || !existsSync(dir)) return verify ? { verify } : undefined;
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
  const out: { ca?: string; cert?: string; key?: string; verify: boolean } = { verify };
  const ca = read('ca.pem'); const cert = read('cert.pem'); const key = read('key.pem');
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}

/** The context name the Docker CLI would use, if any other than `default`. */
export function currentContextName(env: Env = process.env, home: string = homedir()): string | undefined {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  const configDir = env.DOCKER_CONFIG ?? join(home, '.docker');
  try {
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/** Candidate sockets when nothing is configured, most common first. */
export function defaultSockets(env: Env = process.env, home: string = homedir()): string[] {
  if (process.platform === 'win32') return ['//./pipe/docker_engine', '//./pipe/dockerDesktopLinuxEngine'];
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const runtime = env.XDG_RUNTIME_DIR ?? `/run/user/${uid}`;
  return [
    '/var/run/docker.sock',
    join(home, '.docker', 'run', 'docker.sock'), // Docker Desktop (macOS, Linux)
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(runtime, 'docker.sock'), // rootless Docker
    join(runtime, 'podman', 'podman.sock'), // rootless Podman
    '/run/podman/podman.sock', // rootful Podman
  ];
}

/** Resolves where the engine is, without contacting it. */
export function resolveEndpoint(env: Env = process.env, home: string = homedir()): EngineEndpoint {
  if (env.DOCKER_HOST) {
    const tls = readTls(env.DOCKER_CERT_PATH ?? (env.DOCKER_TLS_VERIFY ? join(home, '.docker') : undefined), Boolean(env.DOCKER_TLS_VERIFY));
    return { source: 'DOCKER_HOST', host: env.DOCKER_HOST, options: hostOptions(env.DOCKER_HOST, tls) };
  }
  const context = currentContextName(env, home);
  if (context && context !== 'default') {
    const configDir = env.DOCKER_CONFIG ?? join(home, '.docker');
    const id = createHash('sha256').update(context).digest('hex');
    const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
    let host: unknown;
    let skipVerify = false;
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
      host = meta.Endpoints?.docker?.Host;
      skipVerify = meta.Endpoints?.docker?.SkipTLSVerify === true;
    } catch {
      throw new EngineError('bad-endpoint', `docker context '${context}' is selected but ${metaFile} cannot be read`,
        `run 'docker context use default' or 'docker context ls' to pick an existing context`);
    }
    if (typeof host !== 'string' || !host) {
      throw new EngineError('bad-endpoint', `docker context '${context}' has no docker endpoint`, `run 'docker context inspect ${context}'`);
    }
    const tls = readTls(join(configDir, 'contexts', 'tls', id, 'docker'), !skipVerify && host.startsWith('tcp://'));
    return { source: `context ${context}`, host, options: hostOptions(host, tls) };
  }
  const sockets = defaultSockets(env, home);
  const found = sockets.find((s) => s.startsWith('//') || existsSync(s)) ?? sockets[0]!;
  return { source: 'default', host: found.startsWith('//') ? `npipe://${found}` : `unix://${found}`, options: { socketPath: found } };
}

const describe = (e: EngineEndpoint) => `${e.host} (${e.source})`;

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function normaliseArch(arch: string): string {
  const a = arch.toLowerCase();
  if (a === 'amd64' || a === 'x86_64' || a === 'x64') return 'x86_64';
  if (a === 'arm64' || a === 'aarch64') return 'aarch64';
  return a;
}

/** Turns a failed first contact into an EngineError naming the fix. */
export function explainConnectError(err: unknown, endpoint: EngineEndpoint): EngineError {
  const e = err as NodeJS.ErrnoException & { statusCode?: number };
  const where = describe(endpoint);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new EngineError('permission-denied', `permission denied on the engine socket ${where}`,
      `add your user to the 'docker' group ('sudo usermod -aG docker $USER', then log in again), or use rootless Docker / Podman`);
  }
  if (e?.code === 'ENOENT' || e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EHOSTUNREACH' || e?.code === 'ETIMEDOUT') {
    return new EngineError('not-running', `the container engine is not running or not reachable at ${where} (${e.code})`,
      endpoint.source === 'default'
        ? `start it ('sudo systemctl start docker', or open Docker Desktop / 'podman machine start'), or set DOCKER_HOST`
        : `start the engine behind ${endpoint.source}, or point DOCKER_HOST / 'docker context use' at a running one`);
  }
  return new EngineError('not-running', `cannot talk to the container engine at ${where}: ${e?.message ?? String(err)}`,
    'check that the engine is running and that DOCKER_HOST / the docker context point at it');
}

/** Podman answers GET /v1/libpod/_ping; Docker answers 404 there. */
async function isPodman(docker: Dockerode): Promise<boolean> {
  const modem = docker.modem as unknown as { dial(opts: object, cb: (err: unknown, data: unknown) => void): void };
  return new Promise((resolve) => {
    try {
      modem.dial({ path: '/v1/libpod/_ping', method: 'GET', statusCodes: { 200: true, 404: false, 500: false } }, (err) => resolve(!err));
    } catch {
      resolve(false);
    }
  });
}

/** Connects, checks the API version and detects Podman. Throws EngineError. */
export async function connectEngine(endpoint: EngineEndpoint = resolveEndpoint()): Promise<EngineConnection> {
  const docker = new Dockerode(endpoint.options);
  let version: Dockerode.DockerVersion;
  try {
    version = await docker.version();
  } catch (err) {
    throw explainConnectError(err, endpoint);
  }
  const apiVersion = version.ApiVersion ?? '0';
  if (compareVersions(apiVersion, MIN_API_VERSION) < 0) {
    throw new EngineError('api-too-old', `the engine at ${describe(endpoint)} speaks Docker API ${apiVersion}; Imprint needs ${MIN_API_VERSION} or newer`,
      'upgrade the engine (Docker 19.03+, Podman 2+)');
  }
  // Pin the negotiated version so requests never ask for more than the engine has.
  const pinned = new Dockerode({ ...endpoint.options, version: `v${apiVersion}` });
  const kind = (await isPodman(pinned)) || /podman/i.test(JSON.stringify(version.Components ?? '')) ? 'podman' : 'docker';
  return {
    docker: pinned,
    endpoint,
    info: { kind, version: version.Version ?? '?', apiVersion, arch: normaliseArch(version.Arch ?? 'unknown'), os: version.Os ?? 'unknown' },
  };
}

/** The status the UI and `imprint doctor` show; never throws. */
export async function engineStatus(endpoint?: EngineEndpoint): Promise<EngineStatus & { kind?: string; arch?: string }> {
  let ep: EngineEndpoint;
  try {
    ep = endpoint ?? resolveEndpoint();
  } catch (err) {
    const e = err as EngineError;
    return { connected: false, error: e.message.split('\n')[0], ...(e.fix ? { fix: e.fix } : {}) };
  }
  try {
    const c = await connectEngine(ep);
    return { connected: true, version: c.info.version, apiVersion: c.info.apiVersion, context: describe(ep), kind: c.info.kind, arch: c.info.arch };
  } catch (err) {
    const e = err instanceof EngineError ? err : explainConnectError(err, ep);
    return { connected: false, context: describe(ep), error: e.message.split('\n')[0], ...(e.fix ? { fix: e.fix } : {}) };
  }
}
