import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureParser, maskEnv, parseCaptureLine, type CaptureHeader } from '../../common/capture.js';
import type { ImprintEvent } from '../../common/events.js';

const header: CaptureHeader = {
  format: 'imprint-capture', version: 1, eventSchema: 1, imprint: '0.1.0', runId: 'r1', mode: 'image', startedAt: 1,
  services: [{ service: 'app', image: 'imprint-fixture/busybox:latest', config: { cmd: ['true'] } }],
};
const ev: ImprintEvent = { seq: 2, time: 2, service: 'app', container: 'c', pid: 1, tid: 1, kind: 'exit', code: 0 };
const end = { record: 'end', time: 3, complete: true, problems: [], events: 1, missing: 0, decodeErrors: 0, exitCode: 0 };

test('a capture parses in any chunking, with header, events, records and end', () => {
  const text = [JSON.stringify(header), JSON.stringify(ev), JSON.stringify(end), ''].join('\n');
  for (const size of [1, 5, 1000]) {
    const events: ImprintEvent[] = [];
    const p = new CaptureParser({ onEvent: (e) => events.push(e) });
    for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
    const s = p.finish();
    assert.equal(s.header?.runId, 'r1');
    assert.deepEqual(events, [ev]);
    assert.equal(s.complete, true, s.incompleteBecause.join());
  }
});

test('a capture cut mid-line (a crash) reads up to the last whole line and says it is incomplete', () => {
  const text = [JSON.stringify(header), JSON.stringify(ev), JSON.stringify(ev).slice(0, 20)].join('\n');
  const p = new CaptureParser();
  p.push(text);
  const s = p.finish();
  assert.equal(s.events, 1);
  assert.equal(s.invalid, 1);
  assert.equal(s.complete, false);
  assert.match(s.incompleteBecause.join('\n'), /cut short/);
});

test('hostile lines are counted, never fatal', () => {
  assert.equal(parseCaptureLine('{"format":"other"}', 1).type, 'invalid');
  assert.equal(parseCaptureLine(JSON.stringify({ ...header, version: 99 }), 1).type, 'invalid');
  assert.equal(parseCaptureLine('x'.repeat(2_000_000), 2).type, 'invalid');
  assert.equal(parseCaptureLine('{"kind":"exec"}', 2).type, 'invalid');
  assert.equal(parseCaptureLine('{"record":"nope"}', 2).type, 'invalid');
  assert.equal(parseCaptureLine('[1,2', 2).type, 'invalid');
  assert.equal(parseCaptureLine(JSON.stringify(ev), 2).type, 'event');
});

test('an end record that reports problems makes the capture incomplete, with reasons', () => {
  const p = new CaptureParser();
  p.push([JSON.stringify(header), JSON.stringify({ ...end, complete: false, problems: ['stream-broke', 'seq-gaps'], missing: 3 })].join('\n'));
  const s = p.finish();
  assert.equal(s.complete, false);
  assert.deepEqual(s.incompleteBecause, ['a probe stream ended without its END frame', 'events were lost (sequence gaps)']);
});

test('secret-looking env values are masked', () => {
  assert.deepEqual(maskEnv(['PATH=/bin', 'DB_PASSWORD=x', 'API_TOKEN=y', 'HOME=/root', 'NOEQ']), ['PATH=/bin', 'DB_PASSWORD=***', 'API_TOKEN=***', 'HOME=/root', 'NOEQ']);
});
