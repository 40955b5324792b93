import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachDemuxer } from '../../electron/engine/demux.js';

function frame(stream: number, payload: string): Buffer {
  const body = Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

test("docker's multiplexed stream is split into stdout and stderr at any chunk boundary", () => {
  const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world'), frame(1, ''), frame(2, '!')]);
  for (const size of [1, 2, 7, 8, 9, 100]) {
    const out = { stdout: '', stderr: '' };
    const d = new AttachDemuxer((s, b) => { out[s] += Buffer.from(b).toString(); });
    for (let i = 0; i < all.length; i += size) d.push(all.subarray(i, i + size));
    assert.deepEqual(out, { stdout: 'hello world', stderr: 'oops!' }, `chunk ${size}`);
    assert.equal(d.pending, 0);
  }
});

test('a stream cut inside a payload leaves pending bytes (the engine reports the stream as cut)', () => {
  const d = new AttachDemuxer(() => undefined);
  d.push(frame(1, 'abcdef').subarray(0, 10));
  assert.equal(d.pending, 4);
  const e = new AttachDemuxer(() => undefined);
  e.push(frame(1, 'x').subarray(0, 5));
  assert.equal(e.pending, 5);
});

test('a large payload is passed on in pieces without being buffered whole', () => {
  const big = 'x'.repeat(1_000_000);
  const pieces: number[] = [];
  const d = new AttachDemuxer((_s, b) => pieces.push(b.length));
  const f = frame(1, big);
  for (let i = 0; i < f.length; i += 65536) d.push(f.subarray(i, i + 65536));
  assert.equal(pieces.reduce((a, b) => a + b, 0), 1_000_000);
  assert.ok(pieces.length > 10);
});
