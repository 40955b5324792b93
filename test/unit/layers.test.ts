import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLayerViolations } from '../tools/layers.js';

test('the repository keeps its layers: common is environment-free, renderer never imports electron', async () => {
  const violations = await findLayerViolations(process.cwd());
  assert.deepEqual(violations, []);
});

test('the layer check catches wrong-way imports', async () => {
  const root = await mkdtemp(join(tmpdir(), 'layers-'));
  try {
    await mkdir(join(root, 'common'));
    await mkdir(join(root, 'renderer'));
    await mkdir(join(root, 'electron'));
    await writeFile(join(root, 'common', 'a.ts'), "import { readFile } from 'node:fs';\n");
    await writeFile(join(root, 'renderer', 'b.tsx'), "import { run } from '../electron/engine/run.js';\n");
    await writeFile(join(root, 'electron', 'c.ts'), "import { x } from '../common/events.js';\n");
    const found = await findLayerViolations(root);
    assert.deepEqual(found.map((v) => v.file).sort(), ['common/a.ts', 'renderer/b.tsx']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
