/** Live: the run on screen as it happens, and a way back to any run still going that is not on screen. */
import { api } from '../api/instance.js';
import { useApp } from '../store/app-store.js';
import { RunHeader } from '../panels/RunHeader.js';
import { LiveRuns } from '../panels/LiveRuns.js';
import { RunView } from './RunView.js';

export function LiveScreen() {
  const source = useApp((s) => s.source);
  const run = useApp((s) => s.run);
  const liveRuns = useApp((s) => s.liveRuns);
  const setScreen = useApp((s) => s.setScreen);
  const setError = useApp((s) => s.setError);
  const elsewhere = liveRuns.filter((r) => !(source?.kind === 'run' && source.runId === r.runId));
  if (source?.kind !== 'run' || !run) {
    return (
      <div className="screen-empty">
        {elsewhere.length > 0 ? <>
          <h1>A run is still going</h1>
          <p>{source?.kind === 'capture' ? 'A capture is on screen, but this run goes on until it exits or you stop it.' : 'It goes on until it exits or you stop it.'}</p>
          <LiveRuns runs={elsewhere} />
        </> : <>
          <h1>No run on screen</h1>
          <p>Start an image or a compose file and watch what it does here, live.</p>
          <button className="primary" onClick={() => setScreen('start')}>Go to Start</button>
        </>}
      </div>
    );
  }
  const stop = () => { api().call('run.stop', { runId: run.runId }).then((s) => useApp.getState().noteRun(s), (e: Error) => setError(e.message)); };
  return (
    <div className="screen">
      <LiveRuns runs={elsewhere} />
      <RunHeader title={run.label} onStop={stop} extra={run.capture ? <span className="muted mono small" title="capture file">{run.capture}</span> : undefined} />
      <RunView />
    </div>
  );
}
