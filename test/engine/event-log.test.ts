import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { EventLog } from '../../electron/engine/event-log.js';

const ev = (seq: number): ImprintEvent => ({ seq, time: seq, service: 's', container: 'c', pid: 1, tid: 1, kind: 'log', stream: 'stdout', line: `line ${seq}\nwith a newline` });

test('the event log returns events by offset across chunk boundaries, and pages with next', () => {
  const log = new EventLog(1_000_000);
  for (let i = 0; i < 3000; i++) log.push(JSON.stringify(ev(i)));
  assert.equal(log.length, 3000);
  const page = log.slice(1000, 100);
  assert.deepEqual(page.events.map((e) => e.seq), Array.from({ length: 100 }, (_, k) => 1000 + k));
  assert.equal(page.next, 1100);
  const across = log.slice(1020, 10).events.map((e) => e.seq);
  assert.deepEqual(across, [1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029]);
  const tail = log.slice(2990, 50);
  assert.equal(tail.events.length, 10);
  assert.equal(tail.next, undefined);
  assert.equal(tail.events[0]!.kind === 'log' && tail.events[0]!.line, 'line 2990\nwith a newline');
});

test('beyond its bound the oldest chunks are dropped and offsets stay stable', () => {
  const log = new EventLog(2048);
  for (let i = 0; i < 10_000; i++) log.push(JSON.stringify(ev(i)));
  assert.equal(log.length, 10_000);
  assert.ok(log.oldest > 0 && log.length - log.oldest <= 2048 + 2 * 1024);
  const first = log.slice(0, 5);
  assert.equal(first.events[0]!.seq, log.oldest);
  assert.equal(log.slice(9999, 5).events[0]!.seq, 9999);
});
