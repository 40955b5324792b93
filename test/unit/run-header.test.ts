/** The run header's figures: over the whole log, or, in a replay, up to the playhead as the panels cut it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { CATEGORIES, EventLog } from '../../renderer/src/model/event-log.js';
import { countByCategory } from '../../renderer/src/panels/RunHeader.js';

const base = (time: number) => ({ seq: time, time, service: 'web', container: 'c', pid: 1, tid: 1 });
const open = (time: number, path: string): ImprintEvent => ({ ...base(time), kind: 'open', path, access: ['read'], result: 3 });

test('header counts: the whole log, or up to a replay playhead', () => {
  const log = new EventLog();
  log.append([{ ...base(10), kind: 'fork', child: 2, clone: 'fork' }, open(20, '/etc/hosts'), open(30, '/etc/passwd'), { ...base(40), kind: 'fork', child: 3, clone: 'fork' }]);
  const sum = (c: number[]) => c.reduce((a, b) => a + b, 0);
  assert.equal(sum(countByCategory(log)), 4);
  assert.equal(sum(countByCategory(log, 20)), 2);
  assert.equal(countByCategory(log, 30)[CATEGORIES.indexOf('file')], 2);
  assert.equal(sum(countByCategory(log, 5)), 0);
});

test('lane labels read as the other panels do: a program named with a backslash shows one', async () => {
  const log = new EventLog();
  log.append([{ ...base(1), kind: 'exec', path: '/opt/a\\\\b', argv: ['/opt/a\\\\b'], argc: 1, cwd: '/', uid: 0, gid: 0, result: 0 }]);
  assert.equal(log.laneList.find((l) => l.pid === 1)?.label, 'a\\b · 1');
});
