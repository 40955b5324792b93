/**
 * Errors that cross the API reach a person: a file that is no capture says what it is and what to do, and
 * a bad argument names the entry to fix rather than a zod path.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../../electron/server/dispatcher.js';
import { Workspace } from '../../electron/server/workspace.js';
import { registerFilesService } from '../../electron/server/services/files-service.js';
import { CAPTURE_FORMAT, CAPTURE_VERSION } from '../../common/capture.js';
import { EVENT_SCHEMA_VERSION } from '../../common/events.js';

let dir: string;
const dispatcher = new Dispatcher();
const call = (method: string, args: unknown) => dispatcher.dispatch(method, args, { mode: 'browser' });
const header = (version = CAPTURE_VERSION) => JSON.stringify({
  format: CAPTURE_FORMAT, version, eventSchema: EVENT_SCHEMA_VERSION, imprint: '0.1.0', runId: 'r', mode: 'image', startedAt: 1, services: [],
});

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imprint-api-errors-'));
  await writeFile(join(dir, 'baseline.yaml'), '# Imprint baseline\nversion: 1\nlearned:\n  runs: 1\nservices:\n  web: {}\n');
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
  await writeFile(join(dir, 'notes.imprint'), 'just some text\n');
  await writeFile(join(dir, 'empty.imprint'), '');
  await writeFile(join(dir, 'future.imprint'), header(CAPTURE_VERSION + 1) + '\n');
  await writeFile(join(dir, 'good.imprint'), header() + '\n' + JSON.stringify({ record: 'end', time: 2, complete: true, problems: [], events: 0, missing: 0, decodeErrors: 0, exitCode: 0 }) + '\n');
  await mkdir(join(dir, 'captures'));
  registerFilesService(dispatcher, new Workspace(dir), { appRoot: process.cwd() });
  dispatcher.register('run.start', () => { throw new Error('not reached'); });
});
after(() => rm(dir, { recursive: true, force: true }));

const readError = async (path: string): Promise<string> => {
  const out = await call('capture.read', { path, offset: 0, limit: 10 });
  assert.ok('error' in out, `${path} must be refused`);
  return out.error.message;
};

test('replay refuses what is not a capture, saying what it is and what to do', async () => {
  assert.equal(await readError('baseline.yaml'), 'baseline.yaml is not an Imprint capture (it looks like a baseline: open it on the Baselines screen)');
  assert.equal(await readError('compose.yaml'), 'compose.yaml is not an Imprint capture (it looks like a compose file: run it from the Start screen)');
  assert.match(await readError('notes.imprint'), /^notes\.imprint is not an Imprint capture \(its first line is not a capture header: choose a \.imprint file/);
  assert.match(await readError('empty.imprint'), /^empty\.imprint is empty/);
  assert.match(await readError('future.imprint'), /^future\.imprint: capture version \d+ is newer than this Imprint reads.*Update Imprint/);
  const folder = await readError('captures');
  assert.match(folder, /^captures is a folder: choose a \.imprint capture file/);
  assert.doesNotMatch(folder, /EISDIR/);
});

test('a real capture still opens', async () => {
  const out = await call('capture.read', { path: 'good.imprint', offset: 0, limit: 10 });
  assert.ok('result' in out, JSON.stringify(out));
});

test('a bad run.start argument names the entry and the rule, not a zod path', async () => {
  const out = await call('run.start', { image: 'x', env: ['A=1', 'oops'] });
  assert.ok('error' in out);
  assert.equal(out.error.code, 'bad-args');
  assert.match(out.error.message, /^run\.start: env entry 2 \("oops"\): an environment entry is KEY=VALUE/);
  assert.doesNotMatch(out.error.message, /env\.1/);
  const ports = await call('run.start', { image: 'x', ports: ['80', 'localhost:80'] });
  assert.ok('error' in ports);
  assert.match(ports.error.message, /^run\.start: ports entry 2 \("localhost:80"\): a port mapping is \[IP:\]\[HOST:\]CONTAINER/);
});
