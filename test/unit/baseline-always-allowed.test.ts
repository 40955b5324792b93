import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ALWAYS_ALLOWED, type Arch } from '../../common/baseline/always-allowed.js';

const src = (p: string) => readFileSync(new URL(`../../native/src/${p}`, import.meta.url), 'utf8');

/** Names inside `#define NAME(X) X(a) X(b) \ ...`, following line continuations. */
function macroNames(text: string, macro: string): string[] {
  const start = text.indexOf(`#define ${macro}(X)`);
  assert.ok(start >= 0, `${macro} not found`);
  let body = '';
  for (const line of text.slice(start).split('\n')) { body += line + '\n'; if (!line.trimEnd().endsWith('\\')) break; }
  return [...body.slice(body.indexOf(')') + 1).matchAll(/X\((\w+)\)/g)].map((m) => m[1]!);
}

test('the always-allowed copy equals the probe\'s hot list (native/src) on each architecture', () => {
  const common = macroNames(src('syscalls.c'), 'COMMON_HOT');
  const conditional = [...src('syscalls.c').matchAll(/\[__NR_(\w+)\] = \{ SC_HOT_NULL_ARG4/g)].map((m) => m[1]!);
  assert.deepEqual(conditional, ['sendto']);
  for (const arch of ['x86_64', 'aarch64'] as Arch[]) {
    const header = src(`syscalls_${arch}.h`);
    const archHot = /#define ARCH_HOT\(X\)\s*\n/.test(header) ? [] : macroNames(header, 'ARCH_HOT');
    assert.deepEqual([...ALWAYS_ALLOWED[arch]], [...new Set([...common, ...conditional, ...archHot])].sort(), arch);
  }
});

test('the always-allowed copy equals what the built probe lists (--list-hot), when it is built', (t) => {
  const probe = new URL('../../native/build/probe-x86_64', import.meta.url);
  if (!existsSync(probe)) { t.skip('native/build/probe-x86_64 is not built (make -C native)'); return; }
  // Conditionally hot calls are listed with their condition, e.g. "sendto (when dest_addr is NULL)".
  const listed = execFileSync(fileURLToPath(probe), ['--list-hot'], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => l.split(' ')[0]!);
  assert.deepEqual([...ALWAYS_ALLOWED.x86_64], [...new Set(listed)].sort());
});
