/**
 * A check cancelled before its run ended (Ctrl-C, a CI job's timeout) saw only part of the behaviour: it is
 * inconclusive (exit 3), never "clean". The real CLI, the real engine, the real probe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { REPO, BUSYBOX } from './harness.js';

test('a check cancelled by SIGTERM while its run is going is inconclusive, not clean', async () => {
  const baseline = `${REPO}/test/fixtures/captures/busybox.baseline.yaml`;
  const child = spawn(process.execPath, [
    '--import', 'tsx', `${REPO}/electron/cli/main.ts`, 'check', '--image', BUSYBOX, '--name', 'busybox',
    '--label', 'imprint.test=1', '--label', `imprint.cancel=${process.pid}`, '--baseline', baseline, '--format', 'json', '--', 'sh', '-c', 'echo started; sleep 600',
  ], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '', stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  // Cancel once the run is really going: its container is running.
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const running = execFileSync('docker', ['ps', '-q', '--filter', `label=imprint.cancel=${process.pid}`]).toString().trim();
      if (running) { clearInterval(poll); setTimeout(resolve, 1000); }
    }, 200);
    child.on('close', () => { clearInterval(poll); reject(new Error(`check ended before it was cancelled: ${stderr}`)); });
  });
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 3, `exit code (stderr: ${stderr})`);
  assert.match(stdout + stderr, /cancelled by SIGTERM/);
});
