// `npm run lint` step: prints every wrong-way import and fails when there is one.
import { findLayerViolations } from './layers.js';
const violations = await findLayerViolations(process.cwd());
for (const v of violations) console.error(`${v.file}:${v.line}: '${v.specifier}': ${v.reason}`);
process.exitCode = violations.length ? 1 : 0;
