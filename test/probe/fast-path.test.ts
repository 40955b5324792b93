/**
 * The notification fast path (native/src/notify.c): read-only opens and SYSCALL_SEEN-only calls reach
 * the probe as seccomp user notifications instead of ptrace stops. What is reported must not depend on
 * the path taken, and the path must really be taken (fewer ptrace stops).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { DEBIAN, assertComplete, logLines, ofKind, runProbed } from './probe-harness.js';

const SCRIPT = 'cat /etc/hostname >/dev/null; cat /nonexistent 2>/dev/null; echo x > /tmp/w; '
  + 'for d in /usr/share/*/; do :; done; tar -cf /dev/null /etc 2>/dev/null; echo done';

/** What a reader learns from a run, without what differs between any two runs (seq, time, ids). */
function behaviour(events: ImprintEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.kind === 'open') out.push(`open ${e.path} ${e.access.join(',')} ${e.result === undefined ? '-' : e.result >= 0 ? 'ok' : e.result}`);
    else if (e.kind === 'syscall') out.push(`seen ${e.syscall} ${e.exe}`);
    else if (e.kind === 'exec') out.push(`exec ${e.path} ${e.result}`);
  }
  return out.sort();
}

test('read-only opens are reported when attempted, without a result; other opens keep theirs', async () => {
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', SCRIPT] });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['done']);
  const opens = ofKind(run, 'open');
  const hostname = opens.find((o) => o.path === '/etc/hostname');
  assert.ok(hostname && hostname.result === undefined, 'read-only open: no result');
  assert.ok(opens.some((o) => o.path === '/nonexistent' && o.result === undefined), 'a failed read attempt is still reported');
  const written = opens.find((o) => o.path === '/tmp/w');
  assert.ok(written?.access.includes('create') && written.result !== undefined && written.result >= 0, 'a creating open has its descriptor');
  assert.ok(opens.some((o) => o.path === '/etc/' && o.access.includes('directory')) || opens.some((o) => o.path === '/etc'), 'tar opened /etc');
});

test('a failed exec is reported as failed once its thread shows up again; a successful one at its exec event', async () => {
  const script = 'if /nonexistent/prog 2>/dev/null; then :; fi; /bin/true; echo after';
  const fast = await runProbed({ cmd: ['/bin/sh', '-c', script] });
  const slow = await runProbed({ cmd: ['/bin/sh', '-c', script], probeArgs: ['--no-notify'] });
  for (const run of [fast, slow]) {
    assertComplete(run);
    assert.deepEqual(logLines(run), ['after']);
    const failed = ofKind(run, 'exec').find((e) => e.path === '/nonexistent/prog');
    assert.ok(failed && failed.result !== 0, 'the failed exec is reported, as failed');
    assert.equal(ofKind(run, 'exec').find((e) => e.argv[0] === '/bin/true')?.result, 0);
  }
  assert.equal(ofKind(fast, 'exec').find((e) => e.path === '/nonexistent/prog')?.result, undefined, 'no error number on the fast path');
  assert.equal(ofKind(slow, 'exec').find((e) => e.path === '/nonexistent/prog')?.result, -2, 'ENOENT through ptrace');
});

test('the same program gives the same events with the fast path, through ptrace only, and in ptrace mode', async () => {
  const notify = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', SCRIPT] });
  const traced = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', SCRIPT], probeArgs: ['--no-notify'] });
  const stepped = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', SCRIPT], probeArgs: ['--no-seccomp'] });
  for (const run of [notify, traced, stepped]) assertComplete(run);
  assert.deepEqual(behaviour(notify.events), behaviour(traced.events));
  // ptrace mode stops at every call: it sees the hot ones too, so only opens and execs compare
  const notSeen = (lines: string[]) => lines.filter((l) => !l.startsWith('seen '));
  assert.deepEqual(notSeen(behaviour(notify.events)), notSeen(behaviour(stepped.events)));
  // the fast path is taken: read-only opens and SYSCALL_SEEN-only calls cost no ptrace stop
  const opens = ofKind(notify, 'open').filter((o) => o.result === undefined).length;
  assert.ok(opens > 20, `tar read directories: ${opens}`);
  assert.ok((notify.end?.stops ?? Infinity) + opens <= (traced.end?.stops ?? 0),
    `ptrace stops: ${notify.end?.stops} with notifications, ${traced.end?.stops} without (${opens} read-only opens)`);
});
