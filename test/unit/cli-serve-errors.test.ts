/** `imprint serve` refuses a busy port and a missing workspace with one line naming the fix (F10). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

test('a port in use is a clear error, exit 2, no stack trace', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  try {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      // spawnSync would block the event loop that owns the busy socket; it still holds the port, which is all we need.
      const out = spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, 'serve', '--port', String(port)], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      resolve({ status: out.status, stderr: out.stderr });
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /port \d+ is already in use/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  } finally {
    busy.close();
  }
});

test('a workspace that does not exist is refused', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, 'serve', '--dir', '/nonexistent/imprint-ws'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a folder/);
});
