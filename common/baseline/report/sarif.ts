/**
 * SARIF 2.1.0 for code-scanning views. Rule ids are the stable RULES keys; each result's partialFingerprints
 * hash only (rule, service, normalized item), never pids, times or sequence numbers, so the same drift in the
 * next run is the same alert and a fixed one closes. Locations point at the service's line in the baseline.
 */
import { RULES, RULE_IDS, type CheckResult } from '../check.js';
import { fnv1a64 } from './fingerprint.js';

export const IMPRINT_INFO_URI = 'https://example.invalid/imprint';

export interface SarifOptions {
  /** The baseline file as the SARIF consumer should see it: a path relative to the repository root. */
  baselineUri: string;
  /** Line of each service's key in the baseline file (file.ts serviceLines). */
  serviceLines: ReadonlyMap<string, number>;
  toolVersion: string;
}

export function sarifReport(r: CheckResult, o: SarifOptions): Record<string, unknown> {
  const results: Record<string, unknown>[] = r.deviations.map((d) => ({
    ruleId: d.rule,
    ruleIndex: RULE_IDS.indexOf(d.rule),
    level: 'error',
    message: { text: d.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: o.baselineUri },
        region: { startLine: o.serviceLines.get(d.service) ?? 1 },
      },
      logicalLocations: [{ name: d.service, kind: 'module' }],
    }],
    partialFingerprints: { 'imprintItem/v1': fnv1a64(`${d.rule}\0${d.service}\0${d.item}`) },
    properties: { service: d.service, item: d.item, executable: d.exe, count: d.count, event: d.event },
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: {
        driver: {
          name: 'imprint',
          version: o.toolVersion,
          informationUri: IMPRINT_INFO_URI,
          rules: RULE_IDS.map((id) => ({
            id,
            name: id.replace(/(^|-)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase()),
            shortDescription: { text: RULES[id] },
            defaultConfiguration: { level: 'error' },
            helpUri: `${IMPRINT_INFO_URI}/docs/baseline#${id}`,
          })),
        },
      },
      // Incomplete evidence is a run-level notification, not a result: it has no item to fingerprint.
      invocations: [{
        executionSuccessful: r.verdict !== 'inconclusive',
        toolExecutionNotifications: r.incomplete.map((text) => ({ level: 'warning', message: { text: `capture incomplete: ${text}` } })),
      }],
      results,
      properties: { verdict: r.verdict, unseen: r.unseen.length, events: r.events },
    }],
  };
}
