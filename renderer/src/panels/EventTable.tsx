/** Every event in range, virtualized (@tanstack/react-virtual), with category filters and text search. */
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { categoryOf, type EventCategory, type ImprintEvent } from '../../../common/events.js';
import { filterEvents } from '../model/filter.js';
import { describeEvent } from '../model/views.js';
import { CATEGORIES } from '../model/event-log.js';
import { CATEGORY_COLOURS } from '../timeline/draw.js';

export function EventTable({ events, origin, flagged }: { events: readonly ImprintEvent[]; origin: number; flagged?: ReadonlySet<ImprintEvent> }) {
  const [hidden, setHidden] = useState<ReadonlySet<EventCategory>>(new Set(['log']));
  const [query, setQuery] = useState('');
  // Typing stays responsive on a million events: the filter runs on the deferred query.
  const deferredQuery = useDeferredValue(query);
  const rows = useMemo(() => filterEvents(events, hidden, deferredQuery), [events, hidden, deferredQuery]);
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 26, overscan: 20 });
  const toggle = (c: EventCategory) => setHidden((s) => { const n = new Set(s); if (n.has(c)) n.delete(c); else n.add(c); return n; });
  return (
    <section className="panel" aria-label="Events">
      <header className="panel-head">
        <h2>Events</h2>
        <span className="muted" data-testid="event-count">{rows.length.toLocaleString()} of {events.length.toLocaleString()}</span>
        <div className="filters">
          {CATEGORIES.map((c) => (
            <label key={c} className={`filter ${hidden.has(c) ? 'off' : ''}`}>
              <input type="checkbox" checked={!hidden.has(c)} onChange={() => toggle(c)} />
              <i style={{ background: CATEGORY_COLOURS[c] }} />{c}
            </label>
          ))}
        </div>
        <input className="search" type="search" placeholder="Search events  ( / )" value={query} onChange={(e) => setQuery(e.target.value)} data-shortcut="/" aria-label="Search events" />
      </header>
      <div ref={scroller} className="panel-scroll table-scroll" data-testid="event-table">
        {rows.length === 0 ? <div className="empty">{events.length ? 'No event matches these filters.' : 'No events in this range.'}</div> : (
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {virt.getVirtualItems().map((v) => {
              const e = rows[v.index]!;
              return (
                <div key={v.key} className={`event-row${flagged?.has(e) ? ' danger' : ''}`} style={{ transform: `translateY(${v.start}px)`, height: v.size }}>
                  <span className="mono time">+{((e.time - origin) / 1000).toFixed(3)}s</span>
                  <span className="svc">{e.service}</span>
                  <span className="mono pid">{e.pid}</span>
                  <span className="kind" style={{ color: CATEGORY_COLOURS[categoryOf(e.kind)] }}>{e.kind}</span>
                  <span className="mono what">{describeEvent(e)}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
