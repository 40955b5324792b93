/** A capture Imprint writes can always be read back, however long the command line or environment (F2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundHeaderList, HEADER_LIST_BOUNDS } from '../../common/capture.js';
import { startRun } from '../../electron/engine/index.js';
import { replayCapture } from '../../electron/capture/reader.js';
import { BUSYBOX, TEST_LABELS } from './helpers.js';

test('header lists are cut with a visible marker, within the reader\'s bounds', () => {
  const many = Array.from({ length: 1500 }, (_, i) => `arg${i}-${'y'.repeat(50)}`);
  const kept = boundHeaderList(many);
  assert.ok(kept.length <= HEADER_LIST_BOUNDS.maxItems);
  assert.match(kept.at(-1)!, /more not recorded/);
  assert.equal(kept[0], many[0]);
  const huge = boundHeaderList([`BIG=${'x'.repeat(80_000)}`]);
  assert.ok(huge[0]!.length < 5000);
  assert.match(huge[0]!, /more characters not recorded/);
  assert.deepEqual(boundHeaderList(['a', 'b']), ['a', 'b']);
});

test('a run with 1,500 arguments and an 80,000-character env value writes a capture that reads back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-bounds-'));
  try {
    const capture = join(dir, 'argv.imprint');
    const args = Array.from({ length: 1500 }, (_, i) => `arg${i}-${'y'.repeat(50)}`);
    const session = await startRun(
      { image: BUSYBOX, command: ['sh', '-c', 'echo $#', 'sh', ...args], env: [`BIG=${'x'.repeat(80_000)}`] },
      { capture, labels: TEST_LABELS },
    );
    const result = await session.done;
    assert.equal(result.exitCode, 0);
    const replay = await replayCapture(result.capture ?? capture, { keepEvents: true });
    assert.ok(replay.summary.header, 'the header parses');
    assert.ok(replay.events.some((e) => e.kind === 'log' && e.line === '1500'), 'the app saw every argument');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
