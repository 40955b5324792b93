/**
 * The escaping of container bytes (common/protocol/text.ts) is exactly reversible: `imprint run` prints an
 * app's output by turning its stored lines back into bytes, so any byte lost or changed here is a byte of the
 * app's output changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToText, textToBytes } from '../../common/protocol/text.js';

function roundTrip(bytes: Uint8Array, what: string): void {
  const t = bytesToText(bytes);
  assert.equal(t.cut, false, what);
  assert.deepEqual(Buffer.from(textToBytes(t.text)), Buffer.from(bytes), `${what}: ${JSON.stringify(t.text)}`);
}

test('every byte value, alone and in every pair, comes back as itself', () => {
  for (let a = 0; a < 256; a++) {
    roundTrip(Uint8Array.of(a), `byte ${a}`);
    for (let b = 0; b < 256; b++) roundTrip(Uint8Array.of(a, b), `bytes ${a} ${b}`);
  }
});

test('a UTF-8 byte order mark is kept, at the start and after an escape (a decoder drops it by default)', () => {
  roundTrip(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), 'BOM first');
  roundTrip(Uint8Array.of(0x0a, 0xef, 0xbb, 0xbf, 0x41), 'BOM after an escaped newline');
  // invisible, so shown as its bytes (below)
  assert.equal(bytesToText(Uint8Array.of(0xef, 0xbb, 0xbf)).text, '\\xef\\xbb\\xbf');
});

test('characters that reorder text or hide are escaped: a name reads as what it is, and still round-trips', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  // Trojan Source: RIGHT-TO-LEFT OVERRIDE makes /tmp/evil\u202ehsab display as /tmp/evilbash
  assert.equal(bytesToText(enc('/tmp/evil\u202ehsab')).text, '/tmp/evil\\xe2\\x80\\xaehsab');
  assert.equal(bytesToText(enc('invoice\u202efdp.exe')).text, 'invoice\\xe2\\x80\\xaefdp.exe');
  // a zero-width space makes /etc/pass\u200bwd look like /etc/passwd
  assert.equal(bytesToText(enc('/etc/pass\u200bwd')).text, '/etc/pass\\xe2\\x80\\x8bwd');
  for (const s of ['a\u2066b\u2069', 'line\u2028break', 'soft\u00adhyphen', 'tag\u{e0041}', 'arabic\u061cmark', 'x\ufeffy']) {
    assert.match(bytesToText(enc(s)).text, /\\x[0-9a-f]{2}/, JSON.stringify(s));
    roundTrip(enc(s), JSON.stringify(s));
  }
  // visible text of every script stays as it is
  for (const s of ['/srv/données/café', 'ログ', 'שלום', 'مرحبا', '👍', 'naïve — “quoted”']) assert.equal(bytesToText(enc(s)).text, s);
});

test('random byte strings come back as themselves', () => {
  // Seeded, so a failure is reproducible; biased towards what is hard: backslashes, `x`, hex digits, UTF-8
  // leads and continuations, whole sequences (the byte order mark among them), controls.
  let seed = 0x9e3779b9;
  const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  const tricky = [0x5c, 0x78, 0x30, 0x39, 0x61, 0x66, 0x46, 0xc2, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xbb, 0xbf, 0xf0, 0xf4, 0x80, 0x9f, 0xa0, 0x00, 0x0a, 0x0d, 0x1b, 0x7f, 0xff]
    .map((b) => [b]);
  tricky.push([0xef, 0xbb, 0xbf], [0xc3, 0xa9], [0xe2, 0x9c, 0x93], [0xf0, 0x9f, 0x98, 0x80], [0x5c, 0x78, 0x34, 0x31], [0xc2, 0x85]);
  for (let i = 0; i < 20_000; i++) {
    const bytes: number[] = [];
    for (let k = rand(40); k > 0; k--) bytes.push(...(rand(2) ? tricky[rand(tricky.length)]! : [rand(256)]));
    roundTrip(Uint8Array.from(bytes), `case ${i}`);
  }
  const valid = Buffer.from('naïve ✓ 😀 \\x41 \\\\ tab\there', 'utf8');
  roundTrip(valid, 'valid UTF-8 with literal backslash escapes');
});

test('a whole LOG piece (16 KiB) of the worst bytes is never cut, so it always comes back whole', () => {
  roundTrip(new Uint8Array(16_384).fill(0xff), 'all escapes');
  roundTrip(new Uint8Array(16_384).fill(0x5c), 'all backslashes');
});

test('text that bytesToText did not write reads back without inventing bytes', () => {
  // A backslash that starts no escape (only in cut or hand-written text) stays a backslash; so do bad hex digits.
  assert.deepEqual([...textToBytes('a\\')], [0x61, 0x5c]);
  assert.deepEqual([...textToBytes('\\xzz')], [0x5c, 0x78, 0x7a, 0x7a]);
  assert.deepEqual([...textToBytes('\\x4')], [0x5c, 0x78, 0x34]);
});
