import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments, parse } from 'yaml';
import { learnBaseline } from '../../common/baseline/learn.js';
import { exportPolicy, exportWarnings } from '../../common/export/index.js';
import { seccompProfile, RUNTIME_SYSCALLS } from '../../common/export/seccomp.js';
import { apparmorPath } from '../../common/export/apparmor.js';
import { imageRepository } from '../../common/export/falco.js';
import { ALWAYS_ALLOWED } from '../../common/baseline/always-allowed.js';
import { shopRun } from '../baseline/events-fixture.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), 'utf8'));
const baseline = learnBaseline([{ events: shopRun(1).events, images: { web: 'registry.local:5000/shop/web:1.2@sha256:abc' } }], { seccomp: 'unconfined' });

test('seccomp: deny by default, allow what was seen, the always-allowed list and the runtime', () => {
  const p = seccompProfile(baseline, 'worker');
  assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(p.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const names = p.syscalls[0]!.names;
  for (const n of ['connect', 'socket', ...ALWAYS_ALLOWED.x86_64, ...RUNTIME_SYSCALLS]) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('accept4'), 'another service\'s calls are not allowed');
  assert.ok(!names.includes('ptrace'));
  assert.deepEqual(names, [...names].sort());
  assert.throws(() => seccompProfile(baseline), /pass --service \(web, worker\)/);
  assert.throws(() => seccompProfile(baseline, 'nope'), /no service "nope"/);
  const hostile = structuredClone(baseline);
  hostile.services.worker!.syscalls.push({ name: 'read"],"action":"SCMP_ACT_ALLOW', runs: 1, by: [] });
  assert.ok(!seccompProfile(hostile, 'worker').syscalls[0]!.names.some((n) => n.includes('"')));
});

test('seccomp export warns when learned under the default profile', () => {
  const b = learnBaseline([{ events: shopRun(1).events }], { seccomp: 'default' });
  assert.match(exportWarnings(b, 'seccomp')[0]!, /default seccomp profile/);
  assert.deepEqual(exportWarnings(baseline, 'seccomp'), []);
});

test('NetworkPolicy: valid per the v1 structure schema; ingress from peers to ports, egress plus DNS', () => {
  const validate = new Ajv({ strict: false }).compile(schema('networkpolicy-v1.schema.json'));
  const docs = parseAllDocuments(exportPolicy(baseline, 'networkpolicy')).map((d) => d.toJS());
  assert.equal(docs.length, 2);
  for (const d of docs) assert.equal(validate(d), true, JSON.stringify(validate.errors));
  const [web, worker] = docs;
  assert.deepEqual(web.spec.ingress, [{ from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ protocol: 'TCP', port: 80 }] }]);
  assert.deepEqual(web.spec.egress, [], 'web resolved no names and called nobody: all egress denied');
  assert.deepEqual(worker.spec.egress.map((e: { ports: { port: number }[] }) => e.ports[0]!.port), [80, 443, 53]);
  assert.deepEqual(worker.spec.egress[1].to, [{ ipBlock: { cidr: '192.0.2.10/32' } }]);
  assert.equal(validate({ ...web, spec: { ...web.spec, policyTypes: ['Sideways'] } }), false, 'the schema can fail');
});

test('NetworkPolicy: a UDP server is opened to the services that sent to its port (UDP has no accept)', () => {
  const b = structuredClone(baseline);
  const seen = { runs: 1, by: [] };
  b.services.web!.listen.push({ protocol: 'udp', port: 8125, ...seen });
  b.services.worker!.outbound.push({ peer: 'web', kind: 'service', protocol: 'udp', port: 8125, ...seen });
  const [web] = parseAllDocuments(exportPolicy(b, 'networkpolicy', 'web')).map((d) => d.toJS());
  assert.deepEqual(web.spec.ingress.find((r: { ports: { protocol: string }[] }) => r.ports[0]!.protocol === 'UDP'),
    { from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ protocol: 'UDP', port: 8125 }] });
  assert.doesNotMatch(exportPolicy(b, 'networkpolicy', 'web'), /listen udp\/8125: no peer/);
});

test('Falco: valid rules structure, unique names, lists referenced exist, exepath not proc.name', () => {
  const validate = new Ajv({ strict: false }).compile(schema('falco-rules.schema.json'));
  const items = parse(exportPolicy(baseline, 'falco')) as Record<string, unknown>[];
  assert.equal(validate(items), true, JSON.stringify(validate.errors));
  const names = items.map((i) => String(i.rule ?? i.list ?? i.macro));
  assert.equal(new Set(names).size, names.length);
  for (const i of items.filter((x) => x.condition)) {
    for (const ref of String(i.condition).match(/imprint_[a-z0-9_]+/g) ?? []) assert.ok(names.includes(ref), ref);
    assert.doesNotMatch(String(i.condition), /proc\.name/);
    assert.equal((String(i.condition).match(/\(/g) ?? []).length, (String(i.condition).match(/\)/g) ?? []).length);
  }
  const web = items.find((i) => i.macro === 'imprint_web_container')!;
  assert.match(String(web.condition), /container\.image\.repository = "registry\.local:5000\/shop\/web"/);
  const webOut = items.find((i) => i.rule === 'Imprint drift - unexpected outbound connection in web')!;
  assert.doesNotMatch(String(webOut.condition), /in \(imprint_web_outbound_ports\)/, 'an empty allow-list is not written as in ()');
  assert.equal(validate([{ rule: 'x', condition: 'y' }]), false, 'the schema can fail');
});

test('Falco: services that share an image are told apart by name, also when one is exported alone', () => {
  const shared = learnBaseline([{ events: shopRun(1).events, images: { web: 'shop/app:1', worker: 'shop/app:1' } }], { seccomp: 'unconfined' });
  for (const only of [undefined, 'worker']) {
    const text = exportPolicy(shared, 'falco', only);
    const items = parse(text) as Record<string, unknown>[];
    const worker = String(items.find((i) => i.macro === 'imprint_worker_container')!.condition);
    assert.match(worker, /container\.image\.repository = "shop\/app" and \(container\.label\.com\.docker\.compose\.service = "worker" or k8s\.container\.name = "worker" or container\.name = "worker"\)/);
    assert.match(text, /note: worker: another service runs shop\/app too/);
  }
  // said where it is read too: the CLI prints export warnings on stderr, the app above the text
  assert.match(exportWarnings(shared, 'falco').join('\n'), /web, worker run the same image \(shop\/app\)/);
  assert.deepEqual(exportWarnings(baseline, 'falco').filter((w) => /same image/.test(w)), []);
  const web = String((parse(exportPolicy(baseline, 'falco')) as Record<string, unknown>[]).find((i) => i.macro === 'imprint_web_container')!.condition);
  assert.doesNotMatch(web, /compose\.service/, 'an image of its own is scope enough');
});

test('two services whose names slug alike are refused together, exported one at a time', () => {
  const b = structuredClone(baseline);
  b.services['web_1'] = b.services.web!;
  b.services['web-1'] = b.services.worker!;
  assert.throws(() => exportPolicy(b, 'networkpolicy'), /services "web-1" and "web_1" would both be named "web-1"/);
  assert.match(exportPolicy(b, 'networkpolicy', 'web_1'), /name: web-1/);
});

test('image repository strips tag and digest but keeps a registry port', () => {
  assert.equal(imageRepository('redis:7'), 'redis');
  assert.equal(imageRepository('registry.local:5000/a/b'), 'registry.local:5000/a/b');
  assert.equal(imageRepository('a/b:1@sha256:00'), 'a/b');
});

test('AppArmor: paths escaped, profiles parse with apparmor_parser when it is installed', (t) => {
  assert.equal(apparmorPath('/etc/a b'), '"/etc/a b"');
  assert.equal(apparmorPath('/etc/{x}'), '/etc/\\{x\\}');
  assert.equal(apparmorPath('relative'), undefined);
  assert.equal(apparmorPath('/etc/\nevil'), undefined);
  // the baseline's escapes (common/protocol/text.ts) are read back before AppArmor's own
  assert.equal(apparmorPath('/tmp/back\\\\slash'), '/tmp/back\\\\slash', 'one backslash, escaped once');
  assert.equal(apparmorPath('/tmp/odd\\xff'), undefined, 'not UTF-8');
  assert.equal(apparmorPath('/tmp/tab\\x09x'), undefined, 'a control byte');
  assert.equal(apparmorPath('/tmp/caf\u00e9'), '/tmp/caf\u00e9');
  // a star in a name (`\*` in the baseline) is a literal star; a folded part stays a glob
  assert.equal(apparmorPath('/srv/\\*/data-*'), '/srv/\\*/data-*');
  assert.equal(apparmorPath('/srv/back\\\\*'), '/srv/back\\\\*', 'a backslash in the name, then a glob');
  const starred = structuredClone(baseline);
  starred.services.web!.files.read.push({ ...starred.services.web!.files.read[0]!, path: '/srv/\\*/x' });
  const text = exportPolicy(starred, 'apparmor');
  assert.match(text, /^  \/srv\/\\\*\/x r,$/m, 'a literal star reaches the profile escaped');
  assert.match(text, /^profile imprint-web flags=\(attach_disconnected,mediate_deleted\) \{$/m);
  assert.match(text, /^  \/usr\/sbin\/nginx mrix,$/m);
  assert.match(text, /^  \/var\/lib\/nginx\/body\/\* w,$/m);
  assert.match(text, /^  owner \/proc\/\*\/status r,$/m, '/proc/<pid> entries are the process\'s own');
  if (spawnSync('apparmor_parser', ['--version']).status !== 0) { t.skip('apparmor_parser is not installed: structural checks only'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'imprint-aa-'));
  try {
    const file = join(dir, 'profile');
    writeFileSync(file, text);
    // -Q: parse and compile without loading into the kernel; -K: no cache.
    execFileSync('apparmor_parser', ['-Q', '-K', file], { stdio: 'pipe' });
    writeFileSync(file, text.replace('capability,', 'capability bogus-cap,'));
    assert.throws(() => execFileSync('apparmor_parser', ['-Q', '-K', file], { stdio: 'pipe' }), 'the parser can fail');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('seccomp on aarch64 uses its architectures and the aarch64 always-allowed list', () => {
  const arm = learnBaseline([{ events: shopRun(1).events, arch: 'aarch64' }], { seccomp: 'unconfined' });
  const p = seccompProfile(arm, 'web');
  assert.deepEqual(p.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  assert.ok(!p.syscalls[0]!.names.includes('arch_prctl'), 'x86-only hot calls are not listed');
  assert.ok(p.syscalls[0]!.names.includes('accept4'));
});
