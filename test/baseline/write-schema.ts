/** Regenerates assets/schema/baseline-v1.schema.json from the zod schema: `node --import tsx test/baseline/write-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { baselineJsonSchema } from '../../common/baseline/json-schema.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../assets/schema/baseline-v1.schema.json', import.meta.url));
export const schemaText = () => JSON.stringify(baselineJsonSchema(), null, 2) + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, schemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
