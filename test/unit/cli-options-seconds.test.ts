/**
 * `--stop-timeout 0` means what `docker stop -t 0` means (kill at once) and reaches the engine as 0, not as
 * "unset"; `--duration` stays above 0. Each option's message says its own range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graceSeconds, runControlOptions, seconds } from '../../electron/cli/options.js';

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

test('--no-log-pids and --no-seccomp reach the probe as its own options', () => {
  assert.deepEqual(runControlOptions({ logPids: false }).probeArgs, ['--no-log-pids']);
  assert.deepEqual(runControlOptions({ logPids: false, seccomp: false }).probeArgs, ['--no-seccomp', '--no-log-pids']);
  assert.equal('probeArgs' in runControlOptions({ logPids: true, seccomp: true }), false);
});
