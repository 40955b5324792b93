/** The push hub batches events per run, keeps order (events before the state that ends a run) and queues until ready. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushHub } from '../../electron/server/push-hub.js';
import type { ImprintEvent } from '../../common/events.js';

const ev = (seq: number): ImprintEvent => ({ kind: 'exit', seq, time: 1000 + seq, service: 's', container: 'c', pid: 1, tid: 1, code: 0 });

test('events are coalesced into one message per flush and queued until the page is ready', () => {
  const hub = new PushHub(1_000_000);
  const got: Array<[string, unknown]> = [];
  const sub = hub.add({ send: (c, p) => { got.push([c, p]); return true; } });
  for (let i = 1; i <= 500; i++) hub.events('run1', [ev(i)]);
  hub.push('run.state', { runId: 'run1', label: 'x', status: 'exited', services: [], events: 500, dropped: 0 });
  hub.flush();
  assert.equal(got.length, 0, 'nothing before ready');
  hub.ready(sub);
  assert.deepEqual(got.map(([c]) => c), ['run.events', 'run.state']);
  assert.equal((got[0]![1] as { events: unknown[] }).events.length, 500);
  hub.events('run1', [ev(501), ev(502)]);
  hub.flush();
  assert.equal(got.length, 3);
});

test('a page whose sink fails is forgotten', () => {
  const hub = new PushHub(1_000_000);
  const sub = hub.add({ send: () => false });
  hub.ready(sub);
  hub.events('r', [ev(1)]);
  hub.flush();
  assert.equal(hub.size, 0);
});
