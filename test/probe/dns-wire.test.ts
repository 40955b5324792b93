/** The probe's DNS wire parser (pure C) against known messages and 200,000 mutated ones, under
 * AddressSanitizer and UBSan: `make -C native check`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const native = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');

test('DNS wire parser: exact on valid messages, bounded on hostile ones', () => {
  const out = execFileSync('make', ['-s', '-C', native, 'check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /dns_wire: ok/);
});
