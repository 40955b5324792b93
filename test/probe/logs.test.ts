/** Application output: line by line, bounded, partial lines flushed and flagged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertComplete, ofKind, runProbed } from './probe-harness.js';

test('long lines are cut at 16 KiB and flagged partial; a line without newline is flushed as partial', async () => {
  const run = await runProbed({
    cmd: ['/bin/sh', '-c', 'head -c 40000 /dev/zero | tr "\\0" a; echo; echo err >&2; printf "tail-without-newline"; sleep 0.5; echo " next"'],
  });
  assertComplete(run);
  const out = ofKind(run, 'log').filter((l) => l.stream === 'stdout');
  assert.deepEqual(out.slice(0, 3).map((l) => [l.line.length, l.partial ?? false]), [[16384, true], [16384, true], [40000 - 32768, false]]);
  assert.ok(out.slice(0, 3).every((l) => /^a+$/.test(l.line)));
  const tail = out.find((l) => l.line === 'tail-without-newline');
  assert.equal(tail?.partial, true, 'flushed after ~100 ms without a newline');
  assert.equal(out.at(-1)?.line, ' next');
  assert.deepEqual(ofKind(run, 'log').filter((l) => l.stream === 'stderr').map((l) => l.line), ['err']);
  for (const l of ofKind(run, 'log')) assert.equal(l.pid, 0, 'writer unknown: pipes carry no pid');
});
