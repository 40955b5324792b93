/** Live: the run on screen as it happens. */
import { api } from '../api/instance.js';
import { useApp } from '../store/app-store.js';
import { RunHeader } from '../panels/RunHeader.js';
import { RunView } from './RunView.js';

export function LiveScreen() {
  const source = useApp((s) => s.source);
  const run = useApp((s) => s.run);
  const setScreen = useApp((s) => s.setScreen);
  const setError = useApp((s) => s.setError);
  if (source?.kind !== 'run' || !run) {
    return (
      <div className="screen-empty">
        <h1>No run on screen</h1>
        <p>Start an image or a compose file and watch what it does here, live.</p>
        <button className="primary" onClick={() => setScreen('start')}>Go to Start</button>
      </div>
    );
  }
  const stop = () => { api().call('run.stop', { runId: run.runId }).then((s) => useApp.setState({ run: s }), (e: Error) => setError(e.message)); };
  return (
    <div className="screen">
      <RunHeader title={run.label} onStop={stop} extra={run.capture ? <span className="muted mono small" title="capture file">{run.capture}</span> : undefined} />
      <RunView />
    </div>
  );
}
