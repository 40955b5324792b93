/** A baseline's $schema must not depend on where this machine keeps Imprint: the same bytes in every clone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaRef } from '../../electron/capture/schema-ref.js';
import { BASELINE_SCHEMA_ID } from '../../common/baseline/json-schema.js';

test('relative inside the project that holds Imprint, the schema id anywhere else', async () => {
  const root = await mkdtemp(join(tmpdir(), 'imprint-schema-'));
  try {
    // an app installed on its own (the desktop app, a checkout elsewhere)
    const app = join(root, 'opt', 'imprint');
    await mkdir(join(app, 'assets', 'schema'), { recursive: true });
    const own = join(app, 'assets', 'schema', 'baseline-v1.schema.json');
    await writeFile(own, '{}');
    assert.equal(schemaRef(own, join(root, 'home', 'me', 'shop', 'shop.baseline.yaml')), BASELINE_SCHEMA_ID, 'not ../../opt/imprint/...');
    assert.equal(schemaRef(own, join(app, 'examples', 'a.baseline.yaml')), '../assets/schema/baseline-v1.schema.json');
    // a project with Imprint under node_modules
    const mod = join(root, 'shop', 'node_modules', 'imprint', 'assets', 'schema');
    await mkdir(mod, { recursive: true });
    await writeFile(join(mod, 'baseline-v1.schema.json'), '{}');
    assert.equal(schemaRef(join(mod, 'baseline-v1.schema.json'), join(root, 'shop', 'ci', 'b.yaml')), '../node_modules/imprint/assets/schema/baseline-v1.schema.json');
    assert.equal(schemaRef(join(root, 'missing.json'), join(root, 'b.yaml')), BASELINE_SCHEMA_ID);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
