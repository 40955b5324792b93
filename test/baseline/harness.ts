/**
 * End-to-end helpers for the baseline tests: record a learning run through the real engine (real dockerd,
 * real probe), and run the real `imprint` CLI as a child process to see its output and exit code.
 * Every container is labelled imprint.test=1; the engine removes what it created.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRun, type RunResult } from '../../electron/engine/index.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const TEST_LABELS = { 'imprint.test': '1' };
export const BUSYBOX = 'imprint-fixture/busybox:latest';
export const DEBIAN = 'imprint-fixture/debian:latest';

/** Runs `image` with `command` under the probe and writes its capture (seccomp unconfined, as learning runs are). */
export async function recordRun(image: string, command: string[], capture: string, seccompUnconfined = true): Promise<RunResult> {
  const session = await startRun({ image, command, network: await testNetwork(), seccompUnconfined }, { capture, labels: TEST_LABELS });
  const result = await session.done;
  if (!result.complete || result.status !== 'exited') throw new Error(`learning run incomplete: ${JSON.stringify(result)}`);
  return result;
}

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** The real CLI (electron/cli/main.ts through tsx), as a user or CI runs it. */
export function imprint(args: string[], cwd = REPO): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

let network: string | undefined;

/**
 * A network of the tests' own (the scenarios only use loopback; this keeps runs off Docker's default bridge,
 * which other tests on this machine may be restarting). Created once per test file, removed by removeTestNetwork.
 */
export async function testNetwork(): Promise<string> {
  if (network) return network;
  const name = `imprint-test-baseline-${process.pid}`;
  const r = await docker(['network', 'create', '--label', 'imprint.test=1', name]);
  if (r.code !== 0) throw new Error(`docker network create failed: ${r.stderr}`);
  return (network = name);
}

export async function removeTestNetwork(): Promise<void> {
  if (network) await docker(['network', 'rm', network]);
  network = undefined;
}

function docker(args: string[]): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('docker', args);
    let stdout = '', stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** `docker run` without Imprint (for policies the runtime itself must enforce), labelled and removed. */
export function dockerRun(args: string[]): Promise<CliResult> {
  return docker(['run', '--rm', '--label', 'imprint.test=1', '--network', 'none', ...args]);
}
