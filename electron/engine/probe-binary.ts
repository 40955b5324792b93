/**
 * The probe binary to inject: native/build/probe-<arch> for the engine's architecture (not the host's:
 * a remote engine or Docker Desktop's VM may differ), packed as a tar for putArchive at /.imprint/probe,
 * mode 0755. No bind mount: that works on remote engines, Docker Desktop and scratch images alike.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from 'tar-stream';
import { EngineError } from './connection.js';

export const PROBE_DIR_IN_CONTAINER = '/.imprint';
export const PROBE_PATH_IN_CONTAINER = '/.imprint/probe';

export interface ProbeBinary {
  file: string;
  arch: string;
  sha256: string;
  bytes: Buffer;
}

/** Directories that may hold probe-<arch>: $IMPRINT_PROBE_DIR, the packaged app's resources, the repo's native/build. */
function candidateDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.IMPRINT_PROBE_DIR) dirs.push(process.env.IMPRINT_PROBE_DIR);
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) dirs.push(join(resources, 'probe'));
  // Walk up from this file (source: electron/engine; built: dist/electron/electron/engine) to the repo root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) { dirs.push(join(dir, 'native', 'build')); break; }
    dir = dirname(dir);
  }
  dirs.push(resolve('native', 'build'));
  return dirs;
}

export function findProbe(arch: string, explicit?: string): ProbeBinary {
  const given = explicit ?? process.env.IMPRINT_PROBE;
  if (given !== undefined && !existsSync(given)) {
    throw new EngineError('no-probe', `the probe binary ${given} does not exist (${explicit !== undefined ? '--probe' : 'IMPRINT_PROBE'})`,
      `give the path of a probe built for ${arch} (make -C native builds native/build/probe-${arch})`);
  }
  const file = given ?? candidateDirs().map((d) => join(d, `probe-${arch}`)).find((f) => existsSync(f));
  if (!file || !existsSync(file)) {
    throw new EngineError('no-probe', `no probe binary for the engine's architecture ${arch} (looked for probe-${arch} in ${candidateDirs().join(', ')})`,
      `build it with 'make -C native' (or set IMPRINT_PROBE to its path)`);
  }
  const bytes = readFileSync(file);
  return { file, arch, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A tar with /.imprint/ and /.imprint/probe (0755), for putArchive at `/`. */
export async function probeArchive(probe: ProbeBinary): Promise<Buffer> {
  const p = pack();
  p.entry({ name: '.imprint/', type: 'directory', mode: 0o755 });
  p.entry({ name: '.imprint/probe', mode: 0o755, size: probe.bytes.length }, probe.bytes);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
