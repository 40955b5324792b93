/**
 * `imprint show CAPTURE [--name SERVICE] [--json] [--all]`: what a capture recorded (processes, files,
 * connections) and whether it is complete; no Docker needed. Connections name their peers exactly as a
 * baseline learned from the capture does (common/baseline/connections.ts, the same facts learning uses), so
 * `show` and the baseline can be read side by side. `--name` shows one service (a compose service, or the
 * name of an image run's container, as `run --name` sets it). `--json` prints the models, the connections
 * and the capture's summary.
 */
import type { Command } from 'commander';
import { CaptureCollector } from '../../../common/baseline/capture-input.js';
import { connectionsOf, NETWORK_EVENT_KINDS, type ListenPort, type PeerFlow } from '../../../common/baseline/connections.js';
import type { ModelsSnapshot, ProcessNode } from '../../../common/models/index.js';
import { replayCapture } from '../../capture/reader.js';

const MAX_ROWS = 60;

interface ShowFlags { json?: boolean; all?: boolean; name?: string }

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show what a capture recorded: processes, files and connections')
    .argument('<capture>', 'capture file (.partial files of an interrupted run work too)')
    .option('--name <service>', 'only this service (a compose service, or the container name of an image run)')
    .option('--json', 'print the models and connections as JSON')
    .option('--all', 'list every row instead of the first ' + MAX_ROWS)
    .action(async (file: string, flags: ShowFlags) => {
      // The baseline's own reader, in the same pass: it names peers from the run's records as learning does.
      const network = new CaptureCollector((e) => NETWORK_EVENT_KINDS.has(e.kind));
      let replay;
      try {
        replay = await replayCapture(file, { onText: (chunk) => network.push(chunk), ...(flags.name !== undefined ? { service: flags.name } : {}) });
      } catch (err) {
        process.stderr.write(`imprint show: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const { summary, models, records } = replay;
      if (!summary.header) {
        process.stderr.write(`imprint show: ${file} is not an Imprint capture (${summary.invalidReasons[0] ?? 'empty'})\n`);
        process.exitCode = 2;
        return;
      }
      const services = [...new Set([...summary.header.services.map((s) => s.service), ...records.flatMap((r) => (r.record === 'container' ? [r.service] : []))])];
      if (flags.name !== undefined && !services.includes(flags.name)) {
        process.stderr.write(`imprint show: ${file} has no service ${flags.name} (its services: ${services.join(', ') || 'none'})\n`);
        process.exitCode = 2;
        return;
      }
      const mine = <T extends { service: string }>(rows: T[]) => (flags.name === undefined ? rows : rows.filter((r) => r.service === flags.name));
      const all = connectionsOf(network.finish().events);
      const connections = { flows: mine(all.flows), listen: mine(all.listen) };
      const snapshot = models.snapshot();
      if (flags.json) {
        process.stdout.write(JSON.stringify({ header: summary.header, end: summary.end ?? null, complete: summary.complete, incompleteBecause: summary.incompleteBecause, invalidLines: summary.invalid, models: snapshot, connections }) + '\n');
        return;
      }
      const h = summary.header;
      const out: string[] = [];
      out.push(`${file}: ${h.mode === 'compose' ? `compose ${h.source ?? ''}` : h.services[0]?.image ?? ''} (run ${h.runId}, ${new Date(h.startedAt).toISOString()}, Imprint ${h.imprint})${flags.name !== undefined ? `; service ${flags.name} only` : ''}`);
      out.push(summary.complete ? 'complete: every probe stream went from HELLO to END without a gap' : `INCOMPLETE: ${summary.incompleteBecause.join('; ')}`);
      out.push(`${summary.events.toLocaleString('en')} events; dropped ${snapshot.counters.dropped}${summary.end?.exitCode !== undefined ? `; exit code ${summary.end.exitCode}` : ''}`);
      const limit = flags.all ? Infinity : MAX_ROWS;
      out.push('', ...processes(snapshot, limit), '', ...files(snapshot, limit), '', ...connectionRows(connections.flows, connections.listen, limit));
      process.stdout.write(out.join('\n') + '\n');
    });
}

function processes(s: ModelsSnapshot, limit: number): string[] {
  const byKey = new Map(s.processes.nodes.map((n) => [n.key, n]));
  const out = [`PROCESSES (${s.processes.nodes.length}${s.processes.untracked ? `, ${s.processes.untracked} more not tracked` : ''})`];
  const walk = (n: ProcessNode, depth: number) => {
    if (out.length > limit) return;
    // `→` chains execs now, so the exit is said in words.
    const end = n.exitCode !== undefined ? ` (exit ${n.exitCode})` : n.signal !== undefined ? ` (signal ${n.signal})` : '';
    out.push(`${'  '.repeat(depth + 1)}${n.service} ${n.pid} ${execChain(n)}${end}`);
    for (const c of n.children) { const child = byKey.get(c); if (child) walk(child, depth + 1); }
  };
  for (const r of s.processes.roots) { const n = byKey.get(r); if (n) walk(n, 0); }
  if (out.length > limit) out.push(`  ... (--all lists every row)`);
  return out;
}

/** Earlier execs shown before a process's command line: the first (the entrypoint) and the latest. */
const MAX_CHAIN = 4;

/**
 * What a process ran, oldest first: `/ep.sh → /bin/bash → sleep 2`. A script that execs its successor
 * keeps its pid, so the command line alone would hide the image's entrypoint behind the last program.
 */
function execChain(n: ProcessNode): string {
  const cmd = (n.argv?.length ? n.argv.join(' ') : n.exe ?? '?').slice(0, 160);
  const earlier = (n.execs ?? []).map((path) => path.slice(0, 80));
  // The model too keeps only the first and the latest execs: execCount says how many there were.
  const total = Math.max(n.execCount - 1, earlier.length);
  const shown = earlier.length <= MAX_CHAIN ? earlier
    : [earlier[0]!, `(${total - MAX_CHAIN} more)`, ...earlier.slice(-(MAX_CHAIN - 1))];
  return [...shown, cmd].join(' → ');
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

/** Peers as the baseline names them: `→` a connection made (remote port), `←` one accepted (local port). */
function connectionRows(flows: PeerFlow[], listen: ListenPort[], limit: number): string[] {
  const out = [`CONNECTIONS (${flows.length})`];
  for (const f of flows.slice(0, limit)) {
    const where = f.protocol === 'unix' ? 'unix' : `${f.protocol}/${f.port}`;
    const addresses = f.addresses.length ? ` ${f.addresses.join(', ')}` : '';
    out.push(`  ${f.service} ${f.direction === 'outbound' ? '→' : '←'} ${f.peer} ${where}  ×${f.count}${f.failures ? ` (${f.failures} failed)` : ''}  [${f.kind}${addresses}]`);
  }
  if (flows.length > limit) out.push(`  ... ${flows.length - limit} more (--all)`);
  const byService = new Map<string, string[]>();
  for (const l of listen) byService.set(l.service, [...(byService.get(l.service) ?? []), `${l.protocol}/${l.port}`]);
  if (byService.size) out.push('LISTENING', ...[...byService].map(([service, ports]) => `  ${service}: ${ports.join(', ')}`));
  return out;
}
