/** File activity grouped by directory, busiest first; expand a directory for its files. */
import { useState } from 'react';
import type { DirStat, FileStat } from '../model/views.js';

export function FileActivity({ dirs, deviantPaths }: { dirs: DirStat[]; deviantPaths?: ReadonlySet<string> }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (p: string) => setOpen((s) => { const n = new Set(s); if (n.has(p)) n.delete(p); else n.add(p); return n; });
  return (
    <section className="panel" aria-label="File activity">
      <header className="panel-head"><h2>Files</h2><span className="muted">{dirs.length} directories</span></header>
      <div className="panel-scroll" data-testid="file-activity">
        {dirs.length === 0 ? <div className="empty">No file activity in this range.</div> : (
          <table className="grid">
            <thead><tr><th>Path</th><th title="read">R</th><th title="written">W</th><th title="created">C</th><th title="deleted">D</th><th title="failed">✗</th></tr></thead>
            <tbody>
              {dirs.slice(0, 300).map((d) => (
                <DirRows key={d.path} dir={d} open={open.has(d.path)} onToggle={() => toggle(d.path)} deviant={deviantPaths} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function DirRows({ dir, open, onToggle, deviant }: { dir: DirStat; open: boolean; onToggle: () => void; deviant?: ReadonlySet<string> }) {
  const bad = dir.files.some((f) => deviant?.has(f.path));
  return (
    <>
      <tr className={`dir-row${bad ? ' danger' : ''}`} onClick={onToggle}>
        <td><span className="twisty">{open ? '▾' : '▸'}</span><span className="mono">{dir.path === '/' ? '/' : `${dir.path}/`}</span> <span className="muted">{dir.files.length}</span></td>
        <Counts s={dir} />
      </tr>
      {open && dir.files.slice(0, 200).map((f) => (
        <tr key={f.path} className={deviant?.has(f.path) ? 'danger' : ''}>
          <td className="file-cell mono">{f.path.slice(dir.path.length + (dir.path === '/' ? 0 : 1))}</td>
          <Counts s={f} />
        </tr>
      ))}
    </>
  );
}

function Counts({ s }: { s: FileStat }) {
  const c = (n: number) => <td className={n ? 'num' : 'num zero'}>{n || '·'}</td>;
  return <>{c(s.reads)}{c(s.writes)}{c(s.creates)}{c(s.deletes)}{c(s.failed)}</>;
}
