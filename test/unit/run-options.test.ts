/**
 * Run options as they reach the engine and the probe: `--stop-timeout 0` means what `docker stop -t 0`
 * means (kill at once), not "unset"; `--duration` stays above 0, each message says its own range; the
 * tracing choices (--no-seccomp, --no-log-pids, --seccomp-unconfined) are config fields, from the CLI or the app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graceSeconds, runControlOptions, seconds, tracingOptions } from '../../electron/cli/options.js';

test('--stop-timeout takes whole seconds from 0; --duration more than 0', () => {
  assert.equal(graceSeconds('0'), 0);
  assert.equal(graceSeconds('30'), 30);
  // The engine refuses `stop?t=2.5`: the container would not be stopped at all.
  for (const bad of ['-1', '2.5', '', 'x', '86401']) assert.throws(() => graceSeconds(bad), /expected a whole number of seconds from 0 \(kill at once\) to 86400/);
  assert.equal(seconds('0.5'), 0.5);
  for (const bad of ['0', '-1', '', 'x', '86401']) assert.throws(() => seconds(bad), /expected a number of seconds greater than 0 and at most 86400/);
});

test('a stop timeout of 0 reaches the engine as 0, and none leaves the engine its default', () => {
  assert.equal(runControlOptions({ stopTimeout: 0 }).stopGraceSeconds, 0);
  assert.equal(runControlOptions({ stopTimeout: 5 }).stopGraceSeconds, 5);
  assert.equal('stopGraceSeconds' in runControlOptions({}), false);
});

test('--no-log-pids, --no-seccomp and --seccomp-unconfined become the run config\'s tracing fields', () => {
  assert.deepEqual(tracingOptions({ logPids: false }), { logPids: false });
  assert.deepEqual(tracingOptions({ logPids: false, seccomp: false, seccompUnconfined: true }), { logPids: false, seccomp: false, seccompUnconfined: true });
  assert.deepEqual(tracingOptions({ logPids: true, seccomp: true }), {});
  assert.equal('probeArgs' in runControlOptions({ logPids: false, seccomp: false }), false);
});

test('tracing fields reach the probe as its own options, from the CLI and the app alike', async () => {
  const { probeArgsFor } = await import('../../electron/engine/session.js');
  const { runConfigSchema, composeConfigSchema } = await import('../../common/api.js');
  assert.deepEqual(probeArgsFor(runConfigSchema.parse({ image: 'x', logPids: false })), ['--no-log-pids']);
  assert.deepEqual(probeArgsFor(runConfigSchema.parse({ image: 'x', seccomp: false, logPids: false })), ['--no-seccomp', '--no-log-pids']);
  assert.deepEqual(probeArgsFor(composeConfigSchema.parse({ file: 'c.yaml', seccomp: false })), ['--no-seccomp']);
  assert.deepEqual(probeArgsFor(runConfigSchema.parse({ image: 'x', logPids: true, seccomp: true, seccompUnconfined: true })), []);
  assert.throws(() => runConfigSchema.parse({ image: 'x', seccomp: 'no' }));
});

test("the app's port mappings are docker's -p forms, a loopback-only one included", async () => {
  const { runConfigSchema } = await import('../../common/api.js');
  const { parsePorts } = await import('../../electron/engine/run.js');
  for (const p of ['80', '8080:80', '127.0.0.1:8080:80', '127.0.0.1::80', '[::1]:8080:80', '53:53/udp']) {
    assert.ok(runConfigSchema.safeParse({ image: 'x', ports: [p] }).success, p);
    assert.doesNotThrow(() => parsePorts([p]), p);
  }
  const bad = runConfigSchema.safeParse({ image: 'x', ports: ['localhost:80'] });
  assert.ok(!bad.success);
  assert.match(bad.error.issues[0]!.message, /\[IP:\]\[HOST:\]CONTAINER\[\/tcp\|udp\], e\.g\. 127\.0\.0\.1:8080:80/);
});
