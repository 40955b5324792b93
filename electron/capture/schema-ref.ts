/**
 * How a written baseline names its schema. A baseline is committed and compared byte for byte, so the
 * reference must not depend on where this machine keeps Imprint: a path relative to the file only when
 * the file lives in the project that holds Imprint (its own repository, or a project with Imprint under
 * node_modules), which every clone of that project shares; otherwise the schema's id.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { BASELINE_SCHEMA_ID } from '../../common/baseline/json-schema.js';

export function schemaRef(schemaFile: string, baselineFile: string): string {
  if (!existsSync(schemaFile)) return BASELINE_SCHEMA_ID;
  const home = dirname(schemaFile);
  const marker = `${sep}node_modules${sep}`;
  const project = home.includes(marker) ? home.slice(0, home.lastIndexOf(marker)) : dirname(dirname(home)); // …/assets/schema → the repository
  const inside = !relative(project, baselineFile).startsWith('..');
  return inside ? relative(dirname(baselineFile), schemaFile).split(sep).join('/') : BASELINE_SCHEMA_ID;
}
