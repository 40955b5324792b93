/**
 * `imprint show CAPTURE [--json]`: what a capture recorded (processes, files, connections) and whether it
 * is complete; no Docker needed. `--json` prints the models (common/models) and the capture's summary.
 */
import type { Command } from 'commander';
import type { ModelsSnapshot, ProcessNode } from '../../../common/models/index.js';
import { replayCapture } from '../../capture/reader.js';

const MAX_ROWS = 60;

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show what a capture recorded: processes, files and connections')
    .argument('<capture>', 'capture file (.partial files of an interrupted run work too)')
    .option('--json', 'print the models as JSON')
    .option('--all', 'list every row instead of the first ' + MAX_ROWS)
    .action(async (file: string, flags: { json?: boolean; all?: boolean }) => {
      let replay;
      try {
        replay = await replayCapture(file);
      } catch (err) {
        process.stderr.write(`imprint show: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const { summary, models } = replay;
      if (!summary.header) {
        process.stderr.write(`imprint show: ${file} is not an Imprint capture (${summary.invalidReasons[0] ?? 'empty'})\n`);
        process.exitCode = 2;
        return;
      }
      const snapshot = models.snapshot();
      if (flags.json) {
        process.stdout.write(JSON.stringify({ header: summary.header, end: summary.end ?? null, complete: summary.complete, incompleteBecause: summary.incompleteBecause, invalidLines: summary.invalid, models: snapshot }) + '\n');
        return;
      }
      const h = summary.header;
      const out: string[] = [];
      out.push(`${file}: ${h.mode === 'compose' ? `compose ${h.source ?? ''}` : h.services[0]?.image ?? ''} (run ${h.runId}, ${new Date(h.startedAt).toISOString()}, Imprint ${h.imprint})`);
      out.push(summary.complete ? 'complete: every probe stream went from HELLO to END without a gap' : `INCOMPLETE: ${summary.incompleteBecause.join('; ')}`);
      out.push(`${summary.events.toLocaleString('en')} events; dropped ${snapshot.counters.dropped}${summary.end?.exitCode !== undefined ? `; exit code ${summary.end.exitCode}` : ''}`);
      const limit = flags.all ? Infinity : MAX_ROWS;
      out.push('', ...processes(snapshot, limit), '', ...files(snapshot, limit), '', ...connections(snapshot, limit));
      process.stdout.write(out.join('\n') + '\n');
    });
}

function processes(s: ModelsSnapshot, limit: number): string[] {
  const byKey = new Map(s.processes.nodes.map((n) => [n.key, n]));
  const out = [`PROCESSES (${s.processes.nodes.length}${s.processes.untracked ? `, ${s.processes.untracked} more not tracked` : ''})`];
  const walk = (n: ProcessNode, depth: number) => {
    if (out.length > limit) return;
    const cmd = n.argv?.length ? n.argv.join(' ') : n.exe ?? '?';
    const end = n.exitCode !== undefined ? ` → ${n.exitCode}` : n.signal !== undefined ? ` → signal ${n.signal}` : '';
    out.push(`${'  '.repeat(depth + 1)}${n.service} ${n.pid} ${cmd.slice(0, 160)}${end}`);
    for (const c of n.children) { const child = byKey.get(c); if (child) walk(child, depth + 1); }
  };
  for (const r of s.processes.roots) { const n = byKey.get(r); if (n) walk(n, 0); }
  if (out.length > limit) out.push(`  ... (--all lists every row)`);
  return out;
}

function files(s: ModelsSnapshot, limit: number): string[] {
  const rows = [...s.files.files].sort((a, b) => a.path.localeCompare(b.path));
  const out = [`FILES (${rows.length})   reads writes creates deletes changes failures  path`];
  for (const f of rows.slice(0, limit)) {
    const n = (x: number) => String(x).padStart(6);
    out.push(`  ${n(f.reads)} ${n(f.writes)} ${n(f.creates)} ${n(f.deletes)} ${n(f.changes)} ${n(f.failures)}   ${f.path}`);
  }
  if (rows.length > limit) out.push(`  ... ${rows.length - limit} more (--all)`);
  return out;
}

function connections(s: ModelsSnapshot, limit: number): string[] {
  const label = new Map(s.graph.nodes.map((n) => [n.id, n.label]));
  const out = [`CONNECTIONS (${s.graph.edges.length})`];
  for (const e of s.graph.edges.slice(0, limit)) {
    out.push(`  ${label.get(e.from)} → ${label.get(e.to)} ${e.protocol}/${e.port}  ×${e.count}${e.failures ? ` (${e.failures} failed)` : ''}`);
  }
  const listening = s.graph.nodes.filter((n) => n.listen.length);
  if (listening.length) out.push('LISTENING', ...listening.map((n) => `  ${n.label}: ${n.listen.map((l) => `${l.protocol}/${l.port}`).join(', ')}`));
  return out;
}
