/** Application output: line by line, bounded, partial lines flushed and flagged, each with its writer's pid. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBIAN, assertComplete, ofKind, runProbed } from './probe-harness.js';

test('long lines are cut at 16 KiB and flagged partial; a line without newline is flushed as partial', async () => {
  const run = await runProbed({
    cmd: ['/bin/sh', '-c', 'head -c 40000 /dev/zero | tr "\\0" a; echo; echo err >&2; printf "tail-without-newline"; sleep 0.5; echo " next"'],
  });
  assertComplete(run);
  const out = ofKind(run, 'log').filter((l) => l.stream === 'stdout');
  assert.deepEqual(out.slice(0, 3).map((l) => [l.line.length, l.partial ?? false]), [[16384, true], [16384, true], [40000 - 32768, false]]);
  assert.ok(out.slice(0, 3).every((l) => /^a+$/.test(l.line)));
  const tail = out.find((l) => l.line === 'tail-without-newline');
  assert.equal(tail?.partial, true, 'flushed after ~100 ms without a newline');
  assert.equal(out.at(-1)?.line, ' next');
  assert.deepEqual(ofKind(run, 'log').filter((l) => l.stream === 'stderr').map((l) => l.line), ['err']);
  // `tr` wrote the long line, the shell the rest
  const trPid = ofKind(run, 'exec').find((e) => e.argv[0] === 'tr')?.pid;
  assert.ok(out.slice(0, 3).every((l) => l.pid === trPid), 'the long line is tr\'s');
});

test('every line carries the pid of the process that wrote it, also with concurrent writers and >&2', async () => {
  const run = await runProbed({
    image: DEBIAN,
    cmd: ['bash', '-c', 'echo first; for w in 1 2 3; do (for j in $(seq 40); do echo "w$w $j"; echo "e$w $j" >&2; done) & done; wait; '
      + 'sh -c "echo child"; echo last >&2'],
  });
  assertComplete(run);
  const logs = ofKind(run, 'log');
  const bash = ofKind(run, 'exec')[0]!.pid;
  const child = ofKind(run, 'exec').find((e) => e.argv[0] === 'sh')!.pid;
  const pidOf = (line: string) => logs.find((l) => l.line === line)?.pid;
  assert.equal(pidOf('first'), bash);
  assert.equal(pidOf('last'), bash, 'echo >&2 writes fd 1, which is the stderr pipe');
  assert.equal(pidOf('child'), child);
  const writers = new Map<string, Set<number>>();
  for (const l of logs) {
    const m = /^([we][123]) \d+$/.exec(l.line);
    if (!m) continue;
    assert.equal(l.stream, m[1]!.startsWith('w') ? 'stdout' : 'stderr');
    const set = writers.get(m[1]!.slice(1)) ?? new Set<number>();
    set.add(l.pid);
    writers.set(m[1]!.slice(1), set);
  }
  assert.equal(logs.filter((l) => /^[we][123] /.test(l.line)).length, 240);
  const pids = [...writers.values()].map((set) => [...set]);
  for (const p of pids) assert.equal(p.length, 1, `one writer per subshell: ${JSON.stringify(pids)}`);
  assert.equal(new Set(pids.map((p) => p[0])).size, 3, 'three different subshells');
  const forked = new Set(ofKind(run, 'fork').map((f) => f.child));
  for (const p of pids) assert.ok(forked.has(p[0]!), 'a subshell the fork events name');
});

test('bytes written through another descriptor are nobody\'s (pid 0) and do not take other lines\' writers', async () => {
  const run = await runProbed({
    image: DEBIAN,
    // tee writes its own descriptor for /dev/fd/5 (a shell's `>&5` would move it to fd 1 first)
    cmd: ['bash', '-c', 'exec 5>&1; (for j in $(seq 30); do echo "via5 $j"; done | tee -a /dev/fd/5 >/dev/null) & for j in $(seq 30); do echo "via1 $j"; done; wait'],
  });
  assertComplete(run);
  const logs = ofKind(run, 'log');
  const bash = ofKind(run, 'exec')[0]!.pid;
  assert.equal(logs.filter((l) => l.line.startsWith('via1 ')).length, 30);
  assert.equal(logs.filter((l) => l.line.startsWith('via5 ')).length, 30);
  for (const l of logs) {
    if (l.line.startsWith('via1 ')) assert.equal(l.pid, bash, l.line);
    if (l.line.startsWith('via5 ')) assert.equal(l.pid, 0, `${l.line}: written through fd 5, announced by nobody`);
  }
});

test('many writes a second to stdout earn one notice naming --no-log-pids; with it, writes are not handed over (pid 0)', async () => {
  // dd bs=1 writes to fd 1 (here a file): 5,000 one-byte writes, each a hand-off unless --no-log-pids
  const script = 'dd if=/dev/zero of=/dev/null bs=1 count=5000 2>/dev/null; echo done';
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', script] });
  assertComplete(run);
  const costly = ofKind(run, 'notice').filter((n) => n.code === 'log-writes-costly');
  assert.equal(costly.length, 1, 'said once');
  assert.match(costly[0]!.message, /--no-log-pids/);
  assert.notEqual(ofKind(run, 'log').find((l) => l.line === 'done')?.pid, 0);

  const off = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', script], probeArgs: ['--no-log-pids'] });
  assertComplete(off);
  assert.deepEqual(ofKind(off, 'notice').filter((n) => n.code === 'log-writes-costly'), []);
  assert.deepEqual(ofKind(off, 'log').map((l) => [l.line, l.pid]), [['done', 0]]);
});
