/** Imprint's version, recorded in captures: read from package.json once. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'imprint' && pkg.version) return pkg.version;
    } catch { /* keep walking up */ }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const IMPRINT_VERSION = readVersion();
