/** The containers' stdout and stderr, virtualized, with search (Podman Desktop #10469). */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventOf, ImprintEvent } from '../../../common/events.js';
import { readableText } from '../../../common/protocol/text.js';

export function LogView({ events }: { events: readonly ImprintEvent[] }) {
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const deferredQuery = useDeferredValue(query);
  const lines = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase();
    const out: EventOf<'log'>[] = [];
    for (const e of events) if (e.kind === 'log' && (!q || e.line.toLowerCase().includes(q) || e.service.toLowerCase().includes(q))) out.push(e);
    return out;
  }, [events, deferredQuery]);
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => 22, overscan: 30 });
  useEffect(() => { if (follow && lines.length) virt.scrollToIndex(lines.length - 1, { align: 'end' }); }, [lines.length, follow, virt]);
  return (
    <section className="panel" aria-label="Logs">
      <header className="panel-head">
        <h2>Logs</h2>
        <span className="muted">{lines.length.toLocaleString()} lines</span>
        <label className="filter"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />follow</label>
        <input className="search" type="search" placeholder="Search logs" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search logs" />
      </header>
      <div ref={scroller} className="panel-scroll log-scroll" data-testid="logs">
        {lines.length === 0 ? <div className="empty">{query ? 'No line matches.' : 'No output in this range.'}</div> : (
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {virt.getVirtualItems().map((v) => {
              const l = lines[v.index]!;
              return (
                <div key={v.key} className={`log-line ${l.stream}`} style={{ transform: `translateY(${v.start}px)`, height: v.size }}>
                  <span className="svc">{l.service}</span>
                  {/* the writing process; pid 0: the probe could not tell (native/PROTOCOL.md, LOG) */}
                  <span className="pid" title={l.pid ? `written by pid ${l.pid}` : 'writer unknown'}>{l.pid || ''}</span>
                  <span className="mono">{readableText(l.line)}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
