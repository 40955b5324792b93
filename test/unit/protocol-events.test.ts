import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSchema, type ImprintEvent } from '../../common/events.js';
import {
  Attr, FLAG_TRUNCATED, FrameDecoder, FrameStreamBuilder, FrameType, ProbeStream, bytesToText, encodeFrame,
  readableText, textToBytes, toEvent, type Frame,
} from '../../common/protocol/index.js';

const clock = { wallMs: (ns: number) => ns / 1e6 };
const ctx = { service: 'web', container: 'c1', clock };

function one(type: number, attrs: [number, number | string | Uint8Array][], flags = 0): ImprintEvent | undefined {
  const d = new FrameDecoder();
  d.push(new FrameStreamBuilder().bytes());
  const rec = d.push(encodeFrame({ type, seq: 2, timeNs: 5_000_000, pid: 7, tid: 8, flags, attrs }));
  const frame = rec.find((r) => r.kind === 'frame') as { frame: Frame } | undefined;
  assert.ok(frame, 'frame decoded');
  const ev = toEvent(frame.frame, ctx);
  if (ev) assert.deepEqual(eventSchema.parse(ev), ev, 'passes the schema unchanged');
  return ev;
}

test('text: UTF-8 kept, invalid bytes and controls escaped, backslash doubled, reversible', () => {
  const cases: [number[], string][] = [
    [[...Buffer.from('/etc/hosts')], '/etc/hosts'],
    [[...Buffer.from('café ✓ 😀')], 'café ✓ 😀'],
    [[0x2f, 0xff, 0x61], '/\\xffa'],
    [[0x61, 0x0a, 0x1b, 0x5b, 0x09], 'a\\x0a\\x1b[\\x09'],
    [[0x5c, 0x78, 0x34, 0x31], '\\\\x41'],
    [[0xc3], '\\xc3'], // truncated 2-byte sequence
    [[0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'], // UTF-16 surrogate
    [[0xc0, 0xaf], '\\xc0\\xaf'], // overlong '/'
    [[0xc2, 0x85], '\\xc2\\x85'], // C1 control NEL
    [[0x7f], '\\x7f'],
  ];
  for (const [bytes, text] of cases) {
    assert.equal(bytesToText(Uint8Array.from(bytes)).text, text);
    assert.deepEqual([...textToBytes(text)], bytes);
  }
});

test('readable text: a JSON log line reads as written, tabs are tabs, other controls stay escaped', () => {
  const t = (s: string) => readableText(bytesToText(new TextEncoder().encode(s)).text);
  assert.equal(t('{"msg":"say \\"hi\\"","path":"C:\\\\x"}'), '{"msg":"say \\"hi\\"","path":"C:\\\\x"}');
  assert.equal(t('Uid:\t0\t0'), 'Uid:\t0\t0');
  assert.equal(t('\x1b[31mred\r'), '\\x1b[31mred\\x0d', 'no terminal escape, no carriage return');
  assert.equal(t('literal \\x09'), 'literal \\x09', 'an escaped backslash before x09 is a backslash, not a tab');
});

test('text is bounded: a 64 KiB attribute of escapes is cut and says so', () => {
  const t = bytesToText(new Uint8Array(60_000).fill(0xff));
  assert.equal(t.cut, true);
  assert.ok(t.text.length <= 65_536);
});

test('exec with argv, cwd, ids, and an escaped argument', () => {
  const ev = one(FrameType.EXEC, [[Attr.PATH, '/bin/sh'], [Attr.ARGV, 'sh'], [Attr.ARGV, '-c'], [Attr.ARGV, Uint8Array.of(0x65, 0xff)],
    [Attr.ARGC, 3], [Attr.CWD, '/'], [Attr.UID, 0], [Attr.GID, 0], [Attr.RESULT, 0]]);
  assert.deepEqual(ev, { seq: 2, time: 5, service: 'web', container: 'c1', pid: 7, tid: 8, kind: 'exec', path: '/bin/sh',
    argv: ['sh', '-c', 'e\\xff'], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 });
});

test('open: ACCESS bitmask becomes the access list; TRUNCATED flag carried', () => {
  const ev = one(FrameType.OPEN, [[Attr.PATH, '/tmp/x'], [Attr.ACCESS, 2 | 4 | 8 | 64], [Attr.MODEBITS, 0o644], [Attr.RESULT, 3]], FLAG_TRUNCATED);
  assert.equal(ev?.kind, 'open');
  assert.deepEqual(ev.kind === 'open' && ev.access, ['write', 'create', 'truncate', 'exclusive']);
  assert.equal(ev.truncated, true);
  assert.equal(ev.kind === 'open' && ev.mode, 0o644);
});

test('file operations map OP to the kind; an unknown OP is kept as unknown', () => {
  const ev = one(FrameType.FILE, [[Attr.OP, 'rename'], [Attr.PATH, '/a'], [Attr.PATH2, '/b'], [Attr.RESULT, 0]]);
  assert.deepEqual(ev && { kind: ev.kind, path2: (ev as { path2?: string }).path2 }, { kind: 'rename', path2: '/b' });
  assert.equal(one(FrameType.FILE, [[Attr.OP, 'explode'], [Attr.PATH, '/a']])?.kind, 'unknown');
});

test('network: family and socket type become names and tcp/udp/unix; connect has peer, bind has local', () => {
  const c = one(FrameType.CONNECT, [[Attr.FD, 3], [Attr.FAMILY, 2], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '10.0.0.2'], [Attr.PORT, 6379], [Attr.RESULT, 0]]);
  assert.deepEqual(c && c.kind === 'connect' && [c.family, c.protocol, c.peer, c.local], ['inet', 'tcp', { address: '10.0.0.2', port: 6379 }, undefined]);
  const b = one(FrameType.BIND, [[Attr.FD, 3], [Attr.FAMILY, 10], [Attr.SOCKTYPE, 2], [Attr.ADDRESS, '::'], [Attr.PORT, 53], [Attr.RESULT, 0]]);
  assert.deepEqual(b && b.kind === 'bind' && [b.family, b.protocol, b.local], ['inet6', 'udp', { address: '::', port: 53 }]);
  const u = one(FrameType.CONNECT, [[Attr.FD, 3], [Attr.FAMILY, 1], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '/run/x.sock'], [Attr.RESULT, -2]]);
  assert.deepEqual(u && u.kind === 'connect' && [u.protocol, u.peer, u.result], ['unix', { address: '/run/x.sock', port: 0 }, -2]);
  const a = one(FrameType.ACCEPT, [[Attr.FD, 4], [Attr.FAMILY, 2], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '10.0.0.9'], [Attr.PORT, 40000], [Attr.PORT, 80], [Attr.RESULT, 5]]);
  assert.deepEqual(a && a.kind === 'accept' && [a.peer, a.local], [{ address: '10.0.0.9', port: 40000 }, { address: '', port: 80 }]);
  const l = one(FrameType.LISTEN, [[Attr.FD, 4], [Attr.FAMILY, 2], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '0.0.0.0'], [Attr.PORT, 80], [Attr.BACKLOG, 511], [Attr.RESULT, 0]]);
  assert.deepEqual(l && l.kind === 'listen' && [l.local, l.backlog], [{ address: '0.0.0.0', port: 80 }, 511]);
  // A dual-stack server's IPv4 client is the IPv4 address (named like any other); v6 addresses stay
  const mapped = one(FrameType.ACCEPT, [[Attr.FD, 4], [Attr.FAMILY, 10], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '::FFFF:172.17.0.1'], [Attr.PORT, 40000], [Attr.RESULT, 5]]);
  assert.deepEqual(mapped && mapped.kind === 'accept' && [mapped.family, mapped.peer?.address], ['inet6', '172.17.0.1']);
  const v6 = one(FrameType.CONNECT, [[Attr.FD, 4], [Attr.FAMILY, 10], [Attr.SOCKTYPE, 1], [Attr.ADDRESS, '::ffff:ac11:1'], [Attr.PORT, 80], [Attr.RESULT, 0]]);
  assert.equal(v6 && v6.kind === 'connect' && v6.peer?.address, '::ffff:ac11:1');
  const weird = one(FrameType.CONNECT, [[Attr.FAMILY, 99], [Attr.SOCKTYPE, 9], [Attr.PORT, 70000]]);
  assert.deepEqual(weird && weird.kind === 'connect' && [weird.family, weird.protocol, weird.peer?.port], ['af99', 'other', 0]);
});

test('DNS query and answer become kind dns with phase, qtype names and answers', () => {
  const q = one(FrameType.DNS_QUERY, [[Attr.NAME, 'redis'], [Attr.QTYPE, 1], [Attr.DNSID, 4660], [Attr.ADDRESS, '127.0.0.11'], [Attr.PORT, 53], [Attr.TRANSPORT, 'udp']]);
  assert.deepEqual(q && q.kind === 'dns' && [q.phase, q.name, q.qtype, q.id, q.server, q.transport], ['query', 'redis', 'A', 4660, { address: '127.0.0.11', port: 53 }, 'udp']);
  const a = one(FrameType.DNS_ANSWER, [[Attr.NAME, 'redis'], [Attr.QTYPE, 28], [Attr.DNSID, 4660], [Attr.RCODE, 0], [Attr.ANSWER, 'AAAA fd00::3'], [Attr.ANSWER, 'A 10.0.0.3']]);
  assert.deepEqual(a && a.kind === 'dns' && [a.phase, a.qtype, a.rcode, a.answers], ['answer', 'AAAA', 0, ['AAAA fd00::3', 'A 10.0.0.3']]);
  const odd = one(FrameType.DNS_QUERY, [[Attr.NAME, 'x'], [Attr.QTYPE, 4242]]);
  assert.equal(odd?.kind === 'dns' && odd.qtype, 'TYPE4242');
});

test('SETID → setuid, RISKY, LOG, SYSCALL_SEEN, NOTICE, EXIT, FORK, unknown types', () => {
  const s = one(FrameType.SETID, [[Attr.SYSCALL, 'setresuid'], [Attr.ARG, 1000], [Attr.ARG, 1000], [Attr.ARG, -1], [Attr.UID, 1000], [Attr.RESULT, 0]]);
  assert.deepEqual(s && s.kind === 'setuid' && [s.syscall, s.args, s.uid], ['setresuid', [1000, 1000, -1], 1000]);
  const r = one(FrameType.RISKY, [[Attr.SYSCALL, 'io_uring_setup'], [Attr.NR, 425], [Attr.ARG, 8], [Attr.ACTION, 'refused'], [Attr.RESULT, -38]]);
  assert.deepEqual(r && r.kind === 'risky' && [r.action, r.nr, r.result], ['refused', 425, -38]);
  const l = one(FrameType.LOG, [[Attr.STREAM, 2], [Attr.DATA, 'oops\r'], [Attr.PARTIAL, 1]]);
  assert.deepEqual(l && l.kind === 'log' && [l.stream, l.line, l.partial], ['stderr', 'oops\\x0d', true]);
  const y = one(FrameType.SYSCALL_SEEN, [[Attr.NR, 165], [Attr.SYSCALL, 'mount'], [Attr.EXE, '/bin/mount']]);
  assert.deepEqual(y && y.kind === 'syscall' && [y.syscall, y.nr, y.exe], ['mount', 165, '/bin/mount']);
  const n = one(FrameType.NOTICE, [[Attr.NOTICE, 'no-new-privs'], [Attr.MESSAGE, 'hi']]);
  assert.deepEqual(n && n.kind === 'notice' && [n.code, n.message], ['no-new-privs', 'hi']);
  const e = one(FrameType.EXIT, [[Attr.SIGNAL, 9]]);
  assert.deepEqual(e && e.kind === 'exit' && [e.code, e.signal], [undefined, 9]);
  const f = one(FrameType.FORK, [[Attr.CHILD, 12], [Attr.CLONE, 'thread'], [Attr.SYSCALL, 'clone3']]);
  assert.deepEqual(f && f.kind === 'fork' && [f.child, f.clone], [12, 'thread']);
  const u = one(99, [[Attr.PATH, '/x'], [200, 5]]);
  assert.deepEqual(u && u.kind === 'unknown' && u.type, 99);
  assert.equal(one(FrameType.END, [[Attr.CODE, 0]]), undefined);
});

test('more than 64 argv entries are cut to 64 and flagged truncated', () => {
  const attrs: [number, string][] = Array.from({ length: 70 }, (_, i) => [Attr.ARGV, `a${i}`]);
  const ev = one(FrameType.EXEC, [[Attr.PATH, '/bin/x'], ...attrs, [Attr.ARGC, 70]]);
  assert.equal(ev?.kind === 'exec' && ev.argv.length, 64);
  assert.equal(ev?.truncated, true);
});

test('ProbeStream: HELLO gives run info and the clock; END gives the probe summary', () => {
  const b = new FrameStreamBuilder({ realtimeMs: 1_700_000_000_000, probe: '0.1.0', arch: 'x86_64', mode: 'seccomp' });
  b.frame(FrameType.EXEC, 1, [[Attr.PATH, '/bin/true'], [Attr.ARGV, 'true'], [Attr.ARGC, 1], [Attr.RESULT, 0]], { stepNs: 2_000_000 });
  const s = new ProbeStream('app', 'abc');
  const batch = s.push(b.end(3));
  s.finish();
  assert.deepEqual(batch.hello && [batch.hello.probe, batch.hello.arch, batch.hello.mode, batch.hello.protocol], ['0.1.0', 'x86_64', 'seccomp', 1]);
  assert.deepEqual(batch.end, { code: 3, events: 2, stops: 0 });
  assert.equal(batch.events.length, 1);
  assert.equal(batch.events[0]!.time, 1_700_000_000_000 + 0.001);
  assert.equal(s.missing, 0);
});

test('random attribute soup on every frame type always yields schema-valid events', () => {
  let seed = 5;
  const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
  for (let k = 0; k < 2000; k++) {
    const attrs: [number, number | Uint8Array][] = [];
    for (let j = rnd(12); j > 0; j--) {
      const key = 1 + rnd(50);
      if (rnd(2)) attrs.push([key, rnd(2) ? rnd(100000) - 50000 : 2 ** 60]);
      else attrs.push([key, Uint8Array.from({ length: rnd(40) }, () => rnd(256))]);
    }
    const type = 2 + rnd(20);
    if (type === FrameType.END) continue;
    one(type, attrs, rnd(8));
  }
});
