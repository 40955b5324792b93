/** The app frame: navigation, theme and font scale, keyboard shortcuts, and the error banner. */
import { useEffect, useState } from 'react';
import { useApp, type Screen } from './store/app-store.js';
import { StartScreen } from './screens/StartScreen.js';
import { LiveScreen } from './screens/LiveScreen.js';
import { ReplayScreen } from './screens/ReplayScreen.js';
import { BaselinesScreen } from './screens/BaselinesScreen.js';

const SCREENS: { id: Screen; label: string; key: string }[] = [
  { id: 'start', label: 'Start', key: 's' },
  { id: 'live', label: 'Live', key: 'l' },
  { id: 'replay', label: 'Replay', key: 'r' },
  { id: 'baselines', label: 'Baselines', key: 'b' },
];

const SHORTCUTS: [string, string][] = [
  ['S / L / R / B', 'Start, Live, Replay, Baselines'],
  ['/', 'search events'],
  ['[ and ]', 'smaller / larger text'],
  ['T', 'cycle theme: system, light, dark'],
  ['+ / - / arrows', 'zoom and pan the focused timeline'],
  ['shift-drag', 'select a time range; Esc clears it'],
  ['F', 'fit the timeline'],
  ['?', 'this help'],
];

function useResolvedTheme(): 'light' | 'dark' {
  const theme = useApp((s) => s.theme);
  const [dark, setDark] = useState(() => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const on = () => setDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return theme === 'system' ? (dark ? 'dark' : 'light') : theme;
}

export function App() {
  const screen = useApp((s) => s.screen);
  const setScreen = useApp((s) => s.setScreen);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const fontScale = useApp((s) => s.fontScale);
  const setFontScale = useApp((s) => s.setFontScale);
  const error = useApp((s) => s.error);
  const setError = useApp((s) => s.setError);
  // Any run still going, on screen or not: the Live tab says so wherever the user is.
  const live = useApp((s) => s.liveRuns.length > 0);
  const resolved = useResolvedTheme();
  const [help, setHelp] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
    document.documentElement.style.setProperty('--scale', String(fontScale));
  }, [resolved, fontScale]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      // Keys a focused panel (the timeline) already handled, and typing in fields, are not shortcuts.
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
        if (e.key === 'Escape') t.blur();
        return;
      }
      const k = e.key.toLowerCase();
      const target = SCREENS.find((s) => s.key === k);
      if (target) setScreen(target.id);
      else if (e.key === '/') { (document.querySelector('input[data-shortcut="/"]') as HTMLInputElement | null)?.focus(); }
      else if (e.key === ']') setFontScale(useApp.getState().fontScale + 0.1);
      else if (e.key === '[') setFontScale(useApp.getState().fontScale - 0.1);
      else if (k === 't') setTheme(theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system');
      else if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') { setHelp(false); useApp.getState().setRange(null); }
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen, setFontScale, setTheme, theme]);

  return (
    <div className="app">
      <nav className="topbar">
        <div className="brand"><span className="logo" aria-hidden>◉</span>Imprint</div>
        <div className="tabs" role="tablist">
          {SCREENS.map((s) => (
            <button key={s.id} role="tab" aria-selected={screen === s.id} className={screen === s.id ? 'tab on' : 'tab'} onClick={() => setScreen(s.id)} title={`${s.key.toUpperCase()}`}>
              {s.label}{s.id === 'live' && live && <i className="live-dot" aria-label="running" />}
            </button>
          ))}
        </div>
        <div className="prefs">
          <button onClick={() => setFontScale(fontScale - 0.1)} aria-label="Smaller text" title="[">A−</button>
          <span className="mono small" aria-label="Text scale">{Math.round(fontScale * 100)}%</span>
          <button onClick={() => setFontScale(fontScale + 0.1)} aria-label="Larger text" title="]">A+</button>
          <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)} aria-label="Theme">
            <option value="system">System theme</option><option value="light">Light</option><option value="dark">Dark</option>
          </select>
          <button onClick={() => setHelp(!help)} aria-label="Keyboard shortcuts" title="?">?</button>
        </div>
      </nav>
      {error && (
        <div className="error-banner" role="alert" data-testid="error-banner">
          <span>{error}</span><button onClick={() => setError(undefined)} aria-label="Dismiss">✕</button>
        </div>
      )}
      {help && (
        <div className="help" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <dl>{SHORTCUTS.map(([k, v]) => <div key={k}><dt className="mono">{k}</dt><dd>{v}</dd></div>)}</dl>
          <button onClick={() => setHelp(false)}>Close</button>
        </div>
      )}
      <main className="content">
        {screen === 'start' && <StartScreen />}
        {screen === 'live' && <LiveScreen />}
        {screen === 'replay' && <ReplayScreen />}
        {screen === 'baselines' && <BaselinesScreen />}
      </main>
    </div>
  );
}
