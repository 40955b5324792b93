/**
 * What `imprint run` and `imprint up` print while a session runs:
 * - `--json`: one event per line (NDJSON) on stdout, nothing else there; messages on stderr;
 * - otherwise the application's own output (LOG events), byte for byte, on stdout/stderr, prefixed with the
 *   service for compose runs (app-output.ts), a live status line on stderr when it is a terminal, and a
 *   summary at the end.
 * Ctrl-C stops the run (SIGTERM to the app, then kill); a third Ctrl-C gives up waiting for the clean-up.
 */
import type { ImprintEvent } from '../../common/events.js';
import { EngineError, type RunResult, type RunSession, type SessionMessage } from '../engine/index.js';
import { AppOutput } from './app-output.js';

export interface OutputMode {
  json: boolean;
  /** Prefix log lines with the service (compose). */
  prefix: boolean;
}

const tty = Boolean(process.stderr.isTTY);
let statusShown = false;
/** The app's output so far (which lines it left open); made by the first printEvents, which knows the mode. */
let app: AppOutput | undefined;
/** Set when whoever reads our stdout went away (`imprint run --json | head`): print nothing more there. */
let stdoutClosed = false;
const stdoutClosedListeners = new Set<() => void>();
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  if (stdoutClosed) return;
  stdoutClosed = true;
  for (const l of stdoutClosedListeners) l();
});

function clearStatus(): void {
  if (statusShown) { process.stderr.write('\r\x1b[2K'); statusShown = false; }
}

/**
 * The app left a line open where a person sees it (a prompt; a last line without a newline): on stderr, or
 * on stdout when that is a terminal (most likely the one stderr shows on).
 */
function appLineOpen(): boolean {
  return Boolean(app && (app.isOpen('stderr') || (app.isOpen('stdout') && process.stdout.isTTY)));
}

/**
 * Before Imprint writes a line of its own to stderr: the status line goes, and a line the app left open is
 * ended on stderr so that Imprint's line does not run on from it. Only stderr gets that newline: stdout
 * stays the app's bytes exactly.
 */
function startOwnLine(): void {
  clearStatus();
  if (!appLineOpen()) return;
  process.stderr.write('\n');
  app?.lineEnded('stderr');
  if (process.stdout.isTTY) app?.lineEnded('stdout');
}

export function printMessage(m: SessionMessage): void {
  if (m.code === 'pull' && !tty) return;
  startOwnLine();
  const who = m.service ? `${m.service}: ` : '';
  process.stderr.write(`imprint: ${m.level === 'info' ? '' : `${m.level}: `}${who}${m.text}\n`);
}

export function printEvents(events: ImprintEvent[], mode: OutputMode): void {
  if (stdoutClosed) return;
  if (mode.json) {
    let out = '';
    for (const e of events) out += JSON.stringify(e) + '\n';
    process.stdout.write(out);
    return;
  }
  app ??= new AppOutput(mode.prefix);
  const { stdout, stderr } = app.take(events);
  if (stdout.length || stderr.length) clearStatus();
  if (stdout.length && !stdoutClosed) process.stdout.write(stdout);
  if (stderr.length) process.stderr.write(stderr);
}

/**
 * Ctrl-C (or SIGTERM, SIGHUP) while a run is still starting: cancels the start through the returned signal,
 * so the engine removes what it already created instead of Imprint dying with it in place. `release()`
 * hands the signals over to followSession once the run is going.
 */
export function cancelStartOnSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => {
    if (controller.signal.aborted) return;
    process.stderr.write('imprint: cancelling the start (removing what was created)...\n');
    controller.abort();
  };
  for (const s of signals) process.on(s, onSignal);
  return { signal: controller.signal, release: () => { for (const s of signals) process.off(s, onSignal); } };
}

/** Wires a session to the terminal, handles Ctrl-C, prints the summary; returns the exit code to use. */
export async function followSession(session: RunSession, mode: OutputMode): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  if (tty && !mode.json) {
    timer = setInterval(() => {
      // Drawn with a carriage return and erase-line: over a prompt or a line the app is still writing it
      // would wipe that from the terminal.
      if (appLineOpen()) return;
      const c = session.models.counters;
      const s = `\r\x1b[2K▶ ${session.label}  ${((Date.now() - started) / 1000).toFixed(0)}s  ${c.events.toLocaleString('en')} events  ${Math.round(c.rate(Date.now())).toLocaleString('en')}/s  processes ${session.models.processes.nodes.size}  files ${session.models.files.files.size}  connections ${session.models.graph.edges.size}  dropped ${c.dropped}`;
      process.stderr.write(s.slice(0, (process.stderr.columns || 120) + 8));
      statusShown = true;
    }, 250);
  }
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    startOwnLine();
    if (interrupts === 1) {
      process.stderr.write('imprint: stopping (SIGTERM to the app, kill after the grace period)...\n');
      void session.stop();
    } else if (interrupts === 2) {
      process.stderr.write('imprint: still cleaning up; press Ctrl-C again to give up (leftovers are swept at the next start)\n');
    } else {
      process.exit(130);
    }
  };
  // A closed terminal (SIGHUP) or a closed pipe on stdout is a stop request like Ctrl-C: the run still
  // cleans up after itself and finishes its capture.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const onStdoutClosed = () => { if (interrupts === 0) { interrupts++; void session.stop(); } };
  stdoutClosedListeners.add(onStdoutClosed);
  if (stdoutClosed) onStdoutClosed();
  const result = await session.done;
  if (timer) clearInterval(timer);
  for (const s of signals) process.off(s, onSignal);
  stdoutClosedListeners.delete(onStdoutClosed);
  startOwnLine();
  printSummary(session, result);
  if (endedOnSchedule(result)) {
    process.stderr.write(`imprint: stopped after --duration; exit code ${result.exitCode} is the app's answer to the stop signal, so imprint exits 0\n`);
    return 0;
  }
  if (result.exitCode !== undefined) return result.exitCode;
  return result.status === 'failed' ? 125 : 1;
}

/**
 * A run that --duration ended, complete, and whose every service exited cleanly or ended on the stop
 * signal after Imprint sent it (128 + its image's STOPSIGNAL: 143 for SIGTERM, 130, 138...) did what was
 * asked: `imprint run --duration 30 IMG --capture x` under `set -e` in CI must not fail on the 143 of a
 * server that was told to stop. A service that died before the stop, or a kill after the grace period
 * (137; the capture is then incomplete), keeps its code.
 */
export function endedOnSchedule(r: RunResult): boolean {
  return r.stoppedBy === 'duration' && r.status === 'exited' && r.complete
    && r.services.every((s) => s.exitCode === 0 || (s.stopped === true && s.exitCode !== undefined && s.exitCode > 128 && s.exitCode !== 137));
}

function printSummary(session: RunSession, r: RunResult): void {
  const m = session.models;
  const lines = [
    `imprint: ${session.label}: ${r.status}${r.exitCode !== undefined ? `, exit code ${r.exitCode}` : ''} after ${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s`,
    `  ${r.events.toLocaleString('en')} events, ${m.processes.nodes.size} processes, ${m.files.files.size} files, ${m.graph.edges.size} connections; dropped ${r.dropped}`,
    r.complete ? '  capture complete: every probe stream went from HELLO to END without a gap' : `  INCOMPLETE: ${r.problems.join(', ')}`,
  ];
  if (r.error) lines.push(`  error: ${r.error}`);
  for (const s of r.services) {
    if (r.services.length > 1 || s.oomKilled || s.error) {
      lines.push(`  ${s.service}: exit ${s.exitCode ?? '?'}${s.oomKilled ? ' (OOM killed)' : ''}${s.error ? ` (${s.error})` : ''}${s.complete ? '' : ' incomplete'}`);
    }
  }
  if (r.capture) lines.push(`  capture: ${r.capture}`);
  process.stderr.write(lines.join('\n') + '\n');
}

/** Prints an error that stopped a command before the run; returns the exit code (125, like docker run). */
export function failed(command: string, err: unknown): number {
  clearStatus();
  if (err instanceof EngineError) process.stderr.write(`imprint ${command}: ${err.message}\n`);
  else process.stderr.write(`imprint ${command}: ${(err as Error)?.stack ?? String(err)}\n`);
  return 125;
}
