/** The Start screen's forms: environment one entry per line, durations never dropped, errors that name the field and the fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildComposeConfig, buildRunConfig, parseDuration, parseEnv, type RunForm } from '../../renderer/src/model/run-form.js';
import { fmtBytes } from '../../renderer/src/model/format.js';
import { noEventsText } from '../../renderer/src/model/views.js';

const form = (over: Partial<RunForm>): RunForm => ({ image: 'imprint-fixture/busybox:latest', command: '', env: '', ports: '', network: '', duration: '', ...over });

test('environment values may hold commas: one entry per line', () => {
  assert.deepEqual(parseEnv('LIST=a,b,c\nGREETING=hello, world\n\n'), ['LIST=a,b,c', 'GREETING=hello, world']);
  const built = buildRunConfig(form({ env: 'LIST=a,b,c\nGREETING=hello, world' }), {});
  assert.ok('config' in built, JSON.stringify(built));
  assert.deepEqual(built.config.env, ['LIST=a,b,c', 'GREETING=hello, world']);
});

test('ports stay comma- or newline-separated', () => {
  const built = buildRunConfig(form({ ports: '127.0.0.1:8080:80, 9000\n53/udp' }), {});
  assert.ok('config' in built);
  assert.deepEqual(built.config.ports, ['127.0.0.1:8080:80', '9000', '53/udp']);
});

test('a bad environment entry or port map names the field, the entry and the fix', () => {
  const env = buildRunConfig(form({ env: 'A=1\nnot an entry' }), {});
  assert.ok('error' in env);
  assert.equal(env.error, 'Environment: "not an entry" is not KEY=VALUE. Write one KEY=VALUE per line; a value may hold commas and spaces.');
  const ports = buildRunConfig(form({ ports: 'localhost:80' }), {});
  assert.ok('error' in ports);
  assert.match(ports.error, /^Ports: "localhost:80" is not a port mapping\. Write \[IP:\]\[HOST:\]CONTAINER/);
  assert.doesNotMatch(env.error + ports.error, /env\.\d|ports\.\d/, 'no zod paths');
});

test('"Stop after" takes seconds or 30s / 5m / 1h, and refuses anything else instead of dropping it', () => {
  assert.deepEqual(parseDuration(''), {});
  assert.deepEqual(parseDuration('30'), { seconds: 30 });
  assert.deepEqual(parseDuration('1.5'), { seconds: 1.5 });
  assert.deepEqual(parseDuration('5s'), { seconds: 5 });
  assert.deepEqual(parseDuration(' 1m '), { seconds: 60 });
  assert.deepEqual(parseDuration('2h'), { seconds: 7200 });
  for (const bad of ['abc', '0', '-5', '5 minutes', '1d', '2e3']) {
    const r = parseDuration(bad);
    assert.ok('error' in r, bad);
    assert.match(r.error, /^Stop after: ".+" is not a duration\. Write seconds \(30\) or 30s, 5m, 1h/, bad);
  }
  assert.match((parseDuration('2d') as { error: string }).error, /not a duration/);
  assert.match((parseDuration('25h') as { error: string }).error, /longer than a day/);
  const run = buildRunConfig(form({ duration: '1m' }), {});
  assert.ok('config' in run && run.config.duration === 60);
  assert.ok('error' in buildRunConfig(form({ duration: 'abc' }), {}));
  const compose = buildComposeConfig({ file: 'trio.yaml', until: '', duration: '5s' }, { logPids: false });
  assert.deepEqual(compose, { config: { file: 'trio.yaml', duration: 5, logPids: false } });
  assert.ok('error' in buildComposeConfig({ file: 'trio.yaml', until: '', duration: 'soon' }, {}));
});

test('file sizes switch to MB above 1024 KB', () => {
  assert.equal(fmtBytes(0), '0 B');
  assert.equal(fmtBytes(1023), '1023 B');
  assert.equal(fmtBytes(2048), '2 KB');
  assert.equal(fmtBytes(1000 * 1024), '1000 KB');
  assert.equal(fmtBytes(16160 * 1024), '16 MB');
  assert.equal(fmtBytes(1.5 * 1024 * 1024), '1.5 MB');
  assert.equal(fmtBytes(3 * 1024 ** 3), '3.0 GB');
});

test('an empty view says "as the container runs" only for a live run', () => {
  assert.match(noEventsText({ capture: false, live: true }), /as the container runs/);
  assert.doesNotMatch(noEventsText({ capture: true }), /container runs/);
  assert.doesNotMatch(noEventsText({ capture: true, loading: true }), /container runs/);
  assert.doesNotMatch(noEventsText({ capture: false, live: false }), /container runs/);
});
