import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { learnBaseline } from '../../common/baseline/learn.js';
import { checkDrift } from '../../common/baseline/check.js';
import { serviceLines, stringifyBaseline } from '../../common/baseline/file.js';
import { sarifReport } from '../../common/baseline/report/sarif.js';
import { junitReport } from '../../common/baseline/report/junit.js';
import { textReport } from '../../common/baseline/report/text.js';
import { jsonReport } from '../../common/baseline/report/json.js';
import { shopRun } from '../baseline/events-fixture.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const baseline = learnBaseline([{ events: shopRun(1).events }], { seccomp: 'unconfined' });
const text = stringifyBaseline(baseline, '../assets/schema/baseline-v1.schema.json');
const lines = serviceLines(text);
const sarifOf = (pidBase: number, variant: 'normal' | 'drift') =>
  sarifReport(checkDrift(baseline, { events: shopRun(pidBase, 'tmp.k2J9xQ', variant).events }), { baselineUri: 'shop.baseline.yaml', serviceLines: lines, toolVersion: '0.1.0' });

test('SARIF is valid 2.1.0 (subset schema in test/fixtures/schemas) and points at the service line', () => {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('../fixtures/schemas/sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8')));
  const sarif = sarifOf(3, 'drift');
  assert.equal(validate(sarif), true, JSON.stringify(validate.errors));
  const run = (sarif.runs as { results: { locations: { physicalLocation: { region: { startLine: number } } }[]; ruleId: string }[] }[])[0]!;
  assert.equal(run.results.length, 3);
  for (const r of run.results) assert.equal(r.locations[0]!.physicalLocation.region.startLine, lines.get('worker'));
  // And it rejects what SARIF rejects: the schema can fail.
  assert.equal(validate({ version: '2.0.0', runs: [] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r' }] }] }), false);
});

test('SARIF fingerprints and rule ids are stable across runs with other pids, times and seqs', () => {
  const fp = (s: Record<string, unknown>) => (s.runs as { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[])[0]!.results
    .map((r) => `${r.ruleId} ${JSON.stringify(r.partialFingerprints)}`);
  const a = fp(sarifOf(3, 'drift')), b = fp(sarifOf(900, 'drift'));
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, 3, 'distinct deviations have distinct fingerprints');
});

test('JUnit: one suite per service, a failure per area with drift, an error when inconclusive', () => {
  const xml = junitReport(checkDrift(baseline, { events: shopRun(3, 'tmp.k2J9xQ', 'drift').events }));
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="imprint check" tests="12" failures="3" errors="0">/);
  assert.match(xml, /<testsuite name="worker" tests="6" failures="3" errors="0">/);
  assert.match(xml, /<testcase classname="worker" name="processes"><failure message="1 deviation\(s\): worker ran \/usr\/bin\/id/);
  assert.match(xml, /<testcase classname="web" name="network"\/>/);
  const inc = junitReport(checkDrift(baseline, { events: shopRun(3).events, incomplete: ['a <broken> stream & more'] }));
  assert.match(inc, /<error message="a &lt;broken&gt; stream &amp; more" type="inconclusive"\/>/);
});

test('text is plain unless asked for colour; JSON carries the verdict and events', () => {
  const r = checkDrift(baseline, { events: shopRun(3, 'tmp.k2J9xQ', 'drift').events });
  const plain = textReport(r, { color: false, baselineFile: 'shop.baseline.yaml' });
  assert.doesNotMatch(plain, /\x1b\[/);
  assert.match(plain, /^drift: 3 deviation\(s\) from shop\.baseline\.yaml/);
  assert.match(plain, /new-executable: worker ran \/usr\/bin\/id/);
  assert.match(plain, /event\(s\) checked: 2 service\(s\) against the baseline\n$/);
  // a run whose every service is new says so, rather than "checked across 0 service(s)"
  const renamed = shopRun(3).events.map((e) => ({ ...e, service: `${e.service}-v2` }));
  assert.match(textReport(checkDrift(baseline, { events: renamed }), { color: false, baselineFile: 'b' }), /checked: 0 service\(s\) against the baseline, 2 not in it\n$/);
  assert.match(textReport(r, { color: true, baselineFile: 'b' }), /\x1b\[31m/);
  const json = JSON.parse(jsonReport(r, 'b'));
  assert.equal(json.verdict, 'drift');
  assert.equal(json.deviations[0].event.kind, 'exec');
});
