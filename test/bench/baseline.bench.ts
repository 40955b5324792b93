/**
 * Baseline learning and drift checking speed on a synthetic capture of 300,000 events (processes, files with
 * pids and temp names to normalize, connections, DNS, syscalls): events per second, median of 5.
 * Target: at least the engine's ingest rate (200,000 events/s), so learning and CI checks never wait on it.
 */
import { performance } from 'node:perf_hooks';
import { checkDrift } from '../../common/baseline/check.js';
import { learnBaseline } from '../../common/baseline/learn.js';
import { stringifyBaseline } from '../../common/baseline/file.js';
import type { ImprintEvent } from '../../common/events.js';
import { median, type BenchRow } from './bench-types.js';
import { shopRun } from '../baseline/events-fixture.js';

const TARGET = 200_000;

function syntheticCapture(size: number): ImprintEvent[] {
  const out: ImprintEvent[] = [];
  let seq = 1;
  for (let i = 0; out.length < size; i++) {
    for (const e of shopRun(i * 10 + 1, `tmp.k${(i % 997).toString(36)}Zq9`).events) out.push({ ...e, seq: seq++, container: 'bench' });
  }
  return out.slice(0, size);
}

export async function run(): Promise<BenchRow[]> {
  const events = syntheticCapture(300_000);
  const learnRates: number[] = [], checkRates: number[] = [];
  let baseline = learnBaseline([{ events }], { seccomp: 'unconfined' });
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    baseline = learnBaseline([{ events }], { seccomp: 'unconfined' });
    stringifyBaseline(baseline, 'schema.json');
    learnRates.push(events.length / ((performance.now() - t) / 1000));
    t = performance.now();
    checkDrift(baseline, { events });
    checkRates.push(events.length / ((performance.now() - t) / 1000));
  }
  const row = (name: string, rates: number[]): BenchRow => {
    const measured = Math.round(median(rates));
    return { group: 'baseline', name, measured, unit: 'events/s', target: `>= ${TARGET} events/s`, pass: measured >= TARGET };
  };
  return [row('learn + write YAML (300k events)', learnRates), row('drift check (300k events)', checkRates)];
}
