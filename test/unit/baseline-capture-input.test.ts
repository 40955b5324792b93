import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureText } from '../../common/baseline/capture-input.js';
import { learnBaseline } from '../../common/baseline/learn.js';

const header = { format: 'imprint-capture', version: 1, eventSchema: 1, imprint: '0.1.0', runId: 'r1', mode: 'compose', startedAt: 1, seccomp: 'unconfined',
  probe: { file: 'probe', arch: 'x86_64' }, services: [{ service: 'cache', image: 'shop/cache:1', config: {} }, { service: 'worker', image: 'shop/worker:1', config: {} }] };
const base = (service: string, seq: number) => ({ seq, time: seq, service, container: `${service}-c`, pid: 5, tid: 5 });
const connect = (service: string, seq: number, address: string, port: number, peerService?: string) =>
  ({ ...base(service, seq), kind: 'connect', fd: 3, family: 'inet', protocol: 'tcp', peer: { address, port, ...(peerService ? { service: peerService } : {}) }, result: 0 });
const accept = (seq: number, address: string) =>
  ({ ...base('cache', seq), kind: 'accept', fd: 6, family: 'inet', protocol: 'tcp', peer: { address, port: 40000 }, local: { address: '', port: 6379 }, result: 8 });
const container = (service: string, addresses: string[]) => ({ record: 'container', time: 9, service, container: `${service}-c`, name: service, addresses });
const end = { record: 'end', time: 10, complete: true, problems: [], events: 3, missing: 0, decodeErrors: 0 };
const capture = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

test('reads images, arch, seccomp and completeness from a capture', () => {
  const input = readCaptureText(capture([header, container('cache', ['10.0.0.2']), end]));
  assert.deepEqual(input.images, { cache: 'shop/cache:1', worker: 'shop/worker:1' });
  assert.equal(input.arch, 'x86_64');
  assert.equal(input.seccomp, 'unconfined');
  assert.deepEqual(input.incomplete, []);
  assert.ok(readCaptureText(capture([header])).incomplete.length > 0, 'no end record');
});

test('peers are named from container records when the engine could not name them', () => {
  const input = readCaptureText(capture([header, connect('worker', 2, '10.0.0.2', 6379), container('cache', ['10.0.0.2']), container('worker', ['10.0.0.3']), accept(2, '10.0.0.3'), end]));
  const [c, a] = input.events as { peer: { service?: string } }[];
  assert.equal(c!.peer.service, 'cache');
  assert.equal(a!.peer.service, 'worker');
});

test('a client gone before its address was read is named by its own connect, only when unambiguous', () => {
  // worker exited before the engine inspected it: its record has no address.
  const lines = [header, container('cache', ['10.0.0.2']), container('worker', []), connect('worker', 2, '10.0.0.2', 6379, 'cache'), accept(2, '10.0.0.3'), end];
  const b = learnBaseline([readCaptureText(capture(lines))], { seccomp: 'unconfined' });
  assert.deepEqual(b.services.cache!.inbound.map((i) => [i.peer, i.kind]), [['worker', 'service']]);
  const two = [...lines.slice(0, -1), connect('admin', 2, '10.0.0.2', 6379, 'cache'), end];
  const b2 = learnBaseline([readCaptureText(capture(two))], { seccomp: 'unconfined' });
  assert.deepEqual(b2.services.cache!.inbound.map((i) => [i.peer, i.kind]), [['10.0.0.3', 'address']], 'two clients: cannot tell which');
});

test('the Docker host (a network gateway, new every run) is the stable peer `host`, and no NetworkPolicy ipBlock (F21)', async () => {
  const { checkDrift } = await import('../../common/baseline/check.js');
  const { networkPolicy } = await import('../../common/export/networkpolicy.js');
  const run = (gateway: string) => readCaptureText(capture([
    header, { ...container('cache', ['172.22.0.2']), gateways: [gateway] }, accept(2, gateway), end,
  ]));
  const b = learnBaseline([run('172.22.0.1')], { seccomp: 'unconfined' });
  assert.deepEqual(b.services.cache!.inbound.map((i) => [i.peer, i.kind, i.port]), [['host', 'host', 6379]]);
  const drift = checkDrift(b, run('172.23.0.1'));
  assert.deepEqual(drift.deviations, [], 'the next run\'s different gateway is the same host');
  const { policy, notes } = networkPolicy('cache', b.services.cache!);
  assert.doesNotMatch(JSON.stringify(policy), /172\.22/);
  assert.ok(notes.some((n) => /host/.test(n)));
});
