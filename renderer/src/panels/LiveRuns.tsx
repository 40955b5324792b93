/**
 * Runs still going that are not on screen (or, on the Start screen, any run still going): a way back to
 * each, and a Stop, so a replay or a second run never leaves containers running out of sight.
 */
import type { RunState } from '../../../common/api.js';
import { api } from '../api/instance.js';
import { showRun, useApp } from '../store/app-store.js';

export function LiveRuns({ runs, starting }: { runs: readonly RunState[]; starting?: boolean }) {
  if (runs.length === 0) return null;
  const back = (run: RunState) => { showRun(api(), run).catch((e: Error) => useApp.getState().setError(e.message)); };
  const stop = (run: RunState) => {
    api().call('run.stop', { runId: run.runId }).then((s) => useApp.getState().noteRun(s), (e: Error) => useApp.getState().setError(e.message));
  };
  return (
    <ul className="live-runs" data-testid="live-runs" role="status">
      {runs.map((r) => (
        <li key={r.runId}>
          <i className="live-dot" aria-hidden />
          <span><span className="mono">{r.label}</span> is still {r.status}.{starting && ' Another run started here runs alongside it.'}</span>
          <button onClick={() => back(r)}>Back to the running run</button>
          {r.status !== 'stopping' && <button className="danger-button" onClick={() => stop(r)}>Stop it</button>}
        </li>
      ))}
    </ul>
  );
}
