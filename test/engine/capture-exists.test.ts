/** A capture is the evidence a baseline is learned from: a run never replaces one silently (F7). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun, EngineError } from '../../electron/engine/index.js';
import { BUSYBOX, TEST_LABELS } from './helpers.js';

test('a run refuses an existing capture file before creating anything, and replaces it when asked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-exists-'));
  try {
    const capture = join(dir, 'evidence.imprint');
    await writeFile(capture, 'precious\n');
    await assert.rejects(startRun({ image: BUSYBOX, command: ['true'] }, { capture, labels: TEST_LABELS }),
      (err: unknown) => err instanceof EngineError && err.code === 'capture-exists' && /--force/.test(err.message));
    assert.equal(await readFile(capture, 'utf8'), 'precious\n');
    const session = await startRun({ image: BUSYBOX, command: ['true'] }, { capture, labels: TEST_LABELS, overwriteCapture: true });
    const result = await session.done;
    assert.equal(result.exitCode, 0);
    assert.match(await readFile(capture, 'utf8'), /imprint-capture/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
