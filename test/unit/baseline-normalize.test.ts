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

/** mulberry32: a small seeded generator, so the random names below are the same on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("Python's tempfile names fold to one key per prefix and suffix, whatever the draw", () => {
  // tempfile._RandomNameSequence: 8 characters from this alphabet; draws may be all letters or end in '_'.
  const random = seeded(20240611);
  const draw = () => Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789_'[Math.floor(random() * 37)]).join('');
  const forms: [(r: string) => string, string][] = [
    [(r) => `/tmp/${r}`, '/tmp/*'], // _get_default_tempdir's probe file
    [(r) => `/var/tmp/${r}`, '/var/tmp/*'],
    [(r) => `/dev/shm/${r}`, '/dev/shm/*'],
    [(r) => `/tmp/tmp${r}`, '/tmp/tmp*'], // mkstemp(), mkdtemp()
    [(r) => `/tmp/tmp${r}.json`, '/tmp/tmp*.json'], // NamedTemporaryFile(suffix='.json')
    [(r) => `/tmp/myapp_${r}`, '/tmp/myapp_*'], // mkdtemp(prefix='myapp_')
    [(r) => `/tmp/myapp-${r}.log`, '/tmp/myapp-*.log'],
    [(r) => `/tmp/pip-build-env-${r}`, '/tmp/pip-build-env-*'],
    [(r) => `/tmp/tmp${r}/data.json`, '/tmp/tmp*/data.json'], // a file in a TemporaryDirectory()
    [(r) => `/tmp/myapp_${r}/out/result.csv`, '/tmp/myapp_*/out/result.csv'],
  ];
  for (const [make, want] of forms) {
    const got = new Set(Array.from({ length: 400 }, () => normalizePath(make(draw()))));
    assert.deepEqual([...got], [want], make('XXXXXXXX'));
  }
  // The draws QA reported, one by one.
  for (const [input, want] of [['/tmp/s8aqqmpf', '/tmp/*'], ['/tmp/witsx1z_', '/tmp/*'], ['/tmp/tmptoxuxlzi', '/tmp/tmp*'],
    ['/tmp/tmp_ab3xq_z', '/tmp/tmp*'], ['/tmp/tmpjdahx_k8', '/tmp/tmp*']]) assert.equal(normalizePath(input!), want, input);
  // Only in temporary directories, and only that shape: other names keep their rules.
  assert.equal(normalizePath('/srv/app/settings'), '/srv/app/settings');
  assert.equal(normalizePath('/srv/app/tmpabcdefgh'), '/srv/app/tmpabcdefgh');
  assert.equal(normalizePath('/tmp/session-1234.lock'), '/tmp/session-*.lock');
  assert.equal(normalizePath('/tmp/.X11-unix/X0'), '/tmp/.X11-unix/X*');
  assert.equal(normalizePath('/tmp/build/packages/a.txt'), '/tmp/build/packages/a.txt');
});

test('name.<pid> folds the pid; versions, .so chains and one-digit sections stay', () => {
  const folded: [string, string][] = [
    ['/var/lib/postgresql/data/pg_wal/xlogtemp.27', '/var/lib/postgresql/data/pg_wal/xlogtemp.*'],
    ['/var/lib/postgresql/data/global/pg_internal.init.39', '/var/lib/postgresql/data/global/pg_internal.init.*'],
    ['/etc/passwd.1234', '/etc/passwd.*'],
    ['/run/app.12345.pid', '/run/app.*.pid'],
    ['/app/data/file.tmp.4321', '/app/data/file.tmp.*'],
  ];
  for (const [input, want] of folded) assert.equal(normalizePath(input), want, input);
  for (const kept of ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
    '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/lib/x86_64-linux-gnu/libicuuc.so.72', '/usr/lib/python3.11/os.py',
    '/usr/bin/python3.11', '/lib64/ld-linux-x86-64.so.2', '/usr/share/man/man1/ls.1.gz', '/etc/rc2.d',
    '/lib/x86_64-linux-gnu', '/usr/local/openssl-3.0.13', '/etc/ssl/certs/9d04f35e.0', '/proc/sys/net/ipv4/conf/eth0.100/rp_filter']) {
    assert.equal(normalizePath(kept), kept);
  }
});

test('encodings, architectures and hash names keep their numbers; ids after - and _ still fold', () => {
  for (const kept of ['/usr/lib/locale/C.UTF-8/LC_CTYPE', '/usr/lib/locale/en_US.UTF-8/LC_MESSAGES',
    '/usr/share/i18n/charmaps/ISO-8859-1.gz', '/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so', '/usr/lib/x86_64-linux-gnu/gconv/ISO8859-1.so',
    '/usr/lib/x86_64', '/usr/lib/x86-64', '/usr/lib/aarch64', '/etc/ssl/sha-256', '/usr/share/enc/utf-16',
    '/usr/lib/python3.11/__pycache__/os.cpython-311.pyc']) assert.equal(normalizePath(kept), kept);
  assert.equal(normalizePath('/var/lib/redis/temp-1234.rdb'), '/var/lib/redis/temp-*.rdb');
  assert.equal(normalizePath('/var/lib/nginx/client_body/0000000001'), '/var/lib/nginx/client_body/*');
  assert.equal(normalizePath('/run/app/worker-3'), '/run/app/worker-*');
  assert.equal(normalizePath('/var/log/app/worker_12.log'), '/var/log/app/worker_*.log');
});

test('URL passwords and -u user:password are masked, in argv words and in scripts', () => {
  assert.equal(argvPattern(['/bin/echo', '-u', 'admin:s3cretpw', 'http://x'], 4), '/bin/echo -u admin:*** http://x');
  assert.equal(argvPattern(['/bin/echo', 'postgres://user:urlpw55@db/x'], 2), '/bin/echo postgres://user:***@db/x');
  assert.equal(argvPattern(['redis-cli', '-u', 'redis://:pw@cache:6379'], 3), 'redis-cli -u redis://:***@cache:6379');
  assert.equal(argvPattern(['app', '--db=mysql://root:p@ss@db:3306/shop'], 2), 'app --db=mysql://root:***@db:3306/shop');
  assert.equal(argvPattern(['curl', '--user', 'www-data:www-data', '-U', 'proxy:pw2', 'http://x'], 6), 'curl --user www-data:*** -U proxy:*** http://x');
  assert.equal(argvPattern(['curl', '-uadmin:pw', '--proxy-user=p:q', 'http://x'], 4), 'curl -uadmin:*** --proxy-user=p:*** http://x');
  assert.equal(argvPattern(['wget', '--user=admin:pw', 'http://x'], 3), 'wget --user=admin:*** http://x');
  // Not secrets: no password part, a port, a path after the @.
  assert.equal(argvPattern(['gosu', '-u', 'nobody', 'x'], 4), 'gosu -u nobody x');
  assert.equal(argvPattern(['ps', '-u', '1000'], 3), 'ps -u *');
  assert.equal(argvPattern(['curl', '-u', 'admin', 'http://host:8080/a@b'], 4), 'curl -u admin http://host:8080/a@b');
  assert.equal(argvPattern(['mysql', '-uroot', 'shop'], 3), 'mysql -uroot shop');
  const script = (s: string) => argvPattern(['sh', '-c', s], 3);
  assert.equal(script('curl -fsS -u admin:s3cretpw http://api/ && psql postgres://app:pw9@db/app -c "select 1"'),
    `sh -c 'curl -fsS -u admin:*** http://api/ && psql postgres://app:***@db/app -c "select 1"'`);
  assert.equal(script('redis-cli -u redis://:hunter2@cache ping; curl -u "ops:pw;x" http://x'),
    `sh -c 'redis-cli -u redis://:***@cache ping; curl -u "ops:***" http://x'`);
  assert.equal(script('chown -R app:app /data && exec gosu app:app server'), "sh -c 'chown -R app:app /data && exec gosu app:app server'");
});

test('masked values in scripts stop at shell operators; quoted values are masked whole', () => {
  const script = (s: string) => argvPattern(['sh', '-c', s], 3);
  // A script starting with a path is a script, not a path: its *** is not folded to *.
  assert.equal(script('/bin/echo --password=hunter2a; /bin/echo --token=tok3n'), "sh -c '/bin/echo --password=***; /bin/echo --token=***'");
  assert.equal(script('app --token=abc|tee log && redis-cli -a pw1&& echo ok'), "sh -c 'app --token=***|tee log && redis-cli -a ***&& echo ok'");
  assert.equal(script('x=$(app --secret=s1) y=`app --api-key=k2` z<in API_KEY=k3>out'),
    "sh -c 'x=$(app --secret=***) y=`app --api-key=***` z<in API_KEY=***>out'");
  assert.equal(script('export DB_PASSWORD="hunter 2"; redis-cli -a \'s3 cret\' ping'),
    `sh -c 'export DB_PASSWORD="***"; redis-cli -a '\\''***'\\'' ping'`);
  assert.equal(script('curl -H "Authorization: AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=ab12" http://s3/; echo done'),
    `sh -c 'curl -H "Authorization: ***" http://s3/; echo done'`);
  assert.equal(argvPattern(['app', '--api-key=k4'], 2), 'app --api-key=***', 'the hyphenated key, as a word of its own');
  // A script that starts with a secret keeps the rest; any other word with a secret key is masked whole.
  assert.equal(argvPattern(['bash', '-lc', 'API_KEY="k 5" ./run.sh; echo done'], 3), `bash -lc 'API_KEY="***" ./run.sh; echo done'`);
  assert.equal(argvPattern(['env', 'PASSWORD=a b', 'app'], 3), 'env PASSWORD=*** app');
  assert.equal(script('curl -H Authorization:tok9;echo done'), "sh -c 'curl -H Authorization:***;echo done'");
});

test('a star in a name is a character, not a pattern: a file named * allows no other name', () => {
  assert.equal(normalizePath('/etc/*'), '/etc/\\*');
  assert.equal(normalizePath('/srv/a*b/worker-12'), '/srv/a\\*b/worker-*');
  assert.equal(globMatch(normalizePath('/etc/*'), normalizePath('/etc/*')), true, 'the same name matches itself');
  assert.equal(globMatch(normalizePath('/etc/*'), normalizePath('/etc/shadow')), false);
  assert.equal(globMatch('/etc/\\*', '/etc/\\*'), true);
  // a backslash in the name (stored `\\`) followed by a folded part: the backslash is literal, the star a glob
  assert.equal(globMatch('/tmp/x\\\\*', '/tmp/x\\\\abc'), true);
  assert.equal(globMatch('/tmp/x\\\\*', '/tmp/xabc'), false);
  // folded runs still collapse, escapes never do
  assert.equal(normalizePath('/tmp/**'), '/tmp/\\*\\*');
});

test('QA round 2: compound suffixes, the postgres socket port, combined curl flags', () => {
  for (const draw of ['tmpabcdefgh', 'tmp_s8e_e1q', 'tmptc9h2qyz']) assert.equal(normalizePath(`/tmp/${draw}.tar.gz`), '/tmp/tmp*.tar.gz');
  assert.equal(normalizePath('/var/run/postgresql/.s.PGSQL.5432'), '/var/run/postgresql/.s.PGSQL.5432');
  assert.equal(normalizePath('/var/run/postgresql/.s.PGSQL.5432.lock'), '/var/run/postgresql/.s.PGSQL.5432.lock');
  assert.equal(argvPattern(['curl', '-fsSu', 'admin:hunter2', 'http://x/'], 4), 'curl -fsSu admin:*** http://x/');
  assert.equal(argvPattern(['sh', '-c', 'curl -su admin:hunter2 http://x/; true'], 3), "sh -c 'curl -su admin:*** http://x/; true'");
  assert.equal(argvPattern(['ls', '-lu', '/srv'], 3), 'ls -lu /srv', 'no colon: nothing to mask');
});

test('short password flags only for the programs that mean it; openssl pass:, sshpass, API-key headers', () => {
  assert.equal(argvPattern(['redis-cli', '-a', 's3cret', 'ping'], 4), 'redis-cli -a *** ping');
  assert.equal(argvPattern(['cp', '-a', '/src', '/dst'], 4), 'cp -a /src /dst', 'cp -a is "archive"');
  assert.equal(argvPattern(['ssh', '-p', '2222', 'host'], 4), 'ssh -p * host', 'a port, folded as a number, not masked');
  assert.equal(argvPattern(['sshpass', '-p', 'hunter2', 'ssh', 'host'], 5), 'sshpass -p *** ssh host');
  assert.equal(argvPattern(['sshpass', '-phunter2', 'ssh', 'host'], 4), 'sshpass -p*** ssh host');
  assert.equal(argvPattern(['openssl', 'rsa', '-passin', 'pass:hunter2'], 4), 'openssl rsa -passin ***');
  assert.equal(argvPattern(['curl', '-H', 'X-Api-Key: abc123'], 3), "curl -H 'X-Api-Key: ***'");
  assert.equal(argvPattern(['sh', '-c', 'redis-cli -a s3cret ping; cp -a /a /b; sshpass -p pw ssh h'], 3),
    "sh -c 'redis-cli -a *** ping; cp -a /a /b; sshpass -p *** ssh h'");
  assert.equal(argvPattern(['sh', '-c', 'curl -H "X-Api-Key: abc 123" http://x/'], 3), `sh -c 'curl -H "X-Api-Key: ***" http://x/'`);
});
