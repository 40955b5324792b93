// Must come first: zod must be jitless before any schema is defined (strict CSP, zod #4368).
import './zod-config.js';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { api } from './api/instance.js';
import { connectPushes, resumeRun, useApp } from './store/app-store.js';
import './styles.css';

connectPushes(api());
api().call('ui.ready', {}).then(
  (info) => {
    useApp.setState({ mode: info.mode, workspace: info.workspace });
    resumeRun(api()).catch(() => { /* no engine: nothing to resume */ });
  },
  (err: Error) => useApp.getState().setError(err.message),
);
createRoot(document.getElementById('root')!).render(<App />);
