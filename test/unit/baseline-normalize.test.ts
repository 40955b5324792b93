import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argvPattern, globMatch, looksRandom, normalizePath } from '../../common/baseline/normalize.js';

test('normalizePath folds what changes between runs and keeps names people chose', () => {
  const cases: [string, string][] = [
    ['/proc/123/status', '/proc/*/status'],
    ['/proc/7/task/9/stat', '/proc/*/task/*/stat'],
    ['/proc/self/maps', '/proc/self/maps'],
    ['/tmp/tmp.a8Xk2P', '/tmp/tmp.*'],
    ['/tmp/tmp.rapvmc', '/tmp/tmp.*'], // mktemp drew only lower-case letters (CI flake)
    ['/tmp/tmpx8k2_qz1', '/tmp/tmp*'],
    ['/tmp/session-1234.lock', '/tmp/session-*.lock'],
    ['/var/tmp/cache42.db', '/var/tmp/cache*.db'],
    ['/var/lib/redis/temp-7.rdb', '/var/lib/redis/temp-*.rdb'],
    ['/var/lib/nginx/body/0000000001', '/var/lib/nginx/body/*'],
    ['/var/lib/docker/containers/3f4e5a6b7c8d9e0f1a2b/log', '/var/lib/docker/containers/*/log'],
    ['/run/app/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f.sock', '/run/app/*.sock'],
    ['/var/cache/app/3f4e5a6b7c8d9e0f.json', '/var/cache/app/*.json'],
    ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6'],
    ['/usr/bin/python3.11', '/usr/bin/python3.11'],
    ['/etc/nginx/nginx.conf', '/etc/nginx/nginx.conf'],
    ['/etc/./nginx//conf.d/../nginx.conf', '/etc/nginx/nginx.conf'],
    ['/home/Backup/config', '/home/Backup/config'],
  ];
  for (const [input, want] of cases) assert.equal(normalizePath(input), want, input);
  assert.equal(normalizePath('/run/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f'), '/run/*');
});

test('looksRandom tells generated suffixes from words', () => {
  for (const s of ['a8Xk2P', 'QQ91zz', 'x8k2qz1', 'AbCdEfGh']) assert.equal(looksRandom(s), true, s);
  for (const s of ['config', 'Backup', 'README', 'nginx', 'abc']) assert.equal(looksRandom(s), false, s);
});

test('argvPattern quotes words and folds numbers and paths', () => {
  assert.equal(argvPattern(['sleep', '30'], 2), 'sleep *');
  assert.equal(argvPattern(['nginx', '-g', 'daemon off;'], 3), "nginx -g 'daemon off;'");
  assert.equal(argvPattern(['cat', '/proc/12/status'], 2), 'cat /proc/*/status');
  assert.equal(argvPattern(['x'], 200), 'x …');
});

test('globMatch: * stays within a segment, ** crosses segments', () => {
  assert.equal(globMatch('/proc/*/status', '/proc/*/status'), true);
  assert.equal(globMatch('/proc/*/status', '/proc/12/status'), true);
  assert.equal(globMatch('/var/log/*', '/var/log/a/b'), false);
  assert.equal(globMatch('/var/log/**', '/var/log/a/b'), true);
  assert.equal(globMatch('/etc/a.conf', '/etc/aXconf'), false);
});

test('F20: \\xNN escapes are not cut, letters-then-digits names are chosen, not random', async () => {
  const { normalizePath } = await import('../../common/baseline/normalize.js');
  assert.equal(normalizePath('/tmp/d\\xe9j\\xe0'), '/tmp/d\\xe9j\\xe0');
  assert.equal(normalizePath('/home/user/.ssh/id_ed25519'), '/home/user/.ssh/id_ed25519');
  assert.equal(normalizePath('/tmp/tmp.a8Xk2q'), '/tmp/tmp.*');
});

test('F18: secrets on command lines are masked in argv patterns', () => {
  assert.equal(argvPattern(['redis-cli', '-a', 'hunter2', 'ping'], 4), 'redis-cli -a *** ping');
  assert.equal(argvPattern(['redis-server', '--requirepass', 's3cret'], 3), 'redis-server --requirepass ***');
  assert.equal(argvPattern(['mysql', '-psecretpw', 'db'], 3), 'mysql -p*** db');
  assert.equal(argvPattern(['curl', '-H', 'Authorization: Bearer abc'], 3), "curl -H 'Authorization: ***'");
  assert.equal(argvPattern(['app', 'DB_PASSWORD=xyz'], 2), 'app DB_PASSWORD=***');
  // inside a shell script, one word of sh -c
  const script = (s: string) => argvPattern(['sh', '-c', s], 3);
  assert.equal(script(`wget --header "Authorization: Bearer abc123" http://api/`), `sh -c 'wget --header "Authorization: ***" http://api/'`);
  assert.equal(script('mysql -uroot -phunter2x db && echo ok'), "sh -c 'mysql -uroot -p*** db && echo ok'");
  assert.equal(script('redis-cli -a s3cret ping; export API_KEY=k9 TOKEN=t1'), "sh -c 'redis-cli -a *** ping; export API_KEY=*** TOKEN=***'");
  assert.equal(script('curl -s http://web/ | grep -c pass'), "sh -c 'curl -s http://web/ | grep -c pass'", 'nothing secret: unchanged');
});
