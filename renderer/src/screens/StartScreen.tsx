/** Start: engine status, local images, run configuration, compose files, recent captures and baselines. */
import { useEffect, useMemo, useState } from 'react';
import type { FileEntry, ImageSummary, RunState, Tracing } from '../../../common/api.js';
import { api } from '../api/instance.js';
import { useStartForm } from '../store/start-form.js';
import { useApp } from '../store/app-store.js';
import { loadBaseline } from './BaselinesScreen.js';
import { openCapture } from './ReplayScreen.js';
import { buildComposeConfig, buildRunConfig, type Built } from '../model/run-form.js';
import { fmtBytes } from '../model/format.js';
import { LiveRuns } from '../panels/LiveRuns.js';

export function StartScreen() {
  const engine = useApp((s) => s.engine);
  const openSource = useApp((s) => s.openSource);
  const setScreen = useApp((s) => s.setScreen);
  const setError = useApp((s) => s.setError);
  const [images, setImages] = useState<ImageSummary[] | undefined>();
  const [imagesError, setImagesError] = useState<string>();
  const [files, setFiles] = useState<{ captures: FileEntry[]; baselines: FileEntry[]; compose: FileEntry[] }>();
  const [search, setSearch] = useState('');
  // The forms outlive the screen (store/start-form.ts): back from a run, they hold what was typed.
  const { run: cfg, setRun: setCfg, tracing, setTracing, compose, setCompose, until, setUntil, composeDuration, setComposeDuration } = useStartForm();
  /** Which form's call is in flight: creating containers takes seconds, and the button says so meanwhile. */
  const [busy, setBusy] = useState<'run' | 'compose'>();
  const liveRuns = useApp((s) => s.liveRuns);

  const refresh = async () => {
    try { useApp.setState({ engine: await api().call('engine.status', {}) }); } catch (e) { setError(String((e as Error).message)); }
    api().call('images.list', {}).then((list) => { setImages(list); setImagesError(undefined); }, (e: Error) => setImagesError(e.message));
    api().call('files.recent', {}).then(setFiles, () => setFiles({ captures: [], baselines: [], compose: [] }));
  };
  useEffect(() => { void refresh(); }, []);
  // While the engine is down, keep asking: the screen turns ready by itself when it comes up.
  useEffect(() => {
    if (!engine || engine.connected) return;
    const id = setInterval(() => { void refresh(); }, 5000);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine?.connected]);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (images ?? []).filter((i) => !q || i.tags.some((t) => t.toLowerCase().includes(q)) || i.id.includes(q));
  }, [images, search]);

  /** Starts a run from a form's config, or shows what in the form to fix: nothing starts with a value dropped. */
  const launch = async <T,>(which: 'run' | 'compose', built: Built<T>, call: (config: T) => Promise<RunState>) => {
    if ('error' in built) { setError(built.error); return; }
    setError(undefined); // what was wrong with the last attempt no longer is
    setBusy(which);
    try {
      const state = await call(built.config);
      openSource({ kind: 'run', runId: state.runId }, state);
      setScreen('live');
    } catch (e) { setError((e as Error).message); } finally { setBusy(undefined); }
  };
  const start = () => launch('run', buildRunConfig(cfg, tracing), (c) => api().call('run.start', c));
  const startCompose = (file: string) =>
    launch('compose', buildComposeConfig({ file, until, duration: composeDuration }, tracing), (c) => api().call('run.compose', c));

  return (
    <div className="start-screen">
      {/* Starting another run is allowed; the user just has to know one is still going, and how to reach it. */}
      {liveRuns.length > 0 && <div className="start-live-runs"><LiveRuns runs={liveRuns} starting /></div>}
      <section className="panel engine-card" aria-label="Engine" data-testid="engine-status">
        <header className="panel-head"><h2>Docker engine</h2><div className="panel-tools"><button onClick={() => void refresh()}>Refresh</button></div></header>
        {!engine ? <div className="empty">Asking the engine…</div> : engine.connected ? (
          <dl className="kv">
            <dt>Status</dt><dd><span className="status status-running">connected</span></dd>
            <dt>Version</dt><dd className="mono">{engine.version ?? '?'}{engine.apiVersion ? ` (API ${engine.apiVersion})` : ''}</dd>
            <dt>Context</dt><dd className="mono">{engine.context ?? 'default'}</dd>
          </dl>
        ) : (
          <div className="engine-down">
            <span className="status status-failed">not reachable</span>
            <p>{engine.error ?? 'The Docker engine does not answer.'}</p>
            {engine.fix && <p className="fix">{engine.fix}</p>}
            <p className="muted">You can still open captures and baselines below.</p>
          </div>
        )}
      </section>

      <section className="panel run-card" aria-label="Run an image">
        <header className="panel-head"><h2>Run an image</h2></header>
        <form className="form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <label>Image<input required value={cfg.image} onChange={(e) => setCfg({ ...cfg, image: e.target.value })} placeholder="repository:tag" data-testid="run-image" /></label>
          <label>Command<input value={cfg.command} onChange={(e) => setCfg({ ...cfg, command: e.target.value })} placeholder="default: the image's own" className="mono" /></label>
          <label>Environment<textarea value={cfg.env} onChange={(e) => setCfg({ ...cfg, env: e.target.value })} placeholder="KEY=VALUE, one per line" rows={2} className="mono" /></label>
          <div className="row">
            <label>Ports<input value={cfg.ports} onChange={(e) => setCfg({ ...cfg, ports: e.target.value })} placeholder="127.0.0.1:8080:80" className="mono" /></label>
            <label>Network<input value={cfg.network} onChange={(e) => setCfg({ ...cfg, network: e.target.value })} placeholder="default bridge" /></label>
            <label>Stop after<input value={cfg.duration} onChange={(e) => setCfg({ ...cfg, duration: e.target.value })} placeholder="until it exits; 30, 30s, 5m" data-testid="run-duration" /></label>
          </div>
          <TracingOptions value={tracing} onChange={setTracing} />
          <button className="primary" type="submit" disabled={!!busy || !cfg.image.trim() || !engine?.connected}>{busy === 'run' ? 'Starting…' : 'Run with probe'}</button>
          {busy === 'run' && <p className="muted small" role="status" data-testid="run-starting">Creating the container and attaching the probe…</p>}
        </form>
      </section>

      <section className="panel compose-card" aria-label="Compose">
        <header className="panel-head"><h2>Run a compose file</h2></header>
        <form className="form" onSubmit={(e) => { e.preventDefault(); if (compose.trim()) void startCompose(compose.trim()); }}>
          <label>Compose file<input value={compose} onChange={(e) => setCompose(e.target.value)} placeholder="path/to/compose.yaml" className="mono" data-testid="compose-path" /></label>
          <div className="row">
            <label>Stop when this service exits<input value={until} onChange={(e) => setUntil(e.target.value)} placeholder="optional" data-testid="compose-until" /></label>
            <label>Stop after<input value={composeDuration} onChange={(e) => setComposeDuration(e.target.value)} placeholder="optional; 30, 30s, 5m" data-testid="compose-duration" /></label>
          </div>
          <TracingOptions value={tracing} onChange={setTracing} />
          <button className="primary" type="submit" disabled={!!busy || !compose.trim() || !engine?.connected}>{busy === 'compose' ? 'Starting…' : 'Run compose'}</button>
          {busy === 'compose' && <p className="muted small" role="status" data-testid="compose-starting">Creating the containers and attaching the probe…</p>}
        </form>
        <FileList files={files?.compose} empty="No compose files in the workspace." onOpen={(f) => setCompose(f.path)} testid="compose-files" />
      </section>

      <section className="panel images-card" aria-label="Local images">
        <header className="panel-head">
          <h2>Local images</h2><span className="muted">{images?.length ?? 0}</span>
          <input className="search" type="search" placeholder="Search images" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search images" />
        </header>
        <div className="panel-scroll" data-testid="images">
          {engine && !engine.connected ? <div className="empty">Local images appear here when the engine is reachable.</div>
            : imagesError ? <div className="empty error">{imagesError}</div>
            : !images ? <div className="empty">Loading…</div>
            : shown.length === 0 ? <div className="empty">{images.length ? 'No image matches.' : 'No local images. Imprint never pulls on its own: pull or build one first.'}</div>
            : <table className="grid clickable">
                <thead><tr><th>Image</th><th>Size</th><th>Created</th></tr></thead>
                <tbody>{shown.map((i) => {
                  // The tag to show and run: the one the search matched, else :latest, else the first.
                  const q = search.trim().toLowerCase();
                  const tag = (q && i.tags.find((t) => t.toLowerCase().includes(q))) || i.tags.find((t) => t.endsWith(':latest')) || i.tags[0] || i.id;
                  return (
                    <tr key={i.id} onClick={() => setCfg({ ...cfg, image: tag })} className={cfg.image === tag ? 'selected' : ''}>
                      <td className="mono">{tag.startsWith('sha256:') ? tag.slice(7, 19) : tag}{i.tags.length > 1 && <span className="muted" title={i.tags.join('\n')}> +{i.tags.length - 1}</span>}</td>
                      <td className="num">{(i.size / 1e6).toFixed(1)} MB</td>
                      <td className="muted">{new Date(i.created).toLocaleDateString()}</td>
                    </tr>
                  );
                })}
                </tbody>
              </table>}
        </div>
      </section>

      <div className="side-stack">
        <section className="panel recent-card" aria-label="Recent captures">
          <header className="panel-head"><h2>Recent captures</h2></header>
          <FileList files={files?.captures} empty="No captures yet. Every run writes one." testid="recent-captures"
            onOpen={(f) => { void openCapture(f.path); }} />
        </section>

        <section className="panel recent-card" aria-label="Baselines">
          <header className="panel-head"><h2>Baselines</h2></header>
          <FileList files={files?.baselines} empty="No baseline files in the workspace." testid="recent-baselines"
            onOpen={(f) => { void loadBaseline(f.path).then(() => setScreen('baselines')); }} />
        </section>
      </div>
    </div>
  );
}

function FileList({ files, empty, onOpen, testid }: { files?: FileEntry[]; empty: string; onOpen: (f: FileEntry) => void; testid: string }) {
  if (!files) return <div className="empty">Loading…</div>;
  if (files.length === 0) return <div className="empty">{empty}</div>;
  return (
    <ul className="file-list" data-testid={testid}>
      {files.slice(0, 12).map((f) => (
        <li key={f.path}>
          <button className="link mono" onClick={() => onOpen(f)} title={f.path}>{f.name}</button>
          <span className="muted small">{new Date(f.modified).toLocaleString()} · {fmtBytes(f.size)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The CLI's --no-log-pids, --no-seccomp and --seccomp-unconfined, offered where a run starts: the probe's
 * notices (log-writes-costly, setuid-exec) point here. Each box says what it costs.
 */
function TracingOptions({ value, onChange }: { value: Tracing; onChange: (v: Tracing) => void }) {
  /** Only a choice that differs from the default is kept: the config then says what was changed. */
  const set = (key: keyof Tracing, changed: boolean, stored: boolean) => {
    const next = { ...value };
    if (changed) next[key] = stored; else delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="options">
      <label className="option" title="Each write to stdout or stderr is handed to the probe to learn its writer. Turn this off for apps that write there thousands of times a second: their lines then carry no pid.">
        <input type="checkbox" checked={value.logPids !== false} onChange={(e) => set('logPids', !e.target.checked, false)} data-testid="log-pids" />
        Record which process wrote each output line
      </label>
      <label className="option" title="The probe's seccomp filter sets no_new_privs, so setuid programs (sudo, su, ping on some images) run without their privileges. Without the filter every system call stops at the probe: the app runs slower.">
        <input type="checkbox" checked={value.seccomp === false} onChange={(e) => set('seccomp', e.target.checked, false)} data-testid="no-seccomp" />
        Let setuid programs gain privileges (slower: no seccomp filter)
      </label>
      <label className="option" title="Calls that Docker's default seccomp profile denies never reach the probe. A run to learn a baseline from should see every call the app makes.">
        <input type="checkbox" checked={value.seccompUnconfined === true} onChange={(e) => set('seccompUnconfined', e.target.checked, true)} data-testid="seccomp-unconfined" />
        Run without Docker's seccomp profile (for baseline learning runs)
      </label>
    </fieldset>
  );
}
