/**
 * File activity grouped by directory, busiest first; expand a directory for its files. Paths are shown in
 * the log view's display form (readableText) and cut with an ellipsis (the full path in a tooltip), so one
 * long path never pushes the counts out of view; deviations still match the stored paths.
 */
import { useState } from 'react';
import { readableText } from '../../../common/protocol/text.js';
import type { DirStat, FileStat } from '../model/views.js';

/** Rows drawn at most: the rest are counted in a "more" line. */
const MAX_DIRS = 300;
const MAX_FILES = 200;

export function FileActivity({ dirs, deviantPaths }: { dirs: DirStat[]; deviantPaths?: ReadonlySet<string> }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (p: string) => setOpen((s) => { const n = new Set(s); if (n.has(p)) n.delete(p); else n.add(p); return n; });
  return (
    <section className="panel" aria-label="File activity">
      <header className="panel-head"><h2>Files</h2><span className="muted">{dirs.length} directories</span></header>
      <div className="panel-scroll" data-testid="file-activity">
        {dirs.length === 0 ? <div className="empty">No file activity in this range.</div> : (
          <table className="grid files-grid">
            <colgroup><col /><col className="count" /><col className="count" /><col className="count" /><col className="count" /><col className="count" /></colgroup>
            <thead><tr><th>Path</th><th className="num" title="read">R</th><th className="num" title="written">W</th><th className="num" title="created">C</th><th className="num" title="deleted">D</th><th className="num" title="failed">✗</th></tr></thead>
            <tbody>
              {dirs.slice(0, MAX_DIRS).map((d) => (
                <DirRows key={d.path} dir={d} open={open.has(d.path)} onToggle={() => toggle(d.path)} deviant={deviantPaths} />
              ))}
              {dirs.length > MAX_DIRS && <MoreRow text={`… ${dirs.length - MAX_DIRS} more directories (brush a time range to see fewer)`} />}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function DirRows({ dir, open, onToggle, deviant }: { dir: DirStat; open: boolean; onToggle: () => void; deviant?: ReadonlySet<string> }) {
  const bad = dir.files.some((f) => deviant?.has(f.path));
  const shown = readableText(dir.path === '/' ? '/' : `${dir.path}/`);
  return (
    <>
      <tr className={`dir-row${bad ? ' danger' : ''}`} onClick={onToggle}>
        <td className="path-cell" title={shown}><span className="twisty">{open ? '▾' : '▸'}</span><span className="mono">{shown}</span> <span className="muted">{dir.files.length}</span></td>
        <Counts s={dir} />
      </tr>
      {open && dir.files.slice(0, MAX_FILES).map((f) => (
        <tr key={f.path} className={deviant?.has(f.path) ? 'danger' : ''}>
          <td className="path-cell file-cell mono" title={readableText(f.path)}>{readableText(f.path.slice(dir.path.length + (dir.path === '/' ? 0 : 1)))}</td>
          <Counts s={f} />
        </tr>
      ))}
      {open && dir.files.length > MAX_FILES && <MoreRow text={`… ${dir.files.length - MAX_FILES} more files in ${shown}`} file />}
    </>
  );
}

function MoreRow({ text, file }: { text: string; file?: boolean }) {
  return <tr className="more-row"><td colSpan={6} className={`muted${file ? ' file-cell' : ''}`}>{text}</td></tr>;
}

function Counts({ s }: { s: FileStat }) {
  const c = (n: number) => <td className={n ? 'num' : 'num zero'}>{n || '·'}</td>;
  return <>{c(s.reads)}{c(s.writes)}{c(s.creates)}{c(s.deletes)}{c(s.failed)}</>;
}
