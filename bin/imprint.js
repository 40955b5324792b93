#!/usr/bin/env node
// The `imprint` command. Runs the compiled CLI; `npm run build` (part of the README's set-up) makes it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/electron/electron/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('imprint: not built yet. Run `npm run build` in the Imprint folder first.');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
