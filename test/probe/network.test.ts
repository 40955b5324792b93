/** Network under the probe: a server in one container, clients in others that find it by name on a
 * user-defined network (Docker's embedded DNS), with musl (sendto) and glibc (connect + sendmmsg). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImprintEvent } from '../../common/events.js';
import { BUSYBOX, DEBIAN, assertComplete, createNetwork, docker, logLines, ofKind, runProbed, startProbed, type ProbeHandle } from './probe-harness.js';

const net = `imprint-test-net-${process.pid}`;
const serverName = `imprint-test-server-${process.pid}`;
let removeNet: () => void = () => {};
let server: ProbeHandle;
let serverIp = '';

before(async () => {
  removeNet = createNetwork(net);
  server = await startProbed({
    image: BUSYBOX,
    cmd: ['/bin/sh', '-c', 'while true; do echo hello-from-server | nc -l -p 8080; done'],
    dockerArgs: ['--network', net, '--name', serverName],
  });
  await server.waitFor((e) => e.kind === 'listen');
  serverIp = docker(['inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, server.id]);
});

after(() => {
  server?.remove();
  removeNet();
});

function dnsFor(events: ImprintEvent[], name: string) {
  const dns = events.filter((e) => e.kind === 'dns' && e.name.startsWith(name));
  return {
    queries: dns.filter((e) => e.kind === 'dns' && e.phase === 'query'),
    answers: dns.filter((e) => e.kind === 'dns' && e.phase === 'answer'),
  };
}

test('the server reports bind and listen with its port', async () => {
  const bind = server.waitFor((e) => e.kind === 'bind');
  const listen = await server.waitFor((e) => e.kind === 'listen');
  assert.equal(listen.kind, 'listen');
  assert.equal(listen.kind === 'listen' && listen.local?.port, 8080);
  const b = await bind;
  assert.equal(b.kind === 'bind' && b.local?.port, 8080);
  assert.equal(b.kind === 'bind' && b.protocol, 'tcp');
});

test('musl client: DNS query and answer for the server name, then connect; the server accepts', async () => {
  const run = await runProbed({ image: BUSYBOX, cmd: ['/bin/sh', '-c', `/opt/fixture/dns-lookup ${serverName} && nc ${serverName} 8080 </dev/null`], dockerArgs: ['--network', net] });
  assertComplete(run);
  const { queries, answers } = dnsFor(run.events, serverName);
  assert.ok(queries.length >= 1, 'query seen');
  const q = queries[0]!;
  assert.ok(q.kind === 'dns' && q.server?.port === 53 && q.transport === 'udp');
  assert.ok(answers.some((a) => a.kind === 'dns' && a.answers?.includes(`A ${serverIp}`)), `answers: ${JSON.stringify(answers)}`);
  const connect = ofKind(run, 'connect').find((c) => c.peer?.port === 8080);
  assert.equal(connect?.peer?.address, serverIp);
  assert.ok(connect && (connect.result === 0 || connect.result === -115));
  assert.ok(logLines(run).includes('hello-from-server'));
  const accept = await server.waitFor((e) => e.kind === 'accept' && e.result >= 0);
  assert.ok(accept.kind === 'accept' && accept.local?.port === 8080);
});

test('glibc client (Debian, dynamic): DNS over a connected UDP socket is seen, and the connection', async () => {
  const run = await runProbed({ image: DEBIAN, cmd: ['bash', '-c', `getent hosts ${serverName}; nc -w 2 ${serverName} 8080 </dev/null`], dockerArgs: ['--network', net] });
  assertComplete(run);
  const { queries, answers } = dnsFor(run.events, serverName);
  assert.ok(queries.length >= 1, `queries: ${JSON.stringify(ofKind(run, 'dns'))}`);
  assert.ok(answers.some((a) => a.kind === 'dns' && a.answers?.includes(`A ${serverIp}`)), `answers: ${JSON.stringify(answers)}`);
  assert.ok(ofKind(run, 'connect').some((c) => c.peer?.address === serverIp && c.peer.port === 8080));
  assert.ok(logLines(run).some((l) => l.startsWith(serverIp)));
});

test('unix sockets: path and abstract (@name) addresses on bind, listen and connect', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/unix-sockets'] });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['path: 0', 'abstract: 0']);
  const binds = ofKind(run, 'bind').map((b) => [b.family, b.local?.address, b.result]);
  assert.deepEqual(binds, [['unix', '/tmp/imprint.sock', 0], ['unix', '@imprint-test', 0]]);
  assert.deepEqual(ofKind(run, 'listen').map((l) => l.local?.address), ['/tmp/imprint.sock', '@imprint-test']);
  assert.deepEqual(ofKind(run, 'connect').map((c) => [c.peer?.address, c.protocol, c.result]),
    [['/tmp/imprint.sock', 'unix', 0], ['@imprint-test', 'unix', 0]]);
  assert.equal(ofKind(run, 'accept').filter((a) => a.result >= 0).length, 2);
});

test('datagrams sent to an address without connect: each socket\'s first send to each destination is a CONNECT', async () => {
  for (const probeArgs of [[], ['--no-seccomp']]) {
    const run = await runProbed({ cmd: ['/opt/fixture/udp-send'], probeArgs });
    assertComplete(run);
    assert.deepEqual(logLines(run), ['sent 8', 'echo 4', 'fanned 70']);
    const connects = ofKind(run, 'connect').map((c) => [c.protocol, c.peer?.address, c.peer?.port, c.result]);
    assert.deepEqual(connects.slice(0, 5), [
      ['udp', '127.0.0.1', 8125, 0], // three sendto: once
      ['udp', '127.0.0.1', 8126, 0], // sendmsg
      ['udp', '127.0.0.1', 8127, 0], // the new destination of a sendmmsg batch; its later sendto is not repeated
      ['unix', '/tmp/log.sock', 0, 0], // a syslog-style datagram
      ['udp', '127.0.0.1', 5353, 0], // the echo client; the server's answer to the client's port is no connection
    ], probeArgs.join(' '));
    // the fan-out: 64 destinations remembered and reported, then a notice instead of one event per datagram
    assert.equal(connects.slice(5).length, 64, probeArgs.join(' '));
    assert.ok(connects.slice(5).every(([, , port]) => Number(port) >= 9000 && Number(port) < 9064));
    assert.ok(ofKind(run, 'notice').some((n) => n.code === 'sends-untracked'));
  }
});

test('a connect interrupted by signals and restarted by the kernel is one connect, with its real result', async () => {
  // No host has this address on the test's network: the connect waits for ARP (about 3 s) and fails.
  // SIGCHLD is ignored by nc, yet a traced process stops for it and the kernel restarts the connect.
  const nobody = serverIp.replace(/\.\d+$/, '.250');
  const run = await runProbed({
    image: BUSYBOX,
    cmd: ['/bin/sh', '-c', `nc ${nobody} 9 </dev/null & p=$!; sleep 0.5; kill -CHLD $p; sleep 0.3; kill -CHLD $p; wait $p; echo done`],
    dockerArgs: ['--network', net],
  });
  assertComplete(run);
  const connects = ofKind(run, 'connect').filter((c) => c.peer?.address === nobody);
  assert.equal(connects.length, 1, JSON.stringify(connects.map((c) => c.result)));
  assert.ok(connects[0]!.result < 0 && connects[0]!.result > -512, `a result the app saw: ${connects[0]!.result}`);
});
