import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnBaseline } from '../../common/baseline/learn.js';
import { checkDrift } from '../../common/baseline/check.js';
import { shopRun, RunBuilder } from '../baseline/events-fixture.js';
import type { ImprintEvent } from '../../common/events.js';

const baseline = learnBaseline([shopRun(1), shopRun(30, 'tmp.Jq8s1X')].map((r) => ({ events: r.events })), { seccomp: 'unconfined' });

test('an unchanged run with other pids and temp names is clean', () => {
  const r = checkDrift(baseline, { events: shopRun(77, 'tmp.Pz0q9K').events });
  assert.equal(r.verdict, 'clean');
  assert.deepEqual(r.deviations, []);
  assert.deepEqual(r.incomplete, []);
});

test('the drift variant yields exactly its three deviations, each with the event that caused it', () => {
  const r = checkDrift(baseline, { events: shopRun(5, 'tmp.Lw2b8N', 'drift').events });
  assert.equal(r.verdict, 'drift');
  assert.deepEqual(r.deviations.map((d) => [d.rule, d.service, d.item]), [
    ['new-executable', 'worker', '/usr/bin/id'],
    ['new-file-create', 'worker', '/etc/cron.d/evil'],
    ['new-outbound-peer', 'worker', 'tcp api.example.test:4444'],
  ]);
  const exec = r.deviations[0]!;
  assert.equal(exec.event.kind, 'exec');
  assert.equal(exec.message, 'worker ran /usr/bin/id, started by /usr/bin/curl: not in the baseline');
  assert.equal(r.deviations[1]!.exe, '/usr/bin/id');
  assert.equal(r.deviations[2]!.event.kind, 'connect');
});

test('every new kind of behaviour is its own rule', () => {
  const r = shopRun(1);
  r.listen('web', 2, 8080, 9);
  r.dns('web', 2, 'evil.example.test');
  r.setuid('web', 2, 'setuid', 0);
  r.syscall('web', 2, 'ptrace', '/usr/sbin/nginx', 101);
  r.syscall('web', 2, 'futex', '/usr/sbin/nginx', 202); // always allowed: never drift
  r.file('web', 2, 'unlink', '/etc/passwd');
  r.open('web', 2, '/etc/nginx/nginx.conf', ['write']);
  r.open('web', 2, '/etc/secret', ['read']); // reads are not drift
  r.accept('web', 2, { address: '10.9.9.9', port: 5555 }, 80);
  const got = checkDrift(baseline, { events: r.events }).deviations.map((d) => d.rule).sort();
  assert.deepEqual(got, ['new-dns-name', 'new-file-delete', 'new-file-write', 'new-inbound-peer', 'new-listen-port', 'new-syscall', 'uid-change']);
});

test('items not seen this run are information, not drift', () => {
  const r = new RunBuilder();
  r.exec('web', 1, '/bin/sh', ['/bin/sh', '-c', 'nginx -g "daemon off;"']);
  r.exec('worker', 1, '/usr/bin/curl', ['curl']);
  const out = checkDrift(baseline, { events: r.events });
  assert.equal(out.verdict, 'clean');
  assert.ok(out.unseen.some((u) => u.service === 'web' && u.category === 'executable' && u.item === '/usr/sbin/nginx' && u.runs === 2 && u.of === 2));
  assert.ok(!out.unseen.some((u) => u.item === '/bin/sh'));
});

test('an incomplete capture is inconclusive, a sequence gap too, an empty one too; drift still wins', () => {
  assert.equal(checkDrift(baseline, { events: shopRun(1).events, incomplete: ['a probe stream ended without its END frame'] }).verdict, 'inconclusive');
  const gap = shopRun(1);
  gap.gap('web');
  gap.open('web', 2, '/etc/nginx/nginx.conf', ['read']);
  const g = checkDrift(baseline, { events: gap.events });
  assert.equal(g.verdict, 'inconclusive');
  assert.match(g.incomplete[0]!, /1 event\(s\) missing in web-1/);
  assert.equal(checkDrift(baseline, { events: [] }).verdict, 'inconclusive');
  assert.equal(checkDrift(baseline, { events: shopRun(1, 'tmp.a8Xk2P', 'drift').events, incomplete: ['x'] }).verdict, 'drift');
});

test('a service the baseline does not know is drift; a lone service maps to a lone service', () => {
  const r = shopRun(1);
  r.exec('intruder', 1, '/bin/sh', ['sh']);
  const out = checkDrift(baseline, { events: r.events });
  assert.deepEqual(out.deviations.map((d) => [d.rule, d.service]), [['new-service', 'intruder']]);

  const single = learnBaseline([{ events: new RunBuilder().exec('imprint-abc', 1, '/bin/true', ['true']).events }], { seccomp: 'unconfined' });
  const renamed = checkDrift(single, { events: new RunBuilder().exec('imprint-xyz', 1, '/bin/true', ['true']).events });
  assert.equal(renamed.verdict, 'clean');
  assert.deepEqual(renamed.services, { 'imprint-xyz': 'imprint-abc' });
});

test('a peer named differently in another run (address instead of DNS name) still matches', () => {
  const r = shopRun(1);
  r.connect('worker', 1, { address: '192.0.2.10', port: 443 }); // no DNS answer seen for it in this run's table order
  const out = checkDrift(baseline, { events: r.events });
  assert.equal(out.verdict, 'clean');
});

test('hand-edited globs in the baseline allow matching paths', () => {
  const edited = structuredClone(baseline);
  edited.services.web!.files.write.push({ path: '/var/log/nginx/**', runs: 1, by: ['/usr/sbin/nginx'] });
  const r = shopRun(1);
  r.open('web', 2, '/var/log/nginx/2026/access.log', ['write', 'append']);
  assert.equal(checkDrift(edited, { events: r.events }).verdict, 'clean');
  assert.equal(checkDrift(baseline, { events: r.events }).verdict, 'drift');
});

test('writing /dev/null or a descriptor of its own is never drift (a shell redirection creates /dev/null)', () => {
  const r = shopRun(1);
  r.open('worker', 20, '/dev/null', ['write', 'create', 'truncate']);
  r.open('worker', 20, '/proc/self/fd/1', ['write']);
  assert.deepEqual(checkDrift(baseline, { events: r.events }).deviations.map((d) => d.rule), []);
  r.open('worker', 20, '/dev/sda', ['write']);
  assert.deepEqual(checkDrift(baseline, { events: r.events }).deviations.map((d) => d.item), ['/dev/sda']);
});

test('hand-edited DNS globs allow matching names and peers', () => {
  const edited = structuredClone(baseline);
  edited.services.worker!.dns.push({ name: '*.example.test', runs: 1, by: [] });
  edited.services.worker!.outbound.push({ peer: '*.example.test', kind: 'dns', protocol: 'tcp', port: 443, runs: 1, by: [] });
  const r = shopRun(1);
  r.dns('worker', 20, 'cdn.eu.example.test', ['A 192.0.2.77']);
  r.connect('worker', 20, { address: '192.0.2.77', port: 443, name: 'cdn.eu.example.test' });
  assert.deepEqual(checkDrift(edited, { events: r.events }).deviations.map((d) => d.rule), []);
  assert.deepEqual(checkDrift(baseline, { events: r.events }).deviations.map((d) => d.rule).sort(), ['new-dns-name', 'new-outbound-peer']);
});

test('items matched by glob or by another name of the same peer count as seen, not as unseen', () => {
  const edited = structuredClone(baseline);
  edited.services.web!.files.create = [{ path: '/var/lib/nginx/**', runs: 1, by: ['/usr/sbin/nginx'] }];
  const r = checkDrift(edited, { events: shopRun(1).events });
  assert.equal(r.verdict, 'clean');
  assert.ok(!r.unseen.some((u) => u.item === '/var/lib/nginx/**'), JSON.stringify(r.unseen));
  assert.deepEqual(r.unseen, []);
});

test('a probe that could not trace the app makes the check inconclusive, never clean', () => {
  const r = shopRun(1);
  r.events.push({ ...r.events[0]!, seq: 999, kind: 'notice', code: 'ptrace-denied', message: 'ptrace is not permitted' } as never);
  const out = checkDrift(baseline, { events: r.events.filter((e) => e.service === 'web' || e.kind === 'notice').map((e, i) => ({ ...e, seq: i + 2 })) });
  assert.equal(out.verdict, 'inconclusive');
  assert.match(out.incomplete.join(), /could not trace web \(ptrace denied\)/);
});

test('an app that never started (every exec failed) is inconclusive, never clean; one failed PATH probe is not', () => {
  const neverRan = new RunBuilder().exec('web', 7, '/nope', ['/nope'], -2);
  // the probe's fast path reports a failed exec without its error number (no result)
  const { result: _, ...noResult } = neverRan.events[0] as Extract<ImprintEvent, { kind: 'exec' }>;
  const out = checkDrift(baseline, { events: [...neverRan.events, { ...noResult, seq: 99, path: '/bin/nope' }] });
  assert.equal(out.verdict, 'inconclusive');
  assert.match(out.incomplete.join(), /the app of web never started: exec "\/nope" failed/);
  // A shell's failed PATH search followed by the real program: it started.
  const started = shopRun(1);
  started.exec('web', 999, '/usr/local/bin/nginx', ['nginx'], -2);
  assert.doesNotMatch(checkDrift(baseline, { events: started.events }).incomplete.join(), /never started/);
});
