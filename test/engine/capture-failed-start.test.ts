/**
 * A run whose containers never started recorded nothing: it leaves no capture, so fixing the mistake and
 * retrying with the same --capture works without --force. A run that started and then failed keeps its
 * capture: nothing recorded is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError, startCompose, startRun } from '../../electron/engine/index.js';
import { BUSYBOX, TEST_LABELS } from './helpers.js';

test('a run that fails before any container starts leaves no capture, and the retry may use the same path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-failed-start-'));
  try {
    const capture = join(dir, 'w1.imprint');
    // Docker rejects one-character container names at create.
    await assert.rejects(startRun({ image: BUSYBOX, command: ['true'], name: 'w' }, { capture, labels: TEST_LABELS }),
      (err: unknown) => err instanceof EngineError && err.code === 'create-failed');
    assert.equal(existsSync(capture) || existsSync(`${capture}.partial`), false, 'no capture file is left');
    // A missing network is named, with the fix, and leaves nothing either.
    await assert.rejects(startRun({ image: BUSYBOX, command: ['true'], network: 'imprint-test-nonet' }, { capture, labels: TEST_LABELS }),
      (err: unknown) => err instanceof EngineError && /network 'imprint-test-nonet' does not exist\n {2}fix: create it: docker network create imprint-test-nonet, or leave out --network/.test(err.message));
    assert.equal(existsSync(capture) || existsSync(`${capture}.partial`), false, 'no capture file is left');
    const session = await startRun({ image: BUSYBOX, command: ['true'], name: 'ww' }, { capture, labels: TEST_LABELS });
    assert.equal((await session.done).exitCode, 0);
    assert.match(await readFile(capture, 'utf8'), /imprint-capture/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a run that started and then failed keeps its capture', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-failed-later-'));
  try {
    const file = join(dir, 'pair.yaml');
    const capture = join(dir, 'pair.imprint');
    // `first` starts and runs; `second` is refused at create (a one-character name), failing the run.
    await writeFile(file, [
      'services:',
      '  first: { image: imprint-fixture/busybox:latest, command: ["sleep", "600"] }',
      '  second: { image: imprint-fixture/busybox:latest, container_name: "x", depends_on: [first], command: ["true"] }',
    ].join('\n'));
    await assert.rejects(startCompose({ file }, { capture, labels: TEST_LABELS }), (err: unknown) => err instanceof EngineError && err.code === 'create-failed');
    const text = await readFile(capture, 'utf8');
    assert.match(text, /"record":"container","time":\d+,"service":"first"/);
    assert.match(text, /"record":"end".*"interrupted"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
