/** Shared by the engine tests: labels every test container carries, and a check that nothing is left. */
import Dockerode from 'dockerode';

export const TEST_LABELS = { 'imprint.test': '1' };
export const BUSYBOX = 'imprint-fixture/busybox:latest';
export const DEBIAN = 'imprint-fixture/debian:latest';

const docker = new Dockerode();

/** Containers, networks and volumes that still carry the run's label. */
export async function leftovers(runId: string, on: Dockerode = docker): Promise<string[]> {
  const filters = JSON.stringify({ label: [`imprint.run=${runId}`] });
  const containers = await on.listContainers({ all: true, filters });
  const networks = await on.listNetworks({ filters });
  const volumes = (await on.listVolumes({ filters })).Volumes ?? [];
  return [...containers.map((c) => `container ${c.Id.slice(0, 12)} ${c.State}`), ...networks.map((n) => `network ${n.Name}`), ...volumes.map((v) => `volume ${v.Name}`)];
}
