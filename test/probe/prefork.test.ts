/** Prefork servers (nginx, Apache): the master binds and listens, forked workers accept. The workers'
 * accepts must say TCP and carry the listening port, although the workers never made that socket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertComplete, logLines, ofKind, runProbed } from './probe-harness.js';

const PORT = 18081;
/** Sockets opened between bind and listen: more than a 1,024-slot table holds, so a table that
 * overwrites on collision loses the listener. */
const FILLER = 1200;

test('prefork: workers accept on the inherited listener as tcp with its local port', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/prefork-server', String(PORT), String(FILLER)] });
  assertComplete(run);
  assert.deepEqual(logLines(run).sort(), ['master connected 2', 'worker1 accepted 1', 'worker2 accepted 1']);

  const listen = ofKind(run, 'listen').find((l) => l.result === 0);
  assert.ok(listen, 'listen seen');
  const master = listen.pid;
  assert.equal(listen.local?.port, PORT, `listen after ${FILLER} more sockets keeps its bound port`);
  assert.equal(listen.protocol, 'tcp');

  const accepts = ofKind(run, 'accept').filter((a) => a.result >= 0);
  assert.equal(accepts.length, 2, JSON.stringify(accepts));
  for (const a of accepts) {
    assert.notEqual(a.pid, master, 'workers accept, not the master');
    assert.equal(a.protocol, 'tcp', `accept in worker ${a.pid}: ${JSON.stringify(a)}`);
    assert.equal(a.family, 'inet');
  }
  // worker1 accepts on the inherited listening fd (no peer address asked): all from the listener
  const onListener = accepts.find((a) => a.fd === listen.fd);
  assert.ok(onListener, `an accept on fd ${listen.fd}`);
  assert.equal(onListener.local?.port, PORT, JSON.stringify(onListener));
  // worker2 accepts on an untraced dup(): the peer's address tells inet, accept tells stream
  const onDup = accepts.find((a) => a.fd !== listen.fd);
  assert.ok(onDup);
  assert.equal(onDup.peer?.address, '127.0.0.1');

  const connects = ofKind(run, 'connect').filter((c) => c.peer?.port === PORT);
  assert.equal(connects.length, 2);
  for (const c of connects) assert.equal(c.protocol, 'tcp');
});

test('a blocking accept is stamped when it completes, after the connect it took', async () => {
  const run = await runProbed({ cmd: ['/opt/fixture/prefork-server', String(PORT)] });
  assertComplete(run);
  const listen = ofKind(run, 'listen').find((l) => l.result === 0);
  assert.ok(listen);
  const master = listen.pid;
  const accepts = ofKind(run, 'accept').filter((a) => a.result >= 0);
  assert.equal(accepts.length, 2);
  // Both accepts block for a second before the master connects; they complete after the sockets the
  // master connects with were made, and are stamped then (not at entry, a second earlier).
  const clientSockets = ofKind(run, 'socket').filter((s) => s.pid === master && s.protocol === 'tcp').slice(1);
  assert.equal(clientSockets.length, 2);
  const firstClient = Math.min(...clientSockets.map((s) => s.time));
  for (const a of accepts) assert.ok(a.time >= firstClient, `accept at ${a.time}, client socket at ${firstClient}`);
});

test('clone(CLONE_FILES): a socket the child listens on is known to the parent that accepts on it', async () => {
  const port = 18082;
  const run = await runProbed({ cmd: ['/opt/fixture/shared-fds', String(port)] });
  assertComplete(run);
  assert.deepEqual(logLines(run), ['accepted on shared fd 3: 1']);
  const listen = ofKind(run, 'listen').find((l) => l.result === 0);
  assert.ok(listen);
  assert.equal(listen.local?.port, port);
  const accept = ofKind(run, 'accept').find((a) => a.result >= 0);
  assert.ok(accept);
  assert.notEqual(accept.pid, listen.pid, 'the parent accepts, the child listened');
  assert.equal(accept.fd, listen.fd);
  assert.equal(accept.protocol, 'tcp');
  assert.equal(accept.local?.port, port, 'the shared table knows the listener the child bound');
});
