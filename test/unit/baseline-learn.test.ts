import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDrift } from '../../common/baseline/check.js';
import { learnBaseline } from '../../common/baseline/learn.js';
import { mergeBaselines } from '../../common/baseline/merge.js';
import { parseBaseline, serviceLines, stringifyBaseline } from '../../common/baseline/file.js';
import { ALWAYS_ALLOWED } from '../../common/baseline/always-allowed.js';
import { shopRun, RunBuilder } from '../baseline/events-fixture.js';

const SCHEMA = '../assets/schema/baseline-v1.schema.json';
const learn = (...runs: RunBuilder[]) => learnBaseline(runs.map((r) => ({ events: r.events, images: { web: 'shop/web:1', worker: 'shop/worker:1' } })), { seccomp: 'unconfined' });

test('learns each category per service, with the executable that did it', () => {
  const b = learn(shopRun(1));
  const web = b.services.web!, worker = b.services.worker!;
  assert.deepEqual(web.executables.map((e) => [e.path, e.parents]), [['/bin/sh', ['-']], ['/usr/sbin/nginx', ['/bin/sh']]]);
  // a read is an attempt (read-only opens carry no outcome), so a failed one in an older capture counts too
  assert.deepEqual(web.files.read.map((f) => f.path), ['/etc/ld.so.preload', '/etc/nginx/nginx.conf', '/proc/*/status']);
  assert.deepEqual(web.files.create.map((f) => f.path), ['/var/lib/nginx/body/*']);
  assert.deepEqual(web.files.delete.map((f) => [f.path, f.by]), [['/var/lib/nginx/body/*', ['/usr/sbin/nginx']]]);
  assert.deepEqual(web.listen.map((l) => [l.protocol, l.port]), [['tcp', 80]]);
  assert.deepEqual(web.inbound.map((i) => [i.peer, i.kind, i.port]), [['worker', 'service', 80]], 'inbound keeps the local port, not the ephemeral one');
  assert.deepEqual(web.uids.map((u) => [u.syscall, u.uid]), [['setuid', 33]]);
  assert.deepEqual(web.syscalls.map((s) => s.name), ['accept4', 'execve', 'listen']);
  assert.deepEqual(worker.outbound.map((o) => [o.peer, o.kind, o.protocol, o.port, o.addresses]), [
    ['api.example.test', 'dns', 'tcp', 443, ['192.0.2.10']],
    ['web', 'service', 'tcp', 80, undefined],
    ['127.0.0.11', 'address', 'udp', 53, undefined],
  ]);
  assert.deepEqual(worker.dns.map((d) => d.name), ['api.example.test', 'web']);
  assert.deepEqual(worker.files.create.map((f) => f.path), ['/tmp/tmp.*']);
  assert.equal(web.image, 'shop/web:1');
  assert.deepEqual(b.learned, { runs: 1, seccomp: 'unconfined', arch: 'x86_64', alwaysAllowed: [...ALWAYS_ALLOWED.x86_64] });
});

test('mkdir -p: parents that already existed (EEXIST) are not learned as created', () => {
  const r = new RunBuilder();
  r.exec('web', 7, '/bin/mkdir', ['mkdir', '-p', '/tmp/a/b']);
  for (const [path, result] of [['/', -17], ['/tmp', -17], ['/tmp/a', 0], ['/tmp/a/b', 0]] as const) {
    r.file('web', 7, 'mkdir', path);
    (r.events.at(-1) as { result: number }).result = result;
  }
  assert.deepEqual(learn(r).services.web!.files.create.map((f) => f.path), ['/tmp/a/', '/tmp/a/b/']);
});

test('two runs of the same behaviour give byte-identical files', () => {
  const a = stringifyBaseline(learn(shopRun(1, 'tmp.a8Xk2P'), shopRun(40, 'tmp.Zq81Lm')), SCHEMA);
  const b = stringifyBaseline(learn(shopRun(300, 'tmp.p0Op0O'), shopRun(9, 'tmp.7hHq2w')), SCHEMA);
  assert.equal(a, b);
  assert.match(a, /^# yaml-language-server: \$schema=\.\.\/assets\/schema\/baseline-v1\.schema\.json$/m);
  assert.match(a, /^\$schema: \.\.\/assets\/schema\/baseline-v1\.schema\.json$/m);
});

test('a change in behaviour changes only the lines it touches', () => {
  const before = stringifyBaseline(learn(shopRun(1)), SCHEMA).split('\n');
  const changed = shopRun(1);
  changed.open('web', 2, '/etc/nginx/mime.types', ['read']);
  const after = stringifyBaseline(learn(changed), SCHEMA).split('\n');
  const added = after.filter((l) => !before.includes(l));
  const removed = before.filter((l) => !after.includes(l));
  assert.deepEqual(removed, []);
  assert.deepEqual(added, ['        - { path: /etc/nginx/mime.types, runs: 1, by: [ /usr/sbin/nginx ] }']);
});

test('runs count how many learning runs saw an item: flaky items show fewer', () => {
  const flaky = shopRun(5);
  flaky.dns('worker', 5, 'sometimes.example.test');
  const b = learn(shopRun(1), flaky, shopRun(9));
  assert.equal(b.learned.runs, 3);
  assert.equal(b.services.worker!.runs, 3);
  assert.equal(b.services.worker!.dns.find((d) => d.name === 'web')!.runs, 3);
  assert.equal(b.services.worker!.dns.find((d) => d.name === 'sometimes.example.test')!.runs, 1);
});

test('merging is order-independent and matches learning from all runs at once', () => {
  const r1 = shopRun(1), r2 = shopRun(50, 'tmp.Kk29sX', 'drift'), r3 = shopRun(3);
  const all = learn(r1, r2, r3);
  const ab = mergeBaselines(mergeBaselines(learn(r1), learn(r2)), learn(r3));
  const ba = mergeBaselines(learn(r3), mergeBaselines(learn(r2), learn(r1)));
  assert.equal(stringifyBaseline(ab, SCHEMA), stringifyBaseline(all, SCHEMA));
  assert.equal(stringifyBaseline(ba, SCHEMA), stringifyBaseline(all, SCHEMA));
  assert.ok(all.services.worker!.executables.some((e) => e.path === '/usr/bin/id' && e.runs === 1));
});

test('a run given twice is learned once; the file names no runs, so other runs of the same behaviour give the same bytes (F15)', () => {
  const run = (id: string, r: RunBuilder) => ({ id, events: r.events });
  const once = learnBaseline([run('r1', shopRun(1))], { seccomp: 'unconfined' });
  const twice = learnBaseline([run('r1', shopRun(1)), run('r1', shopRun(1))], { seccomp: 'unconfined' });
  assert.equal(stringifyBaseline(twice, SCHEMA), stringifyBaseline(once, SCHEMA));
  assert.equal(twice.learned.runs, 1);
  const other = learnBaseline([run('r9', shopRun(1))], { seccomp: 'unconfined' });
  assert.equal(stringifyBaseline(other, SCHEMA), stringifyBaseline(once, SCHEMA), 'another run of the same behaviour');
  assert.doesNotMatch(stringifyBaseline(once, SCHEMA), /runIds|r1/);
  // Merging cannot tell that a run is in both: it counts twice (docs/baseline.md: merge only new runs).
  assert.equal(mergeBaselines(once, once).learned.runs, 2);
});

test('a file that lists learned.runIds (written for a few hours) reads, and the ids are dropped', () => {
  const text = stringifyBaseline(learn(shopRun(1)), SCHEMA).replace(/^ {2}runs: 1$/m, '  runs: 1\n  runIds: [ 0a706331ae ]');
  assert.match(text, /runIds/);
  const b = parseBaseline(text);
  assert.equal('runIds' in b.learned, false);
  assert.doesNotMatch(stringifyBaseline(b, SCHEMA, text), /runIds/);
});

test('merging keeps the weaker seccomp profile and refuses mixed architectures', () => {
  const a = learn(shopRun(1));
  const b = learnBaseline([{ events: shopRun(1).events }], { seccomp: 'default' });
  assert.equal(mergeBaselines(a, b).learned.seccomp, 'default');
  const arm = learnBaseline([{ events: shopRun(1).events, arch: 'aarch64' }], { seccomp: 'unconfined' });
  assert.throws(() => mergeBaselines(a, arm), /aarch64/);
});

test('the file parses back to the same baseline, and a bad one is refused with its path', () => {
  const b = learn(shopRun(1), shopRun(2));
  const text = stringifyBaseline(b, SCHEMA);
  assert.deepEqual(parseBaseline(text), { $schema: SCHEMA, ...b });
  assert.throws(() => parseBaseline(text.replace('version: 1', 'version: 2')), /version 2 is not supported/);
  assert.throws(() => parseBaseline(text.replace('seccomp: unconfined', 'seccomp: maybe')), /learned\.seccomp/);
  assert.throws(() => parseBaseline('services: [\n'), /not valid YAML/);
  const lines = serviceLines(text);
  assert.equal(text.split('\n')[lines.get('web')! - 1], '  web:');
  assert.equal(text.split('\n')[lines.get('worker')! - 1], '  worker:');
});

const letters = (n: number) => n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));

test('hostile input is bounded: huge numbers of distinct files fold into directory globs, never silently (F25)', () => {
  const r = new RunBuilder();
  r.exec('x', 1, '/bin/sh', ['sh']);
  for (let i = 0; i < 6000; i++) r.open('x', 1, `/data/file-${letters(i)}`, ['write']);
  for (let i = 0; i < 3000; i++) r.open('x', 1, `/var/cache/app/${letters(i)}/entry`, ['write']);
  r.open('x', 1, '/etc/app.conf', ['write']);
  r.open('x', 1, '/etc/' + 'A'.repeat(5000), ['read']);
  const notes: string[] = [];
  const b = learnBaseline([{ events: r.events }], { seccomp: 'unconfined', onBound: (n) => notes.push(`${n.service} ${n.list} ${n.items} ${n.folded.join(',')} ${n.truncated}`) });
  // The deepest directories fold first (the most specific globs), then shallower ones until the list fits.
  assert.deepEqual(b.services.x!.files.write.map((f) => f.path), ['/data/*', '/etc/app.conf', '/var/cache/app/**']);
  assert.deepEqual(notes, ['x files.write 9001 /data/*,/var/cache/app/** false']);
  assert.equal(b.services.x!.truncated, undefined);
  assert.ok(b.services.x!.files.read[0]!.path.length <= 4096);
});

test('paths fold deepest first, up to top-level directories; other lists over the bound are cut and marked (F25)', async () => {
  const { boundList } = await import('../../common/baseline/bounds.js');
  const paths = ['/a/b/c/1', '/a/b/c/2', '/a/b/d/1', '/a/b/d/2', '/a/b/d/3', '/a/x', '/b/y/'];
  assert.deepEqual([...new Set(boundList('write', paths, 5).into.values())], ['/a/b/c/1', '/a/b/c/2', '/a/b/d/*', '/a/x', '/b/y/']);
  assert.deepEqual([...new Set(boundList('write', paths, 3).into.values())], ['/a/b/**', '/a/x', '/b/y/']);
  assert.deepEqual([...new Set(boundList('write', paths, 2).into.values())], ['/a/**', '/b/y/']);
  const cut = boundList('write', paths, 1);
  assert.deepEqual([...new Set(cut.into.values())], ['/a/**'], 'top-level directories never fold into /**: the rest is cut');
  assert.equal(cut.note?.truncated, true);
  const r = new RunBuilder();
  for (let i = 0; i < 5003; i++) r.dns('x', 1, `${letters(i)}.example.test`);
  const b = learnBaseline([{ events: r.events }], { seccomp: 'unconfined' });
  assert.equal(b.services.x!.dns.length, 5000);
  assert.deepEqual(b.services.x!.truncated, ['dns']);
  assert.deepEqual(checkDrift(b, { events: r.events }).deviations, [], 'the run it was learned from does not drift');
  assert.match(stringifyBaseline(b, SCHEMA), /^ {4}truncated: \[ dns \]$/m);
});

test('people\'s comments on items and services survive re-learning, and go with their item', () => {
  const original = stringifyBaseline(learn(shopRun(1)), SCHEMA);
  const annotated = original
    .replace('  web:\n', '  # the public front end\n  web:\n')
    .replace('        - { path: /etc/nginx/nginx.conf,', '        # config is baked into the image\n        - { path: /etc/nginx/nginx.conf,')
    .replace(/(- \{ path: \/proc\/\*\/status.*\})\n/, '$1 # nginx reads its own status\n')
    .replace(/( {6}- \{ name: listen, .*\})\n/, '      # listen is needed\n$1\n');
  assert.notEqual(annotated, original);
  // Nothing changed: the annotated file is reproduced exactly.
  assert.equal(stringifyBaseline(parseBaseline(annotated), SCHEMA, annotated), annotated);
  // Behaviour changed: new lines appear, notes stay with their items.
  const changed = shopRun(1);
  changed.open('web', 2, '/etc/nginx/mime.types', ['read']);
  const relearned = stringifyBaseline(learn(changed), SCHEMA, annotated);
  const added = relearned.split('\n').filter((l) => !annotated.split('\n').includes(l));
  assert.deepEqual(added, ['        - { path: /etc/nginx/mime.types, runs: 1, by: [ /usr/sbin/nginx ] }']);
  assert.match(relearned, /# the public front end\n {2}web:/);
  assert.match(relearned, /# nginx reads its own status/);
  assert.match(relearned, /# listen is needed\n {6}- \{ name: listen,/);
  // An item that is gone takes its note with it.
  const gone = stringifyBaseline(learn(new RunBuilder().exec('web', 1, '/bin/sh', ['sh'])), SCHEMA, annotated);
  assert.doesNotMatch(gone, /nginx reads its own status/);
});
