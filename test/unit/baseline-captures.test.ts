/**
 * The committed real captures (test/fixtures/captures/busybox-*.imprint, recorded with the probe under
 * seccomp unconfined by test/baseline/harness.ts) through the pure code, with no Docker: learning them gives
 * the committed baseline byte for byte (a format change shows up here as a reviewable diff), and the drift
 * capture gives exactly its three deviations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCaptureText } from '../../common/baseline/capture-input.js';
import { checkDrift } from '../../common/baseline/check.js';
import { parseBaseline, stringifyBaseline } from '../../common/baseline/file.js';
import { learnBaseline } from '../../common/baseline/learn.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captures/${name}`, import.meta.url), 'utf8');
const captures = ['busybox-normal-1.imprint', 'busybox-normal-2.imprint'].map((n) => readCaptureText(fixture(n)));

test('the committed captures are complete and say they ran unconfined on x86_64', () => {
  for (const c of captures) {
    assert.deepEqual(c.incomplete, []);
    assert.equal(c.seccomp, 'unconfined');
    assert.equal(c.arch, 'x86_64');
  }
});

test('learning the committed captures gives the committed baseline, byte for byte', () => {
  const learned = learnBaseline(captures.map((c) => ({ events: c.events, images: c.images, ...(c.arch ? { arch: c.arch } : {}) })), { seccomp: 'unconfined' });
  assert.equal(stringifyBaseline(learned, '../../../assets/schema/baseline-v1.schema.json'), fixture('busybox.baseline.yaml'));
});

test('the drift capture has exactly its three deviations; a learning capture is clean', () => {
  const baseline = parseBaseline(fixture('busybox.baseline.yaml'));
  const drift = checkDrift(baseline, readCaptureText(fixture('busybox-drift.imprint')));
  assert.deepEqual(drift.deviations.map((d) => [d.rule, d.item]), [
    ['new-executable', '/bin/busybox'], ['new-file-create', '/etc/imprint-drift'], ['new-outbound-peer', 'tcp 127.0.0.1:7001']]);
  assert.equal(checkDrift(baseline, captures[0]!).verdict, 'clean');
});

test('a capture cut mid-line and without its end record is inconclusive', () => {
  const text = fixture('busybox-normal-1.imprint');
  const cut = text.slice(0, text.indexOf('"kind":"exit"') - 40);
  const input = readCaptureText(cut);
  assert.ok(input.incomplete.length > 0);
  assert.equal(checkDrift(parseBaseline(fixture('busybox.baseline.yaml')), input).verdict, 'inconclusive');
});
