/** A missing compose file or --probe binary is named as missing, with a fix that fits (not "fix the file"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCompose } from '../../electron/engine/compose.js';
import { findProbe } from '../../electron/engine/probe-binary.js';
import { EngineError } from '../../electron/engine/connection.js';

test('a compose file that does not exist says so', async () => {
  const err = await loadCompose('/no/such/compose.yaml').catch((e: unknown) => e);
  assert.ok(err instanceof EngineError);
  assert.match(err.message, /^the compose file \/no\/such\/compose.yaml does not exist\n/);
  assert.match(err.fix ?? '', /give the path of a compose file/);
});

test('--probe naming a missing file names that file', () => {
  assert.throws(() => findProbe('x86_64', '/no/such/probe'), (e: unknown) => e instanceof EngineError && /the probe binary \/no\/such\/probe does not exist \(--probe\)/.test(e.message));
});
