/** Engine discovery (DOCKER_HOST, contexts, default sockets) and the errors that name their fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEngine, EngineError, resolveEndpoint } from '../../electron/engine/index.js';
import { explainConnectError } from '../../electron/engine/connection.js';

async function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'imprint-home-'));
}

test('DOCKER_HOST wins over the current context', async () => {
  const home = await tempHome();
  try {
    await mkdir(join(home, '.docker'));
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    const e = resolveEndpoint({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }, home);
    assert.equal(e.source, 'DOCKER_HOST');
    assert.deepEqual([e.options.host, e.options.port, e.options.protocol], ['10.1.2.3', 2375, 'http']);
  } finally { await rm(home, { recursive: true, force: true }); }
});

test('the current docker context is read from config.json and its meta.json (sha256 of the name)', async () => {
  const home = await tempHome();
  try {
    const id = createHash('sha256').update('colima').digest('hex');
    await mkdir(join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    await writeFile(join(home, '.docker', 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: 'colima', Endpoints: { docker: { Host: 'unix:///home/u/.colima/docker.sock', SkipTLSVerify: false } } }));
    const e = resolveEndpoint({}, home);
    assert.equal(e.source, 'context colima');
    assert.equal(e.options.socketPath, '/home/u/.colima/docker.sock');
    // DOCKER_CONTEXT overrides config.json, like the docker CLI
    assert.throws(() => resolveEndpoint({ DOCKER_CONTEXT: 'missing' }, home), (err: EngineError) => err.code === 'bad-endpoint' && /docker context use/.test(err.message));
  } finally { await rm(home, { recursive: true, force: true }); }
});

test('without configuration the default socket is used', () => {
  const e = resolveEndpoint({}, '/nonexistent-home');
  assert.equal(e.source, 'default');
  assert.equal(e.options.socketPath, '/var/run/docker.sock');
});

test('an engine that is not running is reported with the fix', async () => {
  const err = await connectEngine({ source: 'DOCKER_HOST', host: 'unix:///tmp/imprint-no-such.sock', options: { socketPath: '/tmp/imprint-no-such.sock' } }).catch((e: unknown) => e);
  assert.ok(err instanceof EngineError);
  assert.equal(err.code, 'not-running');
  assert.match(err.message, /not running.*fix:/s);
});

test('permission denied names the docker group', () => {
  const e = explainConnectError(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), resolveEndpoint({}, '/x'));
  assert.equal(e.code, 'permission-denied');
  assert.match(e.fix ?? '', /docker' group/);
});

/** A stand-in engine on a loopback unix socket, for answers a real dockerd will not give. */
async function fakeEngine(routes: Record<string, (res: import('node:http').ServerResponse) => void>): Promise<{ server: Server; socket: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-fake-'));
  const socket = join(dir, 'engine.sock');
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[0-9.]+/, '').split('?')[0]!;
    const route = routes[`${req.method} ${path}`] ?? routes[`${req.method} ${req.url?.split('?')[0]}`];
    if (route) route(res);
    else { res.statusCode = 404; res.end('{"message":"page not found"}'); }
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return { server, socket, dir };
}

test('an engine whose API is too old is refused with the version it speaks', async () => {
  const fake = await fakeEngine({ 'GET /version': (res) => res.end(JSON.stringify({ Version: '1.12.0', ApiVersion: '1.24', Arch: 'amd64', Os: 'linux' })) });
  try {
    const err = await connectEngine({ source: 'DOCKER_HOST', host: `unix://${fake.socket}`, options: { socketPath: fake.socket } }).catch((e: unknown) => e);
    assert.ok(err instanceof EngineError);
    assert.equal(err.code, 'api-too-old');
    assert.match(err.message, /1\.24.*1\.40/);
  } finally {
    fake.server.close();
    await rm(fake.dir, { recursive: true, force: true });
  }
});

test('Podman is detected by GET /v1/libpod/_ping; architectures are normalised', async () => {
  const fake = await fakeEngine({
    'GET /version': (res) => res.end(JSON.stringify({ Version: '4.9.3', ApiVersion: '1.41', Arch: 'arm64', Os: 'linux' })),
    'GET /v1/libpod/_ping': (res) => res.end('OK'),
  });
  try {
    const c = await connectEngine({ source: 'default', host: `unix://${fake.socket}`, options: { socketPath: fake.socket } });
    assert.deepEqual([c.info.kind, c.info.arch, c.info.apiVersion], ['podman', 'aarch64', '1.41']);
  } finally {
    fake.server.close();
    await rm(fake.dir, { recursive: true, force: true });
  }
});

test('the real engine here is Docker, reached and identified', async () => {
  const c = await connectEngine();
  assert.equal(c.info.kind, 'docker');
  assert.equal(c.info.arch, 'x86_64');
});
