/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` and prints one table. Each row is measured side by
 * side in the same run (the peer and Imprint alternate), and reports medians, so the ratios are comparable
 * on any machine. Pass names to run a subset: `npm run bench -- probe ingest`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import type { BenchRow, BenchModule } from './bench-types.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  process.stderr.write(`bench: ${file}\n`);
  try {
    rows.push(...(await mod.run()));
  } catch (err) {
    rows.push({ group: file, name: 'failed to run', measured: NaN, unit: '', target: String(err instanceof Error ? err.message : err), pass: false });
  }
}

const cpu = cpus()[0]?.model ?? 'unknown cpu';
console.log(`\nImprint benchmarks on ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
const header = ['group', 'benchmark', 'peer', 'imprint', 'ratio', 'target', 'pass'];
const table = rows.map((r) => [
  r.group, r.name,
  r.peer === undefined ? '' : `${fmt(r.peer)} ${r.unit}`,
  `${fmt(r.measured)} ${r.unit}`,
  r.ratio === undefined ? '' : fmt(r.ratio),
  r.target, r.pass ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(3);
}
