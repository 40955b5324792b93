import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Attr, FrameDecoder, FrameStreamBuilder, FrameType, concatBytes, encodeFrame, type DecodedRecord, type Frame,
} from '../../common/protocol/index.js';

const frames = (records: DecodedRecord[]): Frame[] => records.flatMap((r) => (r.kind === 'frame' ? [r.frame] : []));
const errors = (records: DecodedRecord[]) => records.flatMap((r) => (r.kind === 'error' ? [r.error] : []));

function sampleStream(n: number): Uint8Array {
  const b = new FrameStreamBuilder();
  for (let i = 0; i < n; i++) b.frame(FrameType.OPEN, 10 + i, [[Attr.PATH, `/etc/file-${i}`], [Attr.ACCESS, 1], [Attr.RESULT, 3]]);
  return b.end(0);
}

test('decodes a whole stream pushed at once', () => {
  const d = new FrameDecoder();
  const out = [...d.push(sampleStream(5)), ...d.finish()];
  assert.deepEqual(errors(out), []);
  const f = frames(out);
  assert.deepEqual(f.map((x) => x.type), [FrameType.HELLO, 5, 5, 5, 5, 5, FrameType.END]);
  assert.deepEqual(f.map((x) => x.seq), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(f[1]!.pid, 10);
  assert.equal(new TextDecoder().decode(f[1]!.attrs[0]!.value as Uint8Array), '/etc/file-0');
  assert.equal(d.stats.sawHello, true);
  assert.equal(d.stats.sawEnd, true);
  assert.equal(d.stats.missing, 0);
});

test('chunk boundaries anywhere give the same frames (1-byte, 7-byte and random chunks)', () => {
  const bytes = sampleStream(40);
  const whole = frames(new FrameDecoder().push(bytes));
  for (const size of [1, 3, 7, 31, 32, 33, 1000]) {
    const d = new FrameDecoder();
    const got: DecodedRecord[] = [];
    for (let i = 0; i < bytes.length; i += size) got.push(...d.push(bytes.subarray(i, i + size)));
    got.push(...d.finish());
    assert.deepEqual(errors(got), [], `chunk size ${size}`);
    assert.deepEqual(frames(got).map((f) => [f.seq, f.type, f.pid]), whole.map((f) => [f.seq, f.type, f.pid]), `chunk size ${size}`);
  }
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const d = new FrameDecoder();
  const got: DecodedRecord[] = [];
  for (let i = 0; i < bytes.length;) { const n = 1 + Math.floor(rnd() * 200); got.push(...d.push(bytes.slice(i, i + n))); i += n; }
  assert.equal(frames(got).length, whole.length);
});

test('a stream that does not start with HELLO is reported once and passed on as raw bytes', () => {
  const d = new FrameDecoder();
  const text = new TextEncoder().encode('exec /.imprint/probe: no such file or directory\n');
  const out = [...d.push(text), ...d.finish()];
  assert.equal(errors(out)[0]!.code, 'no-hello');
  const raw = out.flatMap((r) => (r.kind === 'raw' ? [r.bytes] : []));
  assert.equal(new TextDecoder().decode(concatBytes(raw)), 'exec /.imprint/probe: no such file or directory\n');
  assert.equal(d.stats.raw, true);
});

test('a well-formed first frame that is not HELLO, or HELLO without the magic, is not a probe stream', () => {
  const notHello = encodeFrame({ type: FrameType.OPEN, seq: 1, attrs: [[Attr.PATH, '/x']] });
  assert.equal(errors(new FrameDecoder().push(notHello))[0]!.code, 'no-hello');
  const badMagic = encodeFrame({ type: FrameType.HELLO, seq: 1, attrs: [[Attr.MAGIC, 'IMPRINT2'], [Attr.VERSION, 1]] });
  assert.equal(errors(new FrameDecoder().push(badMagic))[0]!.code, 'no-hello');
});

test('a HELLO with another protocol version is reported', () => {
  const hello = encodeFrame({ type: FrameType.HELLO, seq: 1, attrs: [[Attr.MAGIC, 'IMPRINT1'], [Attr.VERSION, 2]] });
  const out = new FrameDecoder().push(hello);
  assert.equal(errors(out)[0]!.code, 'bad-version');
  assert.equal(frames(out).length, 1);
});

test('a stream cut inside a frame keeps every complete frame and reports the cut', () => {
  const bytes = sampleStream(3);
  const d = new FrameDecoder();
  const out = [...d.push(bytes.subarray(0, bytes.length - 10)), ...d.finish()];
  assert.equal(frames(out).length, 4); // HELLO + 3 opens; END was cut
  assert.deepEqual(errors(out).map((e) => e.code), ['truncated']);
  assert.equal(d.stats.sawEnd, false);
});

test('a huge length field is an error, the decoder resynchronises on the next frame and counts the loss', () => {
  const b = new FrameStreamBuilder();
  b.frame(FrameType.OPEN, 1, [[Attr.PATH, '/a']]);
  const head = b.bytes();
  const corrupt = encodeFrame({ type: FrameType.OPEN, seq: 3, attrs: [[Attr.PATH, '/b']] });
  new DataView(corrupt.buffer).setUint32(0, 0xffffff00, true);
  const tail = concatBytes([
    encodeFrame({ type: FrameType.OPEN, seq: 4, attrs: [[Attr.PATH, '/c']] }),
    encodeFrame({ type: FrameType.END, seq: 5, attrs: [[Attr.CODE, 0]] }),
  ]);
  const d = new FrameDecoder();
  const all = concatBytes([head, corrupt, tail]);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < all.length; i += 5) out.push(...d.push(all.subarray(i, i + 5)));
  out.push(...d.finish());
  assert.deepEqual(frames(out).map((f) => f.seq), [1, 2, 4, 5]);
  assert.deepEqual(errors(out).map((e) => e.code), ['bad-length', 'seq-gap']);
  assert.equal(d.stats.missing, 1);
  assert.equal(d.stats.sawEnd, true);
});

test('an attribute running past its frame skips only that frame', () => {
  const bad = encodeFrame({ type: FrameType.OPEN, seq: 2, attrs: [[Attr.PATH, '/abc']] });
  new DataView(bad.buffer).setUint16(32 + 2, 500, true); // PATH claims 500 bytes
  const badInt = encodeFrame({ type: FrameType.EXIT, seq: 3, attrs: [[Attr.CODE, 1]] });
  new DataView(badInt.buffer).setUint16(32 + 2, 4, true); // integer with 4 bytes: runs short, stray bytes
  const good = encodeFrame({ type: FrameType.OPEN, seq: 4, attrs: [[Attr.PATH, '/ok']] });
  const hello = new FrameStreamBuilder().bytes();
  const out = new FrameDecoder().push(concatBytes([hello, bad, badInt, good]));
  assert.deepEqual(frames(out).map((f) => f.seq), [1, 4]);
  assert.deepEqual(errors(out).map((e) => [e.code, e.seq]), [['bad-attribute', 2], ['bad-attribute', 3]]);
});

test('seq gaps and repeats are reported with their size', () => {
  const hello = new FrameStreamBuilder().bytes();
  const out = new FrameDecoder().push(concatBytes([
    hello,
    encodeFrame({ type: FrameType.LOG, seq: 5 }),
    encodeFrame({ type: FrameType.LOG, seq: 5 }),
  ]));
  assert.deepEqual(errors(out).map((e) => [e.code, e.count]), [['seq-gap', 3], ['seq-gap', 0]]);
});

test('bytes after END are reported once and ignored', () => {
  const d = new FrameDecoder();
  const out = [...d.push(sampleStream(1)), ...d.push(new Uint8Array(100)), ...d.push(new Uint8Array(100))];
  assert.deepEqual(errors(out).map((e) => [e.code, e.count]), [['trailing-data', 100]]);
  assert.equal(d.stats.skipped, 200);
});

test('garbage never throws and memory stays bounded', () => {
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const hello = new FrameStreamBuilder().bytes();
  for (let round = 0; round < 50; round++) {
    const d = new FrameDecoder();
    d.push(hello);
    for (let k = 0; k < 20; k++) {
      const junk = new Uint8Array(1 + Math.floor(rnd() * 3000));
      for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rnd() * 256);
      // Sprinkle plausible lengths so the decoder also sees "valid" headers with junk attributes.
      if (junk.length > 8) new DataView(junk.buffer).setUint32(0, 28 + Math.floor(rnd() * 100), true);
      d.push(junk);
      assert.ok((d as unknown as { pending: Uint8Array }).pending.length <= 65_536);
    }
    d.finish();
  }
});
