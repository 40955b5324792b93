/** The probe's pure C parts under AddressSanitizer and UBSan (`make -C native check`): the DNS wire
 * parser against known messages and 200,000 mutated ones; the socket table against a model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const native = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');

test('native unit tests: DNS wire parser exact and bounded; socket table matches a model', () => {
  const out = execFileSync('make', ['-s', '-C', native, 'check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /dns_wire: ok/);
  assert.match(out, /socktab: ok/);
});
