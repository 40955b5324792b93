/** Image references are checked before any call; missing images and failed pulls are errors, never successes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { EngineError, listImages, pullImage, validateReference } from '../../electron/engine/index.js';
import { inspectImage, referenceProblem } from '../../electron/engine/images.js';
import { BUSYBOX } from './helpers.js';

test('valid references pass, invalid ones are rejected with a reason', () => {
  for (const ok of ['debian', 'debian:bookworm', 'imprint-fixture/busybox:latest', 'localhost:5000/a/b_c:1.0', 'ghcr.io/org/img@sha256:' + 'a'.repeat(64), 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)]) {
    assert.equal(referenceProblem(ok), undefined, ok);
  }
  for (const bad of ['', 'Debian', 'debian:', 'a b', 'debian:bad tag', ':latest', 'img@sha256:xyz', 'a//b', '-x', 'x'.repeat(600)]) {
    assert.ok(referenceProblem(bad), `'${bad}' should be rejected`);
  }
  assert.throws(() => validateReference('library/Upper:1'), (e: EngineError) => e.code === 'bad-reference' && /lower case/.test(e.message));
});

test('local images are listed; a missing image is image-not-found with the fix', async () => {
  const docker = new Dockerode();
  const images = await listImages(docker);
  assert.ok(images.some((i) => i.tags.includes(BUSYBOX)));
  const err = await inspectImage(docker, 'imprint-fixture/does-not-exist:1').catch((e: unknown) => e);
  assert.ok(err instanceof EngineError);
  assert.equal(err.code, 'image-not-found');
  assert.match(err.message, /docker pull/);
});

test('a pull whose stream reports an error mid-way fails (dockerode #639), and progress is per layer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imprint-pull-'));
  const socket = join(dir, 'engine.sock');
  const server = createServer((req, res) => {
    if (req.url?.includes('/images/create')) {
      res.write(JSON.stringify({ status: 'Pulling from library/x', id: 'latest' }) + '\n');
      res.write(JSON.stringify({ status: 'Downloading', id: 'abc123', progressDetail: { current: 10, total: 100 } }) + '\n');
      res.write('not json at all\n');
      res.end(JSON.stringify({ errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' }) + '\n');
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(socket, r));
  try {
    const seen: string[] = [];
    const err = await pullImage(new Dockerode({ socketPath: socket }), 'x:latest', (layers) => seen.push(layers.map((l) => `${l.id}:${l.status}:${l.current ?? ''}`).join(','))).catch((e: unknown) => e);
    assert.ok(err instanceof EngineError, 'the pull must fail');
    assert.equal(err.code, 'pull-failed');
    assert.match(err.message, /unexpected EOF/);
    assert.ok(seen.some((s) => s.includes('abc123:Downloading:10')));
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
