/** Replay: open a capture and scrub it with the same views; no engine needed. */
import { useEffect, useState } from 'react';
import type { CaptureChunk } from '../../../common/api.js';
import { api } from '../api/instance.js';
import { useApp, type CaptureSource } from '../store/app-store.js';
import { RunHeader, fmtDuration } from '../panels/RunHeader.js';
import { RunView } from './RunView.js';

const CHUNK = 20_000;

/** Counts opened captures: a loader stops once another open (even of the same path) has replaced its own. */
let opened = 0;

/** Reads a capture chunk by chunk into the store's log; stops when the user opens something else. */
async function loadCapture(path: string, generation: number): Promise<void> {
  const mine = () => { const s = useApp.getState().source; return generation === opened && s?.kind === 'capture' && s.path === path ? s : undefined; };
  let offset: number | undefined = 0;
  let header: unknown;
  let incomplete: string[] = [];
  while (offset !== undefined && mine()) {
    const chunk: CaptureChunk = await api().call('capture.read', { path, offset, limit: CHUNK });
    if (!mine()) return;
    if (offset === 0) { header = chunk.header; incomplete = chunk.incomplete; }
    useApp.getState().appendNow(chunk.events);
    useApp.setState((s) => ({ source: { ...(s.source as CaptureSource), header, incomplete } }));
    offset = chunk.next;
  }
  const s = mine();
  if (s) useApp.setState({ source: { ...s, loading: false } });
}

/**
 * Opens a capture for replay once the main process has read its start: a path that is no capture (a
 * baseline, a folder, a missing file) is an error to show, and must not take the run or capture on screen
 * away with it. Returns whether it opened.
 */
export async function openCapture(path: string): Promise<boolean> {
  try {
    await api().call('capture.read', { path, offset: 0, limit: 1 });
  } catch (e) {
    useApp.getState().setError(`Could not open ${path}: ${(e as Error).message}`);
    return false;
  }
  const generation = ++opened;
  useApp.getState().openSource({ kind: 'capture', path, loading: true });
  useApp.getState().setScreen('replay');
  loadCapture(path, generation).catch((e: Error) => {
    useApp.getState().setError(e.message);
    const s = useApp.getState().source;
    if (generation === opened && s?.kind === 'capture') useApp.setState({ source: { ...s, loading: false } });
  });
  return true;
}

export function ReplayScreen() {
  const source = useApp((s) => s.source);
  const log = useApp((s) => s.log);
  const playhead = useApp((s) => s.playhead);
  const setPlayhead = useApp((s) => s.setPlayhead);
  useApp((s) => s.tick);
  const [path, setPath] = useState('');
  const [playing, setPlaying] = useState(false);
  /** The workspace's captures, offered as the path is typed (the Start screen lists them too). */
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    api().call('files.recent', {}).then((f) => setKnown(f.captures.map((c) => c.path)), () => setKnown([]));
  }, []);
  const capture = source?.kind === 'capture' ? source : undefined;

  useEffect(() => {
    if (!playing) return;
    const t0 = log.firstTime, t1 = log.lastTimeSeen;
    const step = Math.max((t1 - t0) / 200, 1);
    const id = setInterval(() => {
      const cur = useApp.getState().playhead ?? t0;
      if (cur >= t1) { setPlaying(false); useApp.getState().setPlayhead(null); return; }
      useApp.getState().setPlayhead(Math.min(t1, cur + step));
    }, 50);
    return () => clearInterval(id);
  }, [playing, log]);

  const t0 = log.firstTime, t1 = log.lastTimeSeen;
  const step = Math.max((t1 - t0) / 1000, 0.001);
  return (
    <div className="screen">
      <form className="replay-bar" onSubmit={(e) => { e.preventDefault(); if (path.trim()) void openCapture(path.trim()); }}>
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="capture file (.imprint) in the workspace, e.g. captures/…" className="mono" data-testid="capture-path" list="workspace-captures" />
        <datalist id="workspace-captures" data-testid="workspace-captures">{known.map((c) => <option key={c} value={c} />)}</datalist>
        <button className="primary" type="submit" disabled={!path.trim()}>Open capture</button>
        {capture && log.length > 0 && (
          <div className="scrubber">
            <button onClick={(e) => { e.preventDefault(); setPlaying(!playing); }} aria-label={playing ? 'Pause' : 'Play'}>{playing ? '❚❚' : '▶'}</button>
            <input type="range" min={t0} max={t1} step={step} value={playhead ?? t1}
              /* the slider snaps to whole steps from its start: its last one may fall short of t1, and still means the end */
              onChange={(e) => { const v = Number(e.target.value); setPlayhead(v > t1 - step ? null : v); }} aria-label="Playhead" data-testid="playhead" />
            <span className="mono">{fmtDuration((playhead ?? t1) - t0)} / {fmtDuration(t1 - t0)}</span>
          </div>
        )}
      </form>
      {!capture ? (
        <div className="screen-empty"><h1>Replay a capture</h1><p>Every run writes a capture file. Open one to scrub through it with the same views, with no Docker engine needed.</p></div>
      ) : (
        <>
          <RunHeader title={capture.path} extra={<>
            {capture.loading && <span className="badge">loading…</span>}
            {capture.incomplete && capture.incomplete.length > 0 && (
              <span className="badge danger" title={capture.incomplete.join('\n')} data-testid="capture-incomplete">incomplete capture</span>
            )}
          </>} />
          <RunView />
        </>
      )}
    </div>
  );
}
