/**
 * One probed container: created from the image's own config with overrides, the probe injected with
 * putArchive, attached before start (or a fast exit's output is lost), demultiplexed (stdout → frames,
 * stderr → the probe's own diagnostics), stopped with SIGTERM then kill, and inspected for ExitCode,
 * OOMKilled and Error. Removal is the caller's (cleanup.ts), by label, so nothing escapes it.
 */
import type Dockerode from 'dockerode';
import { EngineError } from './connection.js';
import { AttachDemuxer } from './demux.js';
import { PROBE_PATH_IN_CONTAINER, probeArchive, type ProbeBinary } from './probe-binary.js';
import { LABEL_SERVICE } from './cleanup.js';
import type { Mount } from './mounts.js';
import { subnetOf, type RunNetwork } from '../../common/models/run-networks.js';

export interface ContainerSpec {
  service: string;
  image: string;
  imageInfo: Dockerode.ImageInspectInfo;
  /** Replaces the image's Cmd. */
  command?: string[];
  /** Replaces the image's Entrypoint (compose `entrypoint`); [] clears it. */
  entrypoint?: string[];
  /** `KEY=VALUE`, merged over the image's env by the engine. */
  env?: string[];
  /** `[IP:][HOST:]CONTAINER[/tcp|udp]` */
  ports?: string[];
  /** Network to join (name or id); the first of `networks` for compose. */
  network?: string;
  /** More networks to join after create (compose), with the same aliases. */
  extraNetworks?: string[];
  aliases?: string[];
  name?: string;
  user?: string;
  workingDir?: string;
  openStdin?: boolean;
  labels: Record<string, string>;
  /** Volumes and tmpfs; volume sources are the engine's volume names. */
  mounts?: Mount[];
  /** HostConfig.SecurityOpt, e.g. `seccomp=unconfined` for learning runs. */
  securityOpt?: string[];
  /** Pass --no-seccomp and similar options to the probe, before `--`. */
  probeArgs?: string[];
}

export interface ExitState {
  exitCode?: number;
  oomKilled?: boolean;
  error?: string;
}

/** What the application would run: the image's entrypoint + cmd with the overrides applied. */
export function effectiveCommand(spec: Pick<ContainerSpec, 'command' | 'entrypoint' | 'imageInfo'>): string[] {
  const entrypoint = spec.entrypoint ?? spec.imageInfo.Config?.Entrypoint ?? [];
  // Like `docker run`: a new entrypoint drops the image's cmd unless a command is given too.
  const cmd = spec.command ?? (spec.entrypoint !== undefined ? [] : spec.imageInfo.Config?.Cmd ?? []);
  return [...(typeof entrypoint === 'string' ? [entrypoint] : entrypoint), ...cmd];
}

export function parsePorts(ports: readonly string[]): { exposed: Record<string, object>; bindings: Record<string, { HostIp?: string; HostPort: string }[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
  for (const spec of ports) {
    // IP::CONTAINER (an empty host port) lets the engine choose the host port, as with docker -p
    const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d{0,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/.exec(spec.trim());
    const valid = (p: string | undefined) => p === undefined || p === '' || (Number(p) >= 1 && Number(p) <= 65535);
    if (!m || !valid(m[2]) || !valid(m[3])) {
      throw new EngineError('create-failed', `port mapping '${spec}' is not [IP:][HOST:]CONTAINER[/tcp|udp]`, "write it like docker's -p, e.g. 8080:80");
    }
    const key = `${m[3]}/${m[4] ?? 'tcp'}`;
    exposed[key] = {};
    const binding: { HostIp?: string; HostPort: string } = { HostPort: m[2] ?? '' };
    if (m[1]) binding.HostIp = m[1].replace(/^\[|\]$/g, '');
    (bindings[key] ??= []).push(binding);
  }
  return { exposed, bindings };
}

/** Whether a container's USER (`name`, `uid`, `uid:gid`; empty for the default) is root. A name other
 * than `root` is taken as another user: the image's /etc/passwd is not read. */
export function runsAsRoot(user: string | undefined): boolean {
  const name = (user ?? '').split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

export function createOptions(spec: ContainerSpec): Dockerode.ContainerCreateOptions {
  const command = effectiveCommand(spec);
  if (command.length === 0) {
    throw new EngineError('create-failed', `image '${spec.image}' has no entrypoint or command, and none was given`, 'give a command: imprint run IMAGE -- CMD ARGS...');
  }
  const { exposed, bindings } = parsePorts(spec.ports ?? []);
  const opts: Dockerode.ContainerCreateOptions = {
    Image: spec.image,
    Entrypoint: [PROBE_PATH_IN_CONTAINER, ...(spec.probeArgs ?? []), '--'],
    Cmd: command,
    Tty: false,
    OpenStdin: spec.openStdin ?? false,
    // Stdin closes when the attached client closes its side: the app sees EOF.
    StdinOnce: spec.openStdin ?? false,
    AttachStdin: spec.openStdin ?? false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: { ...spec.labels, [LABEL_SERVICE]: spec.service },
    ExposedPorts: exposed,
    HostConfig: {
      // The event stream would otherwise be stored a second time by the log driver; attach still works.
      LogConfig: { Type: 'none', Config: {} },
      // The probe keeps CAP_SYS_PTRACE to read tracees that drop privileges; it removes it from the app.
      // Only a root probe can use it, and only a root probe can drop it from the app's bounding set
      // (PR_CAPBSET_DROP needs CAP_SETPCAP): for another user it would stay there, for a setuid program
      // to pick up under --no-seccomp. So another user gets exactly the capabilities docker gives it.
      CapAdd: runsAsRoot(spec.user ?? spec.imageInfo.Config?.User) ? ['SYS_PTRACE'] : [],
      PortBindings: bindings,
      ...(spec.network ? { NetworkMode: spec.network } : {}),
      ...(spec.securityOpt?.length ? { SecurityOpt: spec.securityOpt } : {}),
      ...engineMounts(spec.mounts ?? []),
    },
  };
  if (spec.env?.length) opts.Env = spec.env;
  if (spec.name) opts.name = spec.name;
  if (spec.user !== undefined) opts.User = spec.user;
  if (spec.workingDir !== undefined) opts.WorkingDir = spec.workingDir;
  if (spec.network && spec.aliases?.length) {
    opts.NetworkingConfig = { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } };
  }
  return opts;
}

/**
 * Binds that may create their host folder go as `Binds` (the engine creates it, as for `docker run -v`);
 * everything else as `Mounts`, where a missing bind source is an error, as compose's long syntax wants.
 */
export function engineMounts(mounts: readonly Mount[]): { Binds?: string[]; Mounts?: Dockerode.MountSettings[] } {
  const binds: string[] = [];
  const out: Dockerode.MountSettings[] = [];
  for (const m of mounts) {
    if (m.type === 'bind' && m.createHostPath) binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
    else if (m.type === 'bind') out.push({ Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly });
    // An empty Source is the engine's "none": an anonymous volume, or a tmpfs.
    else if (m.type === 'volume') out.push({ Type: 'volume', Source: m.source ?? '', Target: m.target, ReadOnly: m.readOnly });
    else out.push({ Type: 'tmpfs', Source: '', Target: m.target });
  }
  return { ...(binds.length ? { Binds: binds } : {}), ...(out.length ? { Mounts: out } : {}) };
}

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ProbedContainer {
  private demux?: AttachDemuxer;
  private stream?: NodeJS.ReadWriteStream;
  private waitPromise?: Promise<unknown>;
  /** Resolves when the attach stream ends (cut: it errored or ended inside a Docker frame). */
  streamEnded!: Promise<{ cut: boolean; error?: string }>;

  private constructor(readonly docker: Dockerode, readonly container: Dockerode.Container, readonly spec: ContainerSpec) {}

  get id(): string { return this.container.id; }

  /** Creates the container and injects the probe. The container carries the run's labels even if this fails. */
  static async create(docker: Dockerode, spec: ContainerSpec, probe: ProbeBinary): Promise<ProbedContainer> {
    const opts = createOptions(spec);
    let container: Dockerode.Container;
    try {
      container = await docker.createContainer(opts);
    } catch (err) {
      const msg = (err as Error).message;
      if (statusOf(err) === 404 && /network/i.test(msg)) {
        throw new EngineError('create-failed', `network '${spec.network}' does not exist: ${msg}`, `create it ('docker network create ${spec.network}') or drop --network`);
      }
      if (statusOf(err) === 409) throw new EngineError('create-failed', `container name '${spec.name}' is already in use`, 'choose another --name');
      throw new EngineError('create-failed', `creating the container for ${spec.service} failed: ${msg}`);
    }
    const pc = new ProbedContainer(docker, container, spec);
    try {
      await container.putArchive(await probeArchive(probe), { path: '/' });
      for (const net of spec.extraNetworks ?? []) {
        await docker.getNetwork(net).connect({ Container: container.id, EndpointConfig: { Aliases: spec.aliases ?? [] } });
      }
    } catch (err) {
      throw new EngineError('create-failed', `preparing the container for ${spec.service} failed: ${(err as Error).message}`);
    }
    return pc;
  }

  /** Attaches (before start!) and routes stdout and stderr. */
  async attach(onStdout: (bytes: Uint8Array) => void, onStderr: (bytes: Uint8Array) => void): Promise<void> {
    const demux = (this.demux = new AttachDemuxer((s, b) => (s === 'stdout' ? onStdout(b) : onStderr(b))));
    const stream = (await this.container.attach({ stream: true, stdout: true, stderr: true, stdin: this.spec.openStdin ?? false, hijack: this.spec.openStdin ?? false })) as NodeJS.ReadWriteStream;
    this.stream = stream;
    this.streamEnded = new Promise((resolve) => {
      let settled = false;
      const done = (cut: boolean, error?: string) => {
        if (settled) return;
        settled = true;
        resolve(error ? { cut: cut || demux.pending > 0, error } : { cut: cut || demux.pending > 0 });
      };
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('end', () => done(false));
      stream.on('error', (err: Error) => done(true, err.message));
      stream.on('close', () => done(false));
    });
  }

  /** Stops reading the attach stream: the probe's writes then block and the app waits, losing nothing. */
  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  /** Pipes `input` to the app's stdin (needs `openStdin`); its end closes stdin. */
  feedStdin(input: NodeJS.ReadableStream): void {
    const stream = this.stream;
    if (!stream || !this.spec.openStdin) return;
    input.on('data', (chunk: Buffer) => { stream.write(chunk); });
    input.on('end', () => stream.end());
    input.on('error', () => stream.end());
  }

  async start(): Promise<void> {
    // Wait before start as well: a fast exit is then never missed (ECOSYSTEM.md).
    this.waitPromise = this.container.wait({ condition: 'next-exit' }).catch((err: unknown) => err);
    try {
      await this.container.start();
    } catch (err) {
      throw new EngineError('start-failed', `starting ${this.spec.service} failed: ${(err as Error).message}`,
        /exec format|no such file/i.test((err as Error).message) ? `the probe may not match the engine's architecture; rebuild it with 'make -C native'` : undefined);
    }
  }

  /** Where the container is on each network it joined: addresses, gateways, subnets. */
  async addresses(): Promise<{ addresses: string[]; gateways: string[]; networks: RunNetwork[]; name: string }> {
    const info = await this.container.inspect();
    const addresses: string[] = [];
    const gateways: string[] = [];
    const networks: RunNetwork[] = [];
    for (const [network, n] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
      if (n.IPAddress) addresses.push(n.IPAddress);
      if (n.GlobalIPv6Address) addresses.push(n.GlobalIPv6Address);
      if (n.Gateway) gateways.push(n.Gateway);
      if (n.IPv6Gateway) gateways.push(n.IPv6Gateway);
      const subnets = [subnetOf(n.IPAddress, n.IPPrefixLen), subnetOf(n.GlobalIPv6Address, n.GlobalIPv6PrefixLen)].filter((s): s is string => !!s);
      // A compose run's networks are created as imprint-<run id>_<name>: the name in the file is the stable one.
      if (subnets.length) networks.push({ name: network.replace(/^imprint-[0-9a-f]{10}_/, ''), subnets });
    }
    return { addresses, gateways, networks, name: info.Name.replace(/^\//, '') };
  }

  /** SIGTERM to the probe (it forwards it to the app), kill after `graceSeconds`. */
  async stop(graceSeconds: number): Promise<void> {
    try {
      await this.container.stop({ t: graceSeconds });
    } catch (err) {
      const s = statusOf(err);
      if (s === 304 || s === 404) return; // already stopped or gone
      throw err;
    }
  }

  /**
   * The exit state, once the container stopped: from inspect, after wait or the stream's end. Polls
   * briefly because the engine may still report Running just after the streams close.
   */
  async exitState(timeoutMs = 15_000): Promise<ExitState> {
    const deadline = Date.now() + timeoutMs;
    await Promise.race([this.waitPromise, sleep(2000)]);
    for (;;) {
      const info = await this.container.inspect();
      const st = info.State;
      if (!st.Running || Date.now() > deadline) {
        const out: ExitState = {};
        if (!st.Running) out.exitCode = st.ExitCode;
        if (st.OOMKilled) out.oomKilled = true;
        if (st.Error) out.error = st.Error;
        return out;
      }
      await sleep(100);
    }
  }
}
