/** The renderer's pure logic: the event log and its time windows, the timeline raster and viewport, the panel folds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventOf, ImprintEvent } from '../../common/events.js';
import { EventLog, CATEGORIES } from '../../renderer/src/model/event-log.js';
import { rasterize, rgba, CATEGORY_COUNT } from '../../renderer/src/timeline/raster.js';
import { layoutRows } from '../../renderer/src/timeline/draw.js';
import { clamp, formatOffset, panBy, ticks, timeAtX, zoomAt } from '../../renderer/src/timeline/viewport.js';
import { connectionGraph, describeEvent, dirname, filesByDirectory, processLabel, processTree } from '../../renderer/src/model/views.js';
import { filterEvents } from '../../renderer/src/model/filter.js';
import { parsePorts, splitCommand } from '../../renderer/src/model/run-form.js';

let seq = 0;
const base = (service: string, pid: number, time: number) => ({ seq: ++seq, time, service, container: `${service}-c`, pid, tid: pid });
const exec = (service: string, pid: number, time: number, path: string): ImprintEvent => ({ ...base(service, pid, time), kind: 'exec', path, argv: [path.split('/').pop()!, '-x'], argc: 2, cwd: '/', uid: 0, gid: 0, result: 0 });
const open = (service: string, pid: number, time: number, path: string, access: ('read' | 'write' | 'create')[], result = 3): ImprintEvent => ({ ...base(service, pid, time), kind: 'open', path, access, result });
const fork = (service: string, pid: number, time: number, child: number): ImprintEvent => ({ ...base(service, pid, time), kind: 'fork', child, clone: 'fork' });
const connect = (service: string, pid: number, time: number, peer: { address: string; port: number; service?: string; name?: string }, family = 'inet'): ImprintEvent =>
  ({ ...base(service, pid, time), kind: 'connect', fd: 3, family, protocol: 'tcp', peer, result: 0 });
const log = (service: string, time: number, line: string): ImprintEvent => ({ ...base(service, 1, time), kind: 'log', stream: 'stdout', line });

test('the log keeps one lane per service and per process, named after what the process runs', () => {
  const l = new EventLog();
  l.append([exec('web', 1, 10, '/usr/sbin/nginx'), fork('web', 1, 11, 7), open('web', 7, 12, '/etc/x', ['read']), exec('db', 1, 13, '/usr/bin/redis-server')]);
  assert.deepEqual(l.laneList.map((x) => x.label), ['web', 'nginx · 1', 'nginx (fork) · 7', 'db', 'redis-server · 1']);
  const { rows } = layoutRows(l, new Set());
  assert.deepEqual(rows.map((r) => l.laneList[r]!.label), ['web', 'nginx · 1', 'nginx (fork) · 7', 'db', 'redis-server · 1']);
  const collapsed = layoutRows(l, new Set(['web']));
  assert.deepEqual(collapsed.rows.map((r) => l.laneList[r]!.label), ['web', 'db', 'redis-server · 1']);
});

test('time windows hold every event of a range even when events arrive out of order', () => {
  const l = new EventLog();
  const times = [100, 105, 103, 110, 90, 120, 119, 130];
  l.append(times.map((t, i) => log('s', t, `line ${i}`)));
  assert.equal(l.disorder, 20, '90 arrived when 110 had been seen');
  assert.equal(l.firstTime, 90);
  assert.equal(l.lastTimeSeen, 130);
  for (const [t0, t1] of [[0, 1000], [95, 111], [104, 120], [119, 121], [131, 200], [0, 90]] as const) {
    const expected = times.filter((t) => t >= t0 && t < t1).sort((a, b) => a - b);
    assert.deepEqual(l.between(t0, t1).map((e) => e.time).sort((a, b) => a - b), expected, `[${t0}, ${t1})`);
  }
});

test('the raster counts each event in its process row and its service row, at its pixel', () => {
  const l = new EventLog();
  l.append([exec('a', 1, 0, '/bin/sh'), open('a', 1, 50, '/f', ['read']), open('a', 1, 99.9, '/g', ['read']), open('a', 1, 150, '/h', ['read'])]);
  const { rows, rowOfLane } = layoutRows(l, new Set());
  assert.equal(rows.length, 2);
  const width = 10, rowHeight = 10;
  const pixels = new Uint32Array(width * rows.length * rowHeight);
  const scratch = { counts: new Uint32Array(0) };
  const palette = Uint32Array.from(CATEGORIES.map((_, i) => i + 1));
  const n = rasterize(l, { t0: 0, t1: 100 }, { rowOfLane, firstRow: 0, rowCount: 2, rowHeight, width }, palette, pixels, scratch);
  assert.equal(n, 3, 'the event at 150 is outside the view');
  const count = (row: number, x: number, cat: number) => scratch.counts[(row * width + x) * CATEGORY_COUNT + cat];
  const file = CATEGORIES.indexOf('file'), proc = CATEGORIES.indexOf('process');
  for (const row of [0, 1]) {
    assert.equal(count(row, 0, proc), 1);
    assert.equal(count(row, 5, file), 1);
    assert.equal(count(row, 9, file), 1);
  }
  // Drawn: column 5 of row 1 has the file colour at its bottom; an empty column stays untouched.
  assert.equal(pixels[(2 * rowHeight - 3) * width + 5], file + 1);
  assert.equal(pixels[(2 * rowHeight - 3) * width + 3], 0);
  assert.equal(rgba('#ff8000'), 0xff0080ff);
});

test('zoom keeps the time under the pointer, pan moves, both stay near the data', () => {
  const bounds = { t0: 0, t1: 1000 };
  const z = zoomAt({ t0: 0, t1: 1000 }, 0.5, 250, bounds);
  assert.equal(z.t1 - z.t0, 500);
  assert.ok(Math.abs(timeAtX(z, 250, 1000) - (z.t0 + 125)) < 1e-9);
  assert.equal((250 - z.t0) / (z.t1 - z.t0), 0.25, 'the anchor stays at the same place on screen');
  const p = panBy({ t0: 0, t1: 100 }, 5000, bounds);
  assert.equal(p.t1 - p.t0, 100);
  assert.ok(p.t1 <= 1050);
  assert.deepEqual(clamp({ t0: -5000, t1: 5000 }, bounds), { t0: -50, t1: 1050 });
  const t = ticks({ t0: 0, t1: 1000 }, 1100);
  assert.deepEqual(t.slice(0, 3), [0, 100, 200]);
  assert.equal(formatOffset(1500, 500), '+1500 ms');
  assert.equal(formatOffset(2000, 1000), '+2 s');
});

test('process tree: children under parents, forked workers named after their parent', () => {
  const events = [exec('web', 1, 1, '/usr/sbin/nginx'), fork('web', 1, 2, 7), fork('web', 7, 3, 9), exec('web', 9, 4, '/bin/true'), exec('db', 1, 5, '/usr/bin/redis-server')];
  const roots = processTree(events);
  assert.deepEqual(roots.map((r) => [r.service, processLabel(r)]), [['db', 'redis-server'], ['web', 'nginx']]);
  const worker = roots[1]!.children[0]!;
  assert.equal(processLabel(worker), 'nginx (fork)');
  assert.equal(processLabel(worker.children[0]!), 'true');
});

test('process tree: a forked child is named after its parent\'s program at the fork, as the timeline lanes are', () => {
  // busybox sh forks a subshell, then execs its last command; an applet reached through /proc/self/exe is its argv[0]
  const applet: ImprintEvent = { ...(exec('app', 12, 5, '/proc/self/exe') as EventOf<'exec'>), argv: ['ls', '-l'] };
  const events = [exec('app', 7, 1, '/bin/sh'), fork('app', 7, 2, 10), fork('app', 7, 3, 12), exec('app', 7, 4, '/bin/grep'), applet, fork('app', 12, 6, 13)];
  const [root] = processTree(events);
  assert.equal(processLabel(root!), 'grep');
  assert.deepEqual(root!.children.map(processLabel), ['sh (fork)', 'ls']);
  assert.equal(processLabel(root!.children[1]!.children[0]!), 'ls (fork)');
  const log = new EventLog();
  log.append(events);
  assert.equal(log.laneList.find((l) => l.pid === 10)?.label, 'sh (fork) · 10');
});

test('file activity groups by directory and classifies reads, writes, creates and failures', () => {
  const dirs = filesByDirectory([
    open('a', 1, 1, '/etc/passwd', ['read']), open('a', 1, 2, '/etc/passwd', ['read']), open('a', 1, 3, '/etc/new', ['write', 'create']),
    open('a', 1, 4, '/etc/missing', ['read'], -2), open('a', 1, 5, '/var/log/x', ['write']),
    { ...base('a', 1, 6), kind: 'unlink', path: '/var/log/x', result: 0 },
  ]);
  assert.deepEqual(dirs.map((d) => d.path), ['/etc', '/var/log']);
  const etc = dirs[0]!;
  assert.deepEqual([etc.reads, etc.writes, etc.creates, etc.failed, etc.total], [2, 0, 1, 1, 4]);
  assert.deepEqual(etc.files.map((f) => f.path), ['/etc/passwd', '/etc/missing', '/etc/new']);
  assert.deepEqual([dirs[1]!.writes, dirs[1]!.deletes], [1, 1]);
  assert.equal(dirname('/x'), '/');
});

test('connection graph: one edge per pair, names from DNS, listen ports, and deviations flagged', () => {
  const dns: ImprintEvent = { ...base('api', 7, 1), kind: 'dns', phase: 'answer', name: 'db.example.internal', qtype: 'A', id: 1, answers: ['A 10.0.0.9'] };
  const c1 = connect('web', 1, 2, { address: '172.18.0.3', port: 8080, service: 'api' });
  const c2 = connect('web', 1, 3, { address: '172.18.0.3', port: 8080, service: 'api' });
  const out = connect('api', 7, 4, { address: '10.0.0.9', port: 5432 });
  const unspec = connect('api', 7, 5, { address: '', port: 0 }, 'unspec');
  const listen: ImprintEvent = { ...base('api', 7, 6), kind: 'listen', fd: 4, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 8080 }, result: 0 };
  const g = connectionGraph([dns, c1, c2, out, unspec, listen], new Set([out]));
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['ep:db.example.internal', 'port:api:tcp/8080', 'svc:api', 'svc:web']);
  const webApi = g.edges.find((e) => e.source === 'svc:web' && e.target === 'svc:api')!;
  assert.equal(webApi.count, 2);
  assert.deepEqual(webApi.ports, [8080]);
  const toDb = g.edges.find((e) => e.target === 'ep:db.example.internal')!;
  assert.equal(toDb.deviant, true);
  assert.equal(g.nodes.find((n) => n.id === 'ep:db.example.internal')!.deviant, true);
  assert.equal(webApi.deviant, undefined);
});

test('event filters and descriptions; run form parsing', () => {
  const events = [exec('web', 1, 1, '/usr/sbin/nginx'), log('web', 2, 'GET /health 200'), open('web', 1, 3, '/etc/nginx/nginx.conf', ['read'])];
  assert.equal(filterEvents(events, new Set(), '').length, 3);
  assert.deepEqual(filterEvents(events, new Set(['log']), '').map((e) => e.kind), ['exec', 'open']);
  assert.deepEqual(filterEvents(events, new Set(), 'NGINX.CONF').map((e) => e.kind), ['open']);
  assert.equal(describeEvent(events[1]!), 'GET /health 200');
  assert.deepEqual(splitCommand(`sh -c 'echo "hi there"' ""`), ['sh', '-c', 'echo "hi there"', '']);
  assert.deepEqual(parsePorts('80, 8080:80\n443\n'), ['80', '8080:80', '443']);
});

test('a program re-executed through /proc/self/exe is named by its argv[0]', () => {
  const l = new EventLog();
  const e: ImprintEvent = { ...base('b', 7, 1), kind: 'exec', path: '/proc/self/exe', argv: ['cat', '/etc/hostname'], argc: 2, cwd: '/', uid: 0, gid: 0, result: 0 };
  l.append([e]);
  assert.equal(l.laneList[1]!.label, 'cat · 7');
  assert.equal(processLabel(processTree([e])[0]!), 'cat');
});

test('a time range of the process tree still names programs that started before it', () => {
  const all = [exec('web', 1, 1, '/usr/sbin/nginx'), fork('web', 1, 2, 7), open('web', 7, 50, '/etc/x', ['read']), open('web', 1, 51, '/etc/y', ['read'])];
  const inRange = all.slice(2);
  assert.deepEqual(processTree(inRange).map(processLabel).sort(), ['pid 1', 'pid 7'], 'without context the range alone knows nothing');
  const roots = processTree(inRange, all);
  assert.equal(processLabel(roots[0]!), 'nginx');
  assert.equal(processLabel(roots[0]!.children[0]!), 'nginx (fork)');
});

test('event descriptions show escaped text as the log view does; the stored event is untouched', () => {
  // Stored: bytesToText wrote the program's one backslash as `\\` (common/protocol/text.ts).
  const stored = 'printf "\\\\033[31m red"';
  const e: ImprintEvent = { ...base('web', 1, 1), kind: 'exec', path: '/bin/sh', argv: ['sh', '-c', stored], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 };
  assert.equal(describeEvent(e), '/bin/sh -c printf "\\033[31m red"');
  assert.equal((e as EventOf<'exec'>).argv[2], stored, 'display only');
  const o = open('web', 1, 2, '/tmp/a\\\\b', ['read']);
  assert.equal(describeEvent(o), '/tmp/a\\b [read]');
  assert.deepEqual(filterEvents([e, o], new Set(), '\\033').map((x) => x.kind), ['exec'], 'search finds what is shown');
});
