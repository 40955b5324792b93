/** Processes under the probe: shells spawning children, static and dynamic binaries, threads that
 * exec, exit codes and signals. Real dockerd, real containers, the real probe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUSYBOX, DEBIAN, assertComplete, logLines, ofKind, runProbed } from './probe-harness.js';

test('a busybox shell spawning children: forks, execs, exits and output are reported', async () => {
  const run = await runProbed({ image: BUSYBOX, cmd: ['/bin/sh', '-c', 'echo one | cat; /bin/true & wait; /opt/fixture/euid >/dev/null; echo done'] });
  assertComplete(run);
  assert.equal(run.hello?.mode, 'seccomp');
  assert.equal(run.exitCode, 0);
  const execs = ofKind(run, 'exec');
  assert.equal(execs[0]?.path, '/bin/sh');
  assert.deepEqual(execs[0]?.argv.slice(0, 2), ['/bin/sh', '-c']);
  assert.equal(execs[0]?.result, 0);
  assert.ok(execs.some((e) => e.argv[0] === 'cat'), 'cat exec seen');
  assert.ok(execs.some((e) => e.path === '/opt/fixture/euid' && e.result === 0), 'static program exec seen');
  const forks = ofKind(run, 'fork');
  assert.ok(forks.length >= 3, `forks: ${forks.length}`);
  for (const f of forks) assert.notEqual(f.clone, 'thread');
  const children = new Set(forks.map((f) => f.child));
  const exits = ofKind(run, 'exit');
  assert.ok(exits.filter((e) => children.has(e.pid)).length >= 3, 'children exits seen');
  assert.deepEqual(logLines(run), ['one', 'done']);
  // sequence numbers are consecutive from 1
  run.events.forEach((e, i) => assert.equal(e.seq, i + 2));
});

test('Debian dynamic binaries: the loader opens libc, execs carry cwd and uid', async () => {
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', 'cd /etc && cat os-release >/dev/null && ls -d /usr'], dockerArgs: ['-w', '/tmp'] });
  assertComplete(run);
  const execs = ofKind(run, 'exec');
  assert.equal(execs[0]?.path, '/usr/bin/bash', 'PATH lookup done like execvp');
  assert.equal(execs[0]?.cwd, '/tmp');
  assert.equal(execs[0]?.uid, 0);
  const cat = execs.find((e) => e.argv[0] === 'cat');
  assert.equal(cat?.cwd, '/etc');
  const opens = ofKind(run, 'open');
  assert.ok(opens.some((o) => /\/libc\.so\.6$/.test(o.path)), 'libc opened');
  assert.ok(opens.some((o) => o.path === '/etc/os-release' && o.access.includes('read')), 'relative path resolved against cwd');
  assert.deepEqual(logLines(run), ['/usr']);
  const seen = ofKind(run, 'syscall');
  assert.ok(seen.some((s) => s.syscall === 'execve' && s.exe === '/usr/bin/bash'));
  assert.ok(seen.some((s) => s.syscall === 'openat' && s.exe === '/usr/bin/cat'));
});

test('a thread that execs: the exec is reported for the leader with the former thread id', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/thread-exec', '/bin/echo', 'from-thread'] });
  assertComplete(run);
  const thread = ofKind(run, 'fork').find((f) => f.clone === 'thread');
  assert.ok(thread, 'thread creation seen');
  const exec = ofKind(run, 'exec').find((e) => e.path === '/bin/echo');
  assert.ok(exec, 'exec from the thread seen');
  assert.equal(exec.result, 0);
  assert.equal(exec.former, thread.child);
  assert.equal(exec.pid, thread.pid);
  assert.equal(exec.tid, thread.pid, 'after exec the leader tid runs the program');
  assert.ok(logLines(run).includes('from-thread'));
  assert.equal(run.exitCode, 0);
});

test('exit codes and signals: the container exits with the app code, 128+N after signal N', async () => {
  const coded = await runProbed({ cmd: ['/bin/sh', '-c', 'exit 7'] });
  assertComplete(coded);
  assert.equal(coded.exitCode, 7);
  assert.equal(coded.end?.code, 7);
  assert.equal(ofKind(coded, 'exit').at(-1)?.code, 7);

  const killed = await runProbed({ cmd: ['/bin/sh', '-c', 'kill -9 $$'] });
  assertComplete(killed);
  assert.equal(killed.exitCode, 137);
  assert.equal(killed.end?.code, 137);
  assert.equal(ofKind(killed, 'exit').at(-1)?.signal, 9);

  const missing = await runProbed({ cmd: ['/no/such/program'] });
  assertComplete(missing);
  assert.equal(missing.exitCode, 127);
  assert.match(logLines(missing, 'stderr').join('\n'), /cannot run \/no\/such\/program/);
});

test('orphans are reaped: no zombie is left behind by PID 1', async () => {
  const run = await runProbed({
    cmd: ['/bin/sh', '-c', 'sh -c "sleep 0.2 & exit 0"; sleep 1; cat /proc/[0-9]*/stat | cut -d" " -f1-3'],
  });
  assertComplete(run);
  const states = logLines(run).map((l) => l.split(' ')[2]);
  assert.ok(states.length >= 2, `process list: ${logLines(run).join(' | ')}`);
  assert.ok(!states.includes('Z'), `zombie left: ${logLines(run).join(' | ')}`);
  const sleeps = ofKind(run, 'exec').filter((e) => e.argv[0] === 'sleep');
  const orphan = sleeps.find((e) => e.argv[1] === '0.2');
  assert.ok(orphan, 'the orphan was traced');
  assert.ok(ofKind(run, 'exit').some((e) => e.pid === orphan.pid && e.code === 0), 'its exit was seen');
});

test('hostile argv (huge, non-UTF-8) is bounded and flagged, never crashes the probe', async () => {
  const big = 'x'.repeat(5000);
  const args = Array.from({ length: 100 }, (_, i) => (i === 3 ? '\u00ff\u00fe' : big));
  const run = await runProbed({ cmd: ['/bin/sh', '-c', 'exec /bin/true "$@"', 'sh', ...args] });
  assertComplete(run);
  const exec = ofKind(run, 'exec').find((e) => e.path === '/bin/true');
  assert.ok(exec);
  assert.equal(exec.argc, 101);
  assert.equal(exec.truncated, true);
  assert.ok(exec.argv.length <= 64);
  assert.ok(exec.argv.every((a) => a.length <= 1024 * 4 + 8));
  assert.equal(run.exitCode, 0);
});

test('signals reach the tracee (re-injected at signal stops), group-stop and SIGCONT work under the probe', async () => {
  const run = await runProbed({
    cmd: ['/bin/sh', '-c', 'trap "echo got USR1" USR1; kill -USR1 $$; sleep 30 & p=$!; kill -STOP $p; kill -CONT $p; kill -TERM $p; wait $p; echo "status $?"'],
  });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['got USR1', 'status 143']);
  // busybox runs `sleep` as a forked applet (no exec): find the background child by its exit
  const children = new Set(ofKind(run, 'fork').map((f) => f.child));
  assert.ok(ofKind(run, 'exit').some((e) => children.has(e.pid) && e.signal === 15));
});

test('any user: the probe works when the image runs as a non-root user', async () => {
  const run = await runProbed({ cmd: ['/bin/sh', '-c', 'id -u; echo x > /tmp/mine'], dockerArgs: ['--user', '65534:65534'] });
  assertComplete(run);
  assert.equal(run.hello?.mode, 'seccomp');
  assert.deepEqual(logLines(run), ['65534']);
  assert.equal(ofKind(run, 'exec')[0]?.uid, 65534);
  assert.ok(ofKind(run, 'open').some((o) => o.path === '/tmp/mine' && o.result !== undefined && o.result >= 0));
});
