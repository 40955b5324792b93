/** The published JSON Schema of the baseline file, generated from the zod schema (one source of truth). */
import { z } from 'zod';
import { baselineSchema } from './schema.js';

export const BASELINE_SCHEMA_ID = 'https://imprint.invalid/schema/baseline-v1.schema.json';

export function baselineJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(baselineSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: BASELINE_SCHEMA_ID, title: 'Imprint baseline, version 1', description: 'What each service of an image or compose file did in its learning runs. See docs/baseline.md.' };
}
