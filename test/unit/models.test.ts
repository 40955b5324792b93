import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { RunModels } from '../../common/models/index.js';

let seq = 0;
const at = (service: string, pid: number, time: number) => ({ seq: ++seq, time, service, container: `c-${service}`, pid, tid: pid });
const net = (service: string, kind: 'connect' | 'accept' | 'listen' | 'bind', peer: { address: string; port: number } | undefined, opts: { local?: { address: string; port: number }; protocol?: 'tcp' | 'udp'; result?: number; time?: number } = {}): ImprintEvent => ({
  ...at(service, 10, opts.time ?? 1000), kind, fd: 3, family: 'inet', protocol: opts.protocol ?? 'tcp', result: opts.result ?? 0,
  ...(peer ? { peer: { ...peer } } : {}), ...(opts.local ? { local: opts.local } : {}),
});

test('process tree: fork, exec, exit, threads, exec chains', () => {
  const m = new RunModels();
  m.foldAll([
    { ...at('app', 1, 1), kind: 'exec', path: '/bin/sh', argv: ['sh', '-c', 'x'], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 },
    { ...at('app', 1, 2), kind: 'fork', child: 2, clone: 'fork' },
    { ...at('app', 1, 3), kind: 'fork', child: 3, clone: 'thread' },
    { ...at('app', 2, 4), kind: 'exec', path: '/bin/ls', argv: ['ls'], argc: 1, cwd: '/', uid: 0, gid: 0, result: 0 },
    { ...at('app', 2, 5), kind: 'exec', path: '/bin/cat', argv: ['cat'], argc: 1, cwd: '/', uid: 0, gid: 0, result: 0 },
    { ...at('app', 2, 6), kind: 'exec', path: '/nope', argv: ['nope'], argc: 1, cwd: '/', uid: 0, gid: 0, result: -2 },
    { ...at('app', 2, 7), kind: 'exit', code: 3 },
  ]);
  const root = m.processes.get('c-app', 1)!;
  const child = m.processes.get('c-app', 2)!;
  assert.deepEqual([root.exe, root.threads, root.children, m.processes.roots], ['/bin/sh', 1, ['c-app:2'], ['c-app:1']]);
  assert.deepEqual([child.exe, child.execs, child.parent, child.exitCode, child.ended], ['/bin/cat', ['/bin/ls'], 'c-app:1', 3, 7]);
  assert.equal(m.processes.nodes.size, 2);
});

test('file activity: reads, writes, creates, deletes, failures, per path and service', () => {
  const m = new RunModels();
  m.foldAll([
    { ...at('a', 1, 1), kind: 'open', path: '/etc/hosts', access: ['read'], result: 3 },
    { ...at('b', 1, 2), kind: 'open', path: '/etc/hosts', access: ['read'], result: 3 },
    { ...at('a', 1, 3), kind: 'open', path: '/tmp/x', access: ['write', 'create', 'truncate'], result: 4 },
    { ...at('a', 1, 4), kind: 'open', path: '/lib/missing.so', access: ['read'], result: -2 },
    { ...at('a', 1, 5), kind: 'rename', path: '/tmp/x', path2: '/tmp/y', result: 0 },
    { ...at('a', 1, 6), kind: 'unlink', path: '/tmp/y', result: 0 },
  ]);
  const f = (p: string) => m.files.files.get(p)!;
  assert.deepEqual([f('/etc/hosts').reads, f('/etc/hosts').services, f('/etc/hosts').first, f('/etc/hosts').last], [2, ['a', 'b'], 1, 2]);
  assert.deepEqual([f('/tmp/x').writes, f('/tmp/x').creates, f('/tmp/x').deletes], [1, 1, 1]);
  assert.deepEqual([f('/lib/missing.so').failures, f('/lib/missing.so').reads], [1, 0]);
  assert.deepEqual([f('/tmp/y').changes, f('/tmp/y').deletes], [1, 1]);
});

test('graph: services by address, outside endpoints by DNS name, listen ports, one edge per pair', () => {
  const m = new RunModels();
  m.addService('web', { addresses: ['10.5.0.2'] });
  m.addService('redis', { addresses: ['10.5.0.3'] });
  m.addService('api');
  m.foldAll([
    net('redis', 'listen', undefined, { local: { address: '0.0.0.0', port: 6379 } }),
    net('web', 'connect', { address: '10.5.0.3', port: 6379 }),
    net('web', 'connect', { address: '10.5.0.3', port: 6379 }, { time: 2000 }),
    net('redis', 'accept', { address: '10.5.0.2', port: 40000 }, { local: { address: '', port: 6379 } }),
    { ...at('web', 10, 1500), kind: 'dns', phase: 'answer', name: 'example.internal', qtype: 'A', id: 1, answers: ['A 10.9.9.9', 'CNAME x.y'] },
    net('web', 'connect', { address: '10.9.9.9', port: 443 }),
    net('web', 'connect', { address: '10.9.9.8', port: 443 }, { result: -111 }),
    // api resolves by its service name before the engine knew its address: DNS maps it to the service
    { ...at('web', 10, 1600), kind: 'dns', phase: 'answer', name: 'api', qtype: 'A', id: 2, answers: ['A 10.5.0.4'] },
    net('web', 'connect', { address: '10.5.0.4', port: 8080 }),
    net('redis', 'accept', { address: '192.168.1.50', port: 5555 }, { local: { address: '', port: 6379 } }),
  ]);
  const g = m.graph.snapshot();
  const edge = (from: string, to: string, port: number) => g.edges.find((e) => e.from === from && e.to === to && e.port === port);
  assert.deepEqual(g.nodes.find((n) => n.id === 'service:redis')?.listen, [{ protocol: 'tcp', port: 6379 }]);
  assert.deepEqual([edge('service:web', 'service:redis', 6379)?.count, edge('service:web', 'service:redis', 6379)?.last], [2, 2000]);
  assert.equal(g.edges.filter((e) => e.to === 'service:redis').length, 2, 'accept from web not double-counted; outside accept drawn');
  assert.equal(edge('service:web', 'external:example.internal', 443)?.count, 1);
  assert.equal(edge('service:web', 'external:10.9.9.8', 443)?.failures, 1);
  assert.equal(edge('service:web', 'service:api', 8080)?.count, 1);
  assert.equal(edge('external:192.168.1.50', 'service:redis', 6379)?.count, 1);
});

test('peer namer writes names into the events themselves (captures carry them)', () => {
  const m = new RunModels();
  m.addService('db', { addresses: ['10.0.0.7'] });
  const ev = net('app', 'connect', { address: '10.0.0.7', port: 5432 });
  m.fold(ev);
  assert.equal(ev.kind === 'connect' && ev.peer?.service, 'db');
});

test('timeline and counters: buckets by category and service, rate, gaps', () => {
  const m = new RunModels({ bucketMs: 1000 });
  for (let i = 0; i < 50; i++) m.fold({ ...at('a', 1, 10_000 + i * 100), kind: 'log', stream: 'stdout', line: 'x' });
  m.fold({ ...at('b', 1, 10_050), kind: 'open', path: '/x', access: ['read'], result: 3, truncated: true });
  m.counters.noteGap(4);
  const s = m.snapshot(15_000);
  assert.deepEqual(s.timeline.buckets.map((b) => b.total), [11, 10, 10, 10, 10]);
  assert.deepEqual([s.timeline.buckets[0]!.byCategory.file, s.timeline.buckets[0]!.byService.b], [1, 1]);
  assert.equal(s.counters.events, 51);
  assert.equal(s.counters.rate, 51 / 5);
  assert.deepEqual([s.counters.dropped, s.counters.seqGaps, s.counters.truncated], [4, 1, 1]);
  assert.deepEqual(s.counters.byKind, { log: 50, open: 1 });
  assert.doesNotThrow(() => JSON.stringify(s));
});

test('models stay bounded under a process storm', () => {
  const m = new RunModels();
  for (let pid = 2; pid < 100_000 + 50; pid++) m.fold({ ...at('a', 1, 1), kind: 'fork', child: pid, clone: 'fork' });
  assert.equal(m.processes.nodes.size, 100_000);
  assert.ok(m.processes.untracked > 0);
});

test('file events whose path could not be read are counted, not listed under an empty path', () => {
  const m = new RunModels();
  m.fold({ ...at('a', 1, 1), kind: 'open', path: '', access: ['read'], result: 3, unreadable: true });
  assert.equal(m.files.files.size, 0);
  assert.equal(m.files.snapshot().unreadablePaths, 1);
});

test('the Docker host (a network gateway of the run) is the peer `host` live, as in baselines', async () => {
  const { connectionGraph } = await import('../../renderer/src/model/views.js');
  const { learnBaseline } = await import('../../common/baseline/learn.js');
  const { checkDrift } = await import('../../common/baseline/check.js');
  const run = (gateway: string) => {
    const m = new RunModels();
    m.addService('web', { addresses: ['172.18.0.2'], gateways: [gateway] });
    const events = [
      net('web', 'listen', undefined, { local: { address: '0.0.0.0', port: 80 } }),
      net('web', 'accept', { address: gateway, port: 40100 }, { local: { address: '172.18.0.2', port: 80 } }),
    ];
    m.foldAll(events);
    return { m, events };
  };
  const first = run('172.18.0.1');
  const accepted = first.events[1]!;
  assert.equal(accepted.kind === 'accept' && accepted.peer?.host, true, 'the event itself says host (captures and the UI read it)');
  assert.deepEqual(first.m.graph.snapshot().nodes.map((n) => n.label).sort(), ['host', 'web']);
  assert.ok(connectionGraph(first.events).nodes.some((n) => n.label === 'host'), 'the UI graph names it too');
  // A later run gets a new gateway address: the app's live check must not call it new.
  const baseline = learnBaseline([{ events: first.events }], { seccomp: 'unconfined' });
  const later = run('172.19.0.1');
  assert.deepEqual(checkDrift(baseline, { events: later.events, incomplete: [] }).deviations.map((d) => d.rule), []);
});

test('another container on the run\'s network (not the run\'s) is named by the network, live and in baselines', async () => {
  const { learnBaseline } = await import('../../common/baseline/learn.js');
  const { checkDrift } = await import('../../common/baseline/check.js');
  const { exportPolicy } = await import('../../common/export/index.js');
  const run = (subnet: string, server: string, client: string) => {
    const m = new RunModels();
    m.addService('cache', { addresses: [server], networks: [{ name: 'qa-net', subnets: [subnet] }] });
    const events = [
      net('cache', 'listen', undefined, { local: { address: '0.0.0.0', port: 6379 } }),
      net('cache', 'accept', { address: client, port: 40100 }, { local: { address: server, port: 6379 } }),
      net('cache', 'connect', { address: '10.200.0.1', port: 53 }, { protocol: 'udp' }),
    ];
    m.foldAll(events);
    return { m, events };
  };
  const first = run('192.168.160.0/20', '192.168.160.2', '192.168.160.3');
  const accepted = first.events[1]!;
  assert.equal(accepted.kind === 'accept' && accepted.peer?.network, 'qa-net');
  const outside = first.events[2]!;
  assert.equal(outside.kind === 'connect' && outside.peer?.network, undefined, 'outside the subnet: an address');
  assert.ok(first.m.graph.snapshot().nodes.some((n) => n.label === 'network qa-net'));
  const baseline = learnBaseline([{ events: first.events }], { seccomp: 'unconfined' });
  assert.deepEqual(baseline.services.cache!.inbound.map((i) => [i.peer, i.kind, i.port]), [['qa-net', 'network', 6379]]);
  // The network recreated: new subnet, new addresses; the same behaviour.
  const later = run('192.168.176.0/20', '192.168.176.2', '192.168.176.4');
  assert.deepEqual(checkDrift(baseline, { events: later.events, incomplete: [] }).deviations.map((d) => d.rule), []);
  const policy = exportPolicy(baseline, 'networkpolicy');
  assert.match(policy, /podSelector: \{\}/);
  assert.match(policy, /network qa-net: another container on that network/);
});

test('a non-blocking connect asked again for its outcome is one connection (graph, UI graph, show)', async () => {
  const { connectionGraph } = await import('../../renderer/src/model/views.js');
  const { connectionsOf } = await import('../../common/baseline/connections.js');
  const m = new RunModels();
  m.addService('redis', { addresses: ['10.5.0.3'] });
  const events: ImprintEvent[] = [];
  for (let i = 0; i < 3; i++) {
    // hiredis: connect → EINPROGRESS, poll, connect again → 0 (or EISCONN); a new socket per iteration
    events.push(net('client', 'connect', { address: '10.5.0.3', port: 6379 }, { result: -115 }));
    events.push(net('client', 'connect', { address: '10.5.0.3', port: 6379 }, { result: i === 2 ? -106 : 0 }));
  }
  events.push(net('client', 'connect', { address: '10.5.0.3', port: 6379 }, { result: 0 })); // a blocking one
  m.foldAll(events);
  assert.deepEqual(m.graph.snapshot().edges.map((e) => [e.to, e.count, e.failures]), [['service:redis', 4, 0]]);
  assert.deepEqual(connectionGraph(events).edges.map((e) => e.count), [4]);
  assert.deepEqual(connectionsOf(events).flows.map((f) => [f.peer, f.count]), [['redis', 4]]);
});
