/** The event table's filters: hidden categories and a case-insensitive text search. Pure. */
import { categoryOf, type EventCategory, type ImprintEvent } from '../../../common/events.js';
import { describeEvent } from './views.js';

export function filterEvents(events: readonly ImprintEvent[], hidden: ReadonlySet<EventCategory>, query: string): ImprintEvent[] {
  const q = query.trim().toLowerCase();
  if (hidden.size === 0 && !q) return events as ImprintEvent[];
  const out: ImprintEvent[] = [];
  for (const e of events) {
    if (hidden.has(categoryOf(e.kind))) continue;
    if (q && !`${e.kind} ${e.service} ${e.pid} ${describeEvent(e)}`.toLowerCase().includes(q)) continue;
    out.push(e);
  }
  return out;
}
