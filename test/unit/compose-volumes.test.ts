/**
 * Compose volumes and `docker run -v` entries, read into the mounts the engine creates: host folders
 * (relative ones from the compose file's folder), named volumes the run creates fresh, external ones used
 * as they are, anonymous volumes and tmpfs. Mistakes are compose-invalid errors naming the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { parseCompose } from '../../electron/engine/compose.js';
import { engineMounts } from '../../electron/engine/run.js';
import { parseShortMount, parseVolumeFlags } from '../../electron/engine/mounts.js';

test('the short syntax: host paths, volume names, anonymous volumes, read-only', () => {
  assert.deepEqual(parseShortMount('./conf/nginx.conf:/etc/nginx/nginx.conf:ro', '/srv/app'),
    { type: 'bind', source: '/srv/app/conf/nginx.conf', target: '/etc/nginx/nginx.conf', readOnly: true, createHostPath: true });
  assert.deepEqual(parseShortMount('../data:/data', '/srv/app'), { type: 'bind', source: '/srv/data', target: '/data', readOnly: false, createHostPath: true });
  assert.deepEqual(parseShortMount('~/cache:/cache:rw,z', '/srv/app'), { type: 'bind', source: `${homedir()}/cache`, target: '/cache', readOnly: false, createHostPath: true });
  assert.deepEqual(parseShortMount('pgdata:/var/lib/postgresql/data', '/x'), { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false });
  assert.deepEqual(parseShortMount('/var/cache/app', '/x'), { type: 'volume', target: '/var/cache/app', readOnly: false });
  // Docker Desktop on Windows: the drive's colon is part of the host path
  assert.deepEqual(parseShortMount('C:\\Users\\dev\\data:/data:ro', '/x'), { type: 'bind', source: 'C:\\Users\\dev\\data', target: '/data', readOnly: true, createHostPath: true });
  assert.deepEqual(parseShortMount('D:/src:/src', '/x'), { type: 'bind', source: 'D:/src', target: '/src', readOnly: false, createHostPath: true });
  for (const bad of ['data:relative', 'a:b:c:d', '::/x', 'relative']) assert.throws(() => parseShortMount(bad, '/x'), /compose|absolute|SRC:DST/);
});

test('a compose file: declared volumes, long syntax, tmpfs; an undeclared volume is an error', () => {
  const project = parseCompose([
    'services:',
    '  db:',
    '    image: postgres:16',
    '    volumes: ["pgdata:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro"]',
    '    tmpfs: /run/postgresql',
    '  app:',
    '    image: app:1',
    '    volumes:',
    '      - { type: bind, source: ./app.conf, target: /etc/app.conf, read_only: true }',
    '      - { type: volume, source: shared, target: /shared, volume: { nocopy: true } }',
    '      - { type: tmpfs, target: /tmp }',
    'volumes:',
    '  pgdata: {}',
    '  shared: { external: true, name: team-shared }',
    '  cache: { driver: local }',
  ].join('\n'), {}, '/home/dev/shop');
  const [app, db] = [project.services.find((s) => s.name === 'app')!, project.services.find((s) => s.name === 'db')!];
  assert.deepEqual(db.mounts, [
    { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
    { type: 'bind', source: '/home/dev/shop/init', target: '/docker-entrypoint-initdb.d', readOnly: true, createHostPath: true },
    { type: 'tmpfs', target: '/run/postgresql' },
  ]);
  assert.deepEqual(app.mounts, [
    { type: 'bind', source: '/home/dev/shop/app.conf', target: '/etc/app.conf', readOnly: true, createHostPath: false },
    { type: 'volume', source: 'shared', target: '/shared', readOnly: false },
    { type: 'tmpfs', target: '/tmp' },
  ]);
  assert.deepEqual(project.volumes, [{ name: 'pgdata' }, { name: 'shared', external: 'team-shared' }, { name: 'cache' }]);
  assert.ok(project.warnings.includes('volumes.cache.driver: not supported, ignored (every run gets fresh volumes)'), project.warnings.join('\n'));
  assert.ok(!project.warnings.some((w) => /services\.\w+\.(volumes|tmpfs)/.test(w)), 'volumes and tmpfs are supported');
  assert.throws(() => parseCompose('services:\n  a: { image: x, volumes: ["nope:/data"] }\n'),
    /services\.a\.volumes\[0\] uses volume 'nope', which is not declared under the top-level volumes/);
  assert.throws(() => parseCompose('services:\n  a: { image: x, volumes: [{ type: npipe, source: x, target: /x }] }\n'), /type must be bind, volume or tmpfs/);
});

test('mounts reach the engine: binds that may create their folder as Binds, the rest as Mounts', () => {
  assert.deepEqual(engineMounts(parseVolumeFlags(['/srv/conf:/etc/app:ro', 'data:/data', '/anon'], '/x')), {
    Binds: ['/srv/conf:/etc/app:ro'],
    Mounts: [{ Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false }, { Type: 'volume', Source: '', Target: '/anon', ReadOnly: false }],
  });
  assert.deepEqual(engineMounts([{ type: 'bind', source: '/a', target: '/b', readOnly: false, createHostPath: false }, { type: 'tmpfs', target: '/t' }]), {
    Mounts: [{ Type: 'bind', Source: '/a', Target: '/b', ReadOnly: false }, { Type: 'tmpfs', Source: '', Target: '/t' }],
  });
  assert.deepEqual(engineMounts([]), {});
  // one fix, the -v one: not the compose file's as well
  assert.throws(() => parseVolumeFlags(['x:y']), (e: Error & { fix?: string }) => /absolute/.test(e.message) && /docker's -v/.test(e.fix ?? '') && !/compose/.test(e.message));
  assert.throws(() => parseCompose('services:\n  a: { image: x, volumes: ["data:rel"] }\nvolumes: { data: {} }\n'),
    (e: Error & { code?: string }) => e.code === 'compose-invalid' && /services\.a\.volumes\[0\]: the path inside the container must be absolute/.test(e.message));
});
