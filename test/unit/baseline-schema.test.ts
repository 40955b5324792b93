import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { learnBaseline } from '../../common/baseline/learn.js';
import { stringifyBaseline } from '../../common/baseline/file.js';
import { SCHEMA_PATH, schemaText } from '../baseline/write-schema.js';
import { shopRun } from '../baseline/events-fixture.js';

test('the committed JSON Schema equals the one generated from the zod schema', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaText(), 'run: node --import tsx test/baseline/write-schema.ts');
});

test('a written baseline validates against the published JSON Schema, and a broken one does not', () => {
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  const data = parse(stringifyBaseline(learnBaseline([{ events: shopRun(1).events }], { seccomp: 'unconfined' }), 'x.json'));
  assert.equal(validate(data), true, JSON.stringify(validate.errors));
  data.services.web.listen[0].port = 70000;
  assert.equal(validate(data), false);
});

test('a schema error names the line of the offending node', async () => {
  const { parseBaseline, BaselineFileError } = await import('../../common/baseline/file.js');
  const text = 'version: 1\nlearned:\n  runs: nope\n';
  assert.throws(() => parseBaseline(text), (err: unknown) => err instanceof BaselineFileError && err.line === 3);
});

test('a compose file given as a baseline is named as such', async () => {
  const { parseBaseline } = await import('../../common/baseline/file.js');
  assert.throws(() => parseBaseline('services:\n  web:\n    image: nginx\n'), /looks like a compose file.*--compose/);
});
