/**
 * Labels on everything Imprint creates, and removing it: at the end of a run (always, also after errors
 * and Ctrl-C), and at start-up for what a crashed Imprint left behind. The owner label names the host and
 * process that created a thing, so a sweep never touches the runs of another Imprint that is still alive
 * (several may run at once, e.g. the app and a CLI in CI).
 */
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';

export const LABEL_RUN = 'imprint.run';
export const LABEL_SERVICE = 'imprint.service';
export const LABEL_OWNER = 'imprint.owner';

export function ownerLabel(): string {
  return `${hostname()}/${process.pid}`;
}

export function runLabels(runId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [LABEL_RUN]: runId, [LABEL_OWNER]: ownerLabel() };
}

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes a container, ignoring "already gone". */
export async function removeContainer(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const s = statusOf(err);
    if (s === 404) return;
    if (s === 409 && /already in progress/i.test((err as Error).message)) return;
    throw err;
  }
}

/** Runs a removal; "already gone" (404) counts as done. */
async function removeUnlessGone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw err;
  }
}

export function removeNetwork(docker: Dockerode, id: string): Promise<void> {
  return removeUnlessGone(() => docker.getNetwork(id).remove());
}

export function removeVolume(docker: Dockerode, name: string): Promise<void> {
  return removeUnlessGone(() => docker.getVolume(name).remove());
}

async function runVolumes(docker: Dockerode, filters: string): Promise<Dockerode.VolumeInspectInfo[]> {
  return (await docker.listVolumes({ filters })).Volumes ?? [];
}

export interface RemoveResult {
  /** What could not be removed, with why. */
  left: string[];
  /** The engine did not answer at some point (it was restarting or gone). */
  unreachable: boolean;
}

/**
 * Removes every container, network and volume of the run. Retries for up to `retryMs` (the engine may be
 * restarting) and reports what could not be removed instead of throwing.
 */
export async function removeRun(docker: Dockerode, runId: string, retryMs = 30_000): Promise<RemoveResult> {
  const deadline = Date.now() + retryMs;
  const filters = JSON.stringify({ label: [`${LABEL_RUN}=${runId}`] });
  let unreachable = false;
  for (let attempt = 0; ; attempt++) {
    const left: string[] = [];
    try {
      const containers = await docker.listContainers({ all: true, filters });
      for (const c of containers) {
        try { await removeContainer(docker, c.Id); } catch (err) { left.push(`container ${c.Id.slice(0, 12)}: ${(err as Error).message}`); }
      }
      const networks = await docker.listNetworks({ filters });
      for (const n of networks) {
        try { await removeNetwork(docker, n.Id); } catch (err) { left.push(`network ${n.Name}: ${(err as Error).message}`); }
      }
      for (const v of await runVolumes(docker, filters)) {
        try { await removeVolume(docker, v.Name); } catch (err) { left.push(`volume ${v.Name}: ${(err as Error).message}`); }
      }
      if (left.length === 0) return { left, unreachable };
    } catch (err) {
      unreachable = true;
      left.push(`engine: ${(err as Error).message}`);
    }
    if (Date.now() >= deadline) return { left, unreachable };
    await sleep(Math.min(2000, 200 * 2 ** attempt));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes containers, networks and volumes left by Imprint processes of this host that no longer exist. */
export async function sweepLeftovers(docker: Dockerode): Promise<{ containers: number; networks: number; volumes: number }> {
  const host = hostname();
  const orphan = (labels: Record<string, string> | undefined): boolean => {
    const owner = labels?.[LABEL_OWNER];
    if (!owner) return false;
    const slash = owner.lastIndexOf('/');
    const pid = Number(owner.slice(slash + 1));
    return owner.slice(0, slash) === host && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
  };
  const filters = JSON.stringify({ label: [LABEL_RUN] });
  let containers = 0;
  let networks = 0;
  for (const c of await docker.listContainers({ all: true, filters })) {
    if (!orphan(c.Labels)) continue;
    try { await removeContainer(docker, c.Id); containers++; } catch { /* next sweep */ }
  }
  for (const n of await docker.listNetworks({ filters })) {
    if (!orphan(n.Labels as Record<string, string> | undefined)) continue;
    try { await removeNetwork(docker, n.Id); networks++; } catch { /* still in use: next sweep */ }
  }
  let volumes = 0;
  for (const v of await runVolumes(docker, filters)) {
    if (!orphan(v.Labels ?? undefined)) continue;
    try { await removeVolume(docker, v.Name); volumes++; } catch { /* still in use: next sweep */ }
  }
  return { containers, networks, volumes };
}
