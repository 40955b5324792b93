/** PID-1 duties: docker stop ends the app through the forwarded SIGTERM, well inside the grace period. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBIAN, assertComplete, docker, logLines, ofKind, runProbed, startProbed } from './probe-harness.js';

test('docker stop: SIGTERM is forwarded, the app ends, the container exits 143 without SIGKILL', async () => {
  const h = await startProbed({ cmd: ['/bin/sleep', '300'] });
  try {
    await h.waitFor((e) => e.kind === 'exec' && e.path === '/bin/sleep');
    // with a 10 s grace, exit code 137 would mean dockerd had to SIGKILL
    docker(['stop', '-t', '10', h.id]);
    const run = await h.done;
    assertComplete(run);
    assert.equal(run.exitCode, 143);
    assert.equal(run.end?.code, 143);
    assert.equal(ofKind(run, 'exit').at(-1)?.signal, 15);
    assert.ok(ofKind(run, 'notice').some((n) => n.code === 'signal-forwarded' && /Terminated/.test(n.message)));
  } finally {
    h.remove();
  }
});

test('stdin is passed through to the app', async () => {
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', 'read line; echo "got:$line"; cat | wc -l'], stdin: 'first line\nsecond\nthird\n' });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['got:first line', '2']);
  assert.equal(run.exitCode, 0);
});

test('signals arriving while a call waits for the probe do not make it fail with EINTR', async () => {
  // a sibling sends SIGUSR1 (handler without SA_RESTART) as fast as it can while the process opens a
  // regular file and calls kill(): neither may ever fail with EINTR, as without the probe
  const run = await runProbed({ cmd: ['/opt/fixture/signal-storm'] });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['eintr 0 signals 1']);
});
