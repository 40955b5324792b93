/** Usage errors never look like drift (1) or an app's exit code: 2, or 125 for run and up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, ...args], { cwd: REPO, encoding: 'utf8' });

test('a usage error in check exits 2, not 1 (which means drift)', () => {
  assert.equal(imprint('check', 'some.imprint').status, 2, 'missing --baseline');
  assert.equal(imprint('check', 'some.imprint', '--baseline', 'b.yaml', '--fromat', 'json').status, 2, 'misspelt option');
  assert.equal(imprint('baseline').status, 2, 'missing argument');
  assert.equal(imprint('no-such-command').status, 2);
});

test('a usage error in run and up exits 125, like docker run', () => {
  assert.equal(imprint('run', '--duration', 'abc', 'imprint-fixture/busybox:latest').status, 125);
  assert.equal(imprint('up').status, 125);
  const label = imprint('run', '--label', 'nokey', 'imprint-fixture/busybox:latest');
  assert.equal(label.status, 125, '--label without = is a usage error');
  assert.doesNotMatch(label.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test("run's options may follow the image, as the README writes them", () => {
  // Parsed as Imprint's option (an invalid duration), not run as the app's command '--duration abc'.
  const after = imprint('run', 'imprint-fixture/busybox:latest', '--duration', 'abc');
  assert.equal(after.status, 125);
  assert.match(after.stderr, /--duration/);
});

test("run: the app's command starts at the first word after the image that is not Imprint's, options and all", async () => {
  const { Command } = await import('commander');
  const { markCommandStart } = await import('../../electron/cli/options.js');
  const run = new Command('run').option('--json').option('--duration <s>').option('-e, --env <kv>').option('-i, --interactive');
  const mark = (...args: string[]) => markCommandStart(args, run.options);
  assert.deepEqual(mark('img', 'echo', 'hello', '--json'), ['img', '--', 'echo', 'hello', '--json']);
  assert.deepEqual(mark('img', 'ls', '-la'), ['img', '--', 'ls', '-la']);
  assert.deepEqual(mark('img', '--duration', '30', '--json', 'sh', '-c', 'x'), ['img', '--duration', '30', '--json', '--', 'sh', '-c', 'x']);
  assert.deepEqual(mark('--json', '-e', 'A=1', 'img', 'true'), ['--json', '-e', 'A=1', 'img', '--', 'true']);
  assert.deepEqual(mark('-eA=1', '--duration=3', 'img', '-i', 'cat'), ['-eA=1', '--duration=3', 'img', '-i', '--', 'cat']);
  assert.deepEqual(mark('img', '--', 'echo', '--json'), ['img', '--', 'echo', '--json'], 'an explicit -- stays');
  assert.deepEqual(mark('img', '--json'), ['img', '--json'], 'no command');
});

test('check: a capture file beside --image is a usage error, not a command to run', () => {
  const r = imprint('check', 'up1.imprint', '--image', 'imprint-fixture/busybox:latest', '--baseline', 'b.yaml');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /goes after --.*drop --image/);
});

test('help and version still exit 0', () => {
  assert.equal(imprint('--help').status, 0);
  assert.equal(imprint('check', '--help').status, 0);
  assert.equal(imprint('--version').status, 0);
});
