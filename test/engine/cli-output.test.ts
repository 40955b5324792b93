/**
 * `imprint run` and `imprint up` print the app's own bytes (not the escaped text events store): terminal
 * escapes, carriage returns, invalid UTF-8, lines longer than the probe's 16 KiB pieces, and a last line
 * without a newline all come out as the app wrote them. The real CLI, the real engine, the real probe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSYBOX, DEBIAN } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const imprint = (command: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/electron/cli/main.ts`, command, '--label', 'imprint.test=1', ...args],
    { cwd: REPO, timeout: 120_000 });

test("run: stdout is the app's bytes exactly, stderr the app's bytes before Imprint's summary", () => {
  const script = [
    String.raw`printf 'a\tb\033[31mred\033[0m\r\n'`,
    String.raw`printf '\357\273\277bom\n'`,
    String.raw`printf 'back\\x41slash\n'`,
    // a JSON document longer than two 16 KiB pieces, without a final newline (json.dump writes none)
    `printf '{"k":"'; head -c 40000 /dev/zero | tr '\\0' v; printf '"}\\n'`,
    `head -c 16384 /dev/zero | tr '\\0' w; echo`,
    `perl -e 'print map chr, 0..255'; printf '\\n'`,
    String.raw`printf 'err\377\n' >&2`,
    String.raw`printf '\377'`,
    `printf 'no-newline'`,
  ].join('; ');
  const r = imprint('run', '--network', 'none', DEBIAN, 'sh', '-c', script);
  assert.equal(r.status, 0, r.stderr.toString());
  const bytes = Buffer.concat([
    Buffer.from('a\tb\x1b[31mred\x1b[0m\r\n\xef\xbb\xbfbom\nback\\x41slash\n', 'latin1'),
    Buffer.from(`{"k":"${'v'.repeat(40_000)}"}\n${'w'.repeat(16_384)}\n`),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n'),
    Buffer.from('\xffno-newline', 'latin1'),
  ]);
  assert.deepEqual(r.stdout, bytes);
  assert.ok(r.stderr.subarray(0, 5).equals(Buffer.from('err\xff\n', 'latin1')), r.stderr.toString('latin1'));
  assert.match(r.stderr.toString(), /^imprint: .*exited, exit code 0/m);
});

test("up: each line once prefixed with its service, the line's bytes the app's", () => {
  const dir = mkdtempSync(join(tmpdir(), 'imprint-output-'));
  try {
    const file = join(dir, 'one.yaml');
    writeFileSync(file, `services:\n  web:\n    image: ${BUSYBOX}\n    network_mode: none\n` +
      `    command: ["sh", "-c", "printf '\\\\033[32mready\\\\033[0m\\\\r\\\\n'; printf 'tail'"]\n`);
    const r = imprint('up', file);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stdout.toString('latin1'), 'web | \x1b[32mready\x1b[0m\r\nweb | tail');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
