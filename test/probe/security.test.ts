/** The channel and the guard rails: no forged events, io_uring refused, setuid under no_new_privs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBIAN, assertComplete, logLines, ofKind, runProbed } from './probe-harness.js';

test('an app printing valid frames and writing to every descriptor cannot forge an event', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/forge'] });
  assertComplete(run);
  const notices = ofKind(run, 'notice');
  assert.ok(!notices.some((n) => n.code === 'forged'), 'a forged notice appeared');
  assert.deepEqual(notices.map((n) => n.code), ['no-new-privs']);
  // the forged bytes arrive as output, wrapped in LOG frames, on both streams
  const out = ofKind(run, 'log').filter((l) => l.stream === 'stdout').map((l) => l.line).join('\n');
  const err = ofKind(run, 'log').filter((l) => l.stream === 'stderr').map((l) => l.line).join('\n');
  assert.match(out, /this frame came from the app/);
  assert.match(err, /this frame came from the app/);
  // descriptors 3..1023: none of the probe's leaked into the app
  assert.ok(logLines(run).includes('other descriptors written: 0'), logLines(run).at(-1));
});

test('io_uring_setup is refused with ENOSYS and reported', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/uring'] });
  assertComplete(run);
  const risky = ofKind(run, 'risky').find((r) => r.syscall === 'io_uring_setup');
  assert.ok(risky);
  assert.equal(risky.action, 'refused');
  assert.equal(risky.result, -38);
  assert.ok(ofKind(run, 'notice').some((n) => n.code === 'io-uring-refused'));
  assert.match(logLines(run).join('\n'), /io_uring_setup: -1 errno=38/);
});

const makeSetuid = 'cp /opt/fixture/euid /tmp/euid && chown 65534 /tmp/euid && chmod 4755 /tmp/euid && /tmp/euid';

test('a setuid binary under no_new_privs runs without elevation and is reported', async () => {
  const run = await runProbed({ cmd: ['/bin/sh', '-c', makeSetuid] });
  assertComplete(run);
  assert.ok(logLines(run).includes('uid=0 euid=0'), logLines(run).join('|'));
  const notice = ofKind(run, 'notice').find((n) => n.code === 'setuid-exec');
  assert.ok(notice, 'setuid-exec notice');
  assert.match(notice.message, /\/tmp\/euid/);
  assert.ok(ofKind(run, 'chown').some((c) => c.path === '/tmp/euid' && c.uid === 65534));
});

test('--no-seccomp: ptrace mode, complete and without no_new_privs (setuid elevates with CAP_SYS_PTRACE)', async () => {
  const run = await runProbed({ cmd: ['/bin/sh', '-c', makeSetuid], probeArgs: ['--no-seccomp'], dockerArgs: ['--cap-add', 'SYS_PTRACE'] });
  assertComplete(run);
  assert.equal(run.hello?.mode, 'ptrace');
  assert.ok(logLines(run).includes('uid=0 euid=65534'), logLines(run).join('|'));
  assert.ok(!ofKind(run, 'notice').some((n) => n.code === 'setuid-exec' || n.code === 'no-new-privs'));
  assert.ok(ofKind(run, 'exec').some((e) => e.path === '/tmp/euid' && e.result === 0));
  assert.ok(ofKind(run, 'syscall').some((s) => s.syscall === 'chmod' || s.syscall === 'fchmodat'));
});

/** A Docker seccomp profile that allows everything except the named syscalls (EPERM). */
function profileDenying(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'imprint-profile-'));
  const file = join(dir, 'profile.json');
  writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names, action: 'SCMP_ACT_ERRNO' }] }));
  return file;
}

test('seccomp unavailable: the probe falls back to ptrace mode, says so, and still sees everything', async () => {
  const run = await runProbed({ cmd: ['/bin/sh', '-c', 'echo fallback > /tmp/f; cat /tmp/f'], dockerArgs: ['--security-opt', `seccomp=${profileDenying(['seccomp'])}`] });
  assertComplete(run);
  assert.equal(run.hello?.mode, 'ptrace');
  assert.ok(ofKind(run, 'notice').some((n) => n.code === 'seccomp-unavailable'));
  assert.ok(ofKind(run, 'open').some((o) => o.path === '/tmp/f' && o.access.includes('create')));
  assert.deepEqual(logLines(run), ['fallback']);
});

test('ptrace denied: the app still runs (untraced), output relayed, and the notice says why', async () => {
  const run = await runProbed({ cmd: ['/bin/sh', '-c', 'echo untraced; exit 5'], dockerArgs: ['--security-opt', `seccomp=${profileDenying(['ptrace'])}`] });
  assertComplete(run);
  assert.equal(run.hello?.mode, 'none');
  assert.ok(ofKind(run, 'notice').some((n) => n.code === 'ptrace-denied'));
  assert.equal(ofKind(run, 'exec').length, 0);
  assert.deepEqual(logLines(run), ['untraced']);
  assert.equal(run.exitCode, 5);
});

test('risky calls are reported as observed, with their result', async () => {
  // Calls Docker's own seccomp profile denies (unshare, mount...) never reach the probe's filter:
  // the kernel applies the most restrictive action. ptrace and chroot are allowed by Docker.
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', 'strace -o /dev/null true; chroot / true; echo after'] });
  assertComplete(run);
  const risky = ofKind(run, 'risky').filter((r) => r.action === 'observed').map((r) => r.syscall);
  assert.ok(risky.includes('ptrace'), `risky: ${risky.join(', ')}`);
  assert.ok(risky.includes('chroot'), `risky: ${risky.join(', ')}`);
  const chroot = ofKind(run, 'risky').find((r) => r.syscall === 'chroot');
  assert.equal(chroot?.result, 0);
  assert.ok(logLines(run).includes('after'));
});

test('i386 calls from a 64-bit program are reported by their own ABI, not decoded as x86_64 calls', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/int80'] });
  assertComplete(run);
  const seen = ofKind(run, 'syscall').filter((s) => s.exe === '/opt/fixture/int80').map((s) => s.syscall);
  assert.ok(seen.includes('i386:20') && seen.includes('i386:5'), seen.join(', '));
  // i386 open (5) is x86_64 fstat (5): nothing may be decoded from it
  assert.ok(!ofKind(run, 'open').some((o) => o.path === '/etc/hostname'));
  assert.ok(logLines(run).some((l) => /^i386 open: \d+$/.test(l)));
});

test('hostile arguments (bad pointers, unterminated paths, absurd lengths, garbage to port 53) are flagged, not fatal', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/hostile'] });
  assertComplete(run);
  assert.equal(logLines(run).at(-1), 'still alive');
  // read-only opens carry no result: the two with a bad or unterminated path are the unreadable ones
  const opens = ofKind(run, 'open').filter((o) => o.unreadable);
  assert.equal(opens.length, 2);
  for (const o of opens) assert.equal(o.unreadable, true);
  assert.match(opens[0]!.path, /a{16}$/, 'the readable prefix is kept');
  // a failed exec continued from its notification has no error number (PROTOCOL.md, EXEC)
  const exec = ofKind(run, 'exec').find((e) => e.unreadable);
  assert.ok(exec && exec.result !== 0);
  assert.equal(exec.argc, 0);
  const connect = ofKind(run, 'connect')[0];
  assert.ok(connect?.unreadable && connect.result === -22);
  assert.ok(ofKind(run, 'notice').some((n) => n.code === 'decode-failed' && /not a DNS message/.test(n.message)));
});
