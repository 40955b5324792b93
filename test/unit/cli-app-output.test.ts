/**
 * `imprint run` prints the app's own bytes (electron/cli/app-output.ts): stored lines unescaped, PARTIAL
 * pieces joined without a newline, a last line without a newline left without one; `imprint up` adds only
 * the `service | ` prefix, once per line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { bytesToText } from '../../common/protocol/text.js';
import { AppOutput } from '../../electron/cli/app-output.js';

let seq = 0;
/** A LOG event as the decoder makes it from these bytes. */
function log(bytes: Uint8Array | string, opts: { stream?: 'stdout' | 'stderr'; partial?: boolean; service?: string } = {}): ImprintEvent {
  const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const ev: ImprintEvent = { seq: ++seq, time: 0, service: opts.service ?? 'app', container: 'c', pid: 2, tid: 2, kind: 'log',
    stream: opts.stream ?? 'stdout', line: bytesToText(raw).text };
  if (opts.partial) ev.partial = true;
  return ev;
}

test("the app's bytes exactly: controls, terminal escapes, invalid UTF-8, backslashes", () => {
  const out = new AppOutput(false);
  // What the probe sends for: printf 'a\tb\033[31mred\033[0m\r\n'; printf '\377'; printf 'no-newline'
  const r = out.take([log('a\tb\x1b[31mred\x1b[0m\r'), log('\xffno-newline', { partial: true })]);
  assert.deepEqual(r.stdout, Buffer.from('a\tb\x1b[31mred\x1b[0m\r\n\xffno-newline', 'latin1'));
  assert.equal(r.stderr.length, 0);
  assert.equal(out.isOpen('stdout'), true, 'the last line has no newline and gets none');
  const json = out.take([log('{"path":"C:\\\\x41","msg":"say \\"hi\\""}')]).stdout.toString('latin1');
  assert.equal(json, '{"path":"C:\\\\x41","msg":"say \\"hi\\""}\n', 'a JSON line reads as written; a literal \\x41 stays four characters');
});

test('a long line comes back whole: PARTIAL pieces are joined without newlines', () => {
  const line = Buffer.from(JSON.stringify({ k: 'v'.repeat(40_000) }));
  const pieces: ImprintEvent[] = [];
  for (let i = 0; i < line.length; i += 16_384) pieces.push(log(line.subarray(i, i + 16_384), { partial: true }));
  pieces.push(log(new Uint8Array(0))); // the newline after a piece that filled the bound exactly, or the line's end
  const out = new AppOutput(false).take(pieces).stdout;
  assert.deepEqual(out, Buffer.concat([line, Buffer.from('\n')]));
  assert.deepEqual(JSON.parse(out.toString()), { k: 'v'.repeat(40_000) });
});

test('a UTF-8 character cut between two pieces is whole again', () => {
  const bytes = Buffer.from('é✓😀');
  const r = new AppOutput(false).take([log(bytes.subarray(0, 1), { partial: true }), log(bytes.subarray(1, 4), { partial: true }), log(bytes.subarray(4))]);
  assert.deepEqual(r.stdout, Buffer.concat([bytes, Buffer.from('\n')]));
});

test('stdout and stderr go their own ways, each with its own open line', () => {
  const out = new AppOutput(false);
  const r = out.take([log('prompt: ', { partial: true }), log('warn', { stream: 'stderr' }), log('answer')]);
  assert.equal(r.stdout.toString(), 'prompt: answer\n');
  assert.equal(r.stderr.toString(), 'warn\n');
  assert.equal(out.isOpen('stdout'), false);
});

test("compose: one prefix per line, the line's bytes the app's, a line left open ended before another service's", () => {
  const out = new AppOutput(true);
  const r = out.take([
    log('\x1b[32mready\x1b[0m', { service: 'web' }),
    log('part one, ', { service: 'web', partial: true }),
    log('part two', { service: 'web' }),
    log('Password: ', { service: 'db', partial: true }),
    log('listening', { service: 'web' }),
    log('oops', { service: 'db', stream: 'stderr' }),
  ]);
  assert.equal(r.stdout.toString('latin1'), 'web | \x1b[32mready\x1b[0m\nweb | part one, part two\ndb | Password: \nweb | listening\n');
  assert.equal(r.stderr.toString(), 'db | oops\n');
  // Imprint ended web's open line to print a line of its own: the continuation starts a prefixed line.
  assert.equal(out.take([log('more', { service: 'web', partial: true })]).stdout.toString(), 'web | more');
  out.lineEnded('stdout');
  assert.equal(out.take([log(' end', { service: 'web' })]).stdout.toString(), 'web |  end\n');
});
