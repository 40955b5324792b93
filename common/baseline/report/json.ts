/** The drift report for machines: the CheckResult as versioned JSON (events included as captured). */
import type { CheckResult } from '../check.js';

export const CHECK_JSON_VERSION = 1;

export function jsonReport(r: CheckResult, baselineFile: string): string {
  return JSON.stringify({ version: CHECK_JSON_VERSION, baseline: baselineFile, ...r }, null, 2) + '\n';
}
