/** When `imprint run/up --duration` exits 0 although the app's code is 143: only for a stop that went as asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endedOnSchedule } from '../../electron/cli/live-output.js';
import type { RunResult } from '../../electron/engine/index.js';

const result = (over: Partial<RunResult>, codes: (number | undefined)[]): RunResult => ({
  runId: 'r', status: 'exited', complete: true, problems: [], events: 10, dropped: 0, startedAt: 0, endedAt: 1,
  services: codes.map((c, i) => ({ service: `s${i}`, container: `c${i}`, complete: true, missing: 0, stopped: true, ...(c !== undefined ? { exitCode: c } : {}) })),
  stoppedBy: 'duration', ...over,
});

test('ended on schedule: every service stopped by its stop signal or exited 0, and nothing was lost', () => {
  assert.equal(endedOnSchedule(result({}, [143])), true);
  assert.equal(endedOnSchedule(result({}, [143, 0, 130, 131, 138])), true, 'compose: SIGTERM, clean, SIGINT, SIGQUIT and SIGUSR1 stop signals');
  const early = result({}, [143, 143]);
  early.services[1]!.stopped = false;
  assert.equal(endedOnSchedule(early), false, 'a service that died on SIGTERM before the stop was sent failed');
  assert.equal(endedOnSchedule(result({}, [3])), false, 'the app failed on its own');
  assert.equal(endedOnSchedule(result({}, [137])), false, 'killed after the grace period');
  assert.equal(endedOnSchedule(result({ complete: false }, [143])), false, 'an incomplete capture keeps its code');
  assert.equal(endedOnSchedule(result({ stoppedBy: 'request' }, [143])), false, 'Ctrl-C keeps the code');
  assert.equal(endedOnSchedule(result({ stoppedBy: undefined }, [143])), false, 'the app ended on its own');
  assert.equal(endedOnSchedule(result({ status: 'failed' }, [143])), false);
  assert.equal(endedOnSchedule(result({}, [undefined])), false);
});
