/**
 * People annotate baselines ("# needed for the nightly export"). Re-learning or merging must not throw those
 * notes away: comments on items, on a list's first item and on services are carried from the old file to the
 * new one by item key, so a note stays with its item for as long as the item exists.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { itemKey } from './merge.js';

type Comments = { before?: string; inline?: string };

const LISTS: { path: string[]; key: (i: Record<string, unknown>) => string }[] = [
  { path: ['executables'], key: (i) => itemKey.executable(i as { path: string }) },
  ...['read', 'write', 'create', 'delete'].map((a) => ({ path: ['files', a], key: (i: Record<string, unknown>) => itemKey.file(i as { path: string }) })),
  { path: ['listen'], key: (i) => itemKey.listen(i as { protocol: string; port: number }) },
  { path: ['outbound'], key: (i) => itemKey.peer(i as { protocol: string; peer: string; port: number }) },
  { path: ['inbound'], key: (i) => itemKey.peer(i as { protocol: string; peer: string; port: number }) },
  { path: ['dns'], key: (i) => itemKey.dns(i as { name: string }) },
  { path: ['uids'], key: (i) => itemKey.uid(i as { syscall: string }) },
  { path: ['syscalls'], key: (i) => itemKey.syscall(i as { name: string }) },
];

/** Comments of an existing baseline file, keyed by service, list and item. Unparseable text gives none. */
export function collectComments(text: string): Map<string, Comments> {
  const out = new Map<string, Comments>();
  let doc: Document;
  try { doc = parseDocument(text); } catch { return out; }
  if (doc.errors.length) return out;
  const services = doc.get('services', true);
  if (!isMap(services)) return out;
  services.items.forEach((pair, index) => {
    if (!isScalar(pair.key)) return;
    const service = String(pair.key.value);
    const svc = pair.value;
    const own: Comments = {};
    // A comment above the first key is the map's own.
    const before = [index === 0 ? services.commentBefore : undefined, pair.key.commentBefore].filter(Boolean).join('\n');
    if (before) own.before = before;
    if (isMap(svc) && svc.commentBefore) own.before = [own.before, svc.commentBefore].filter(Boolean).join('\n');
    if (own.before) out.set(`${service}\0`, own);
    if (!isMap(svc)) return;
    for (const list of LISTS) {
      const seq = svc.getIn(list.path, true);
      if (!isSeq(seq)) continue;
      seq.items.forEach((item, index) => {
        if (!isMap(item)) return;
        const c: Comments = {};
        const before = index === 0 ? [seq.commentBefore, item.commentBefore].filter(Boolean).join('\n') : item.commentBefore;
        if (before) c.before = before;
        if (item.comment) c.inline = item.comment;
        if (!c.before && !c.inline) return;
        let key: string;
        try { key = list.key(item.toJSON() as Record<string, unknown>); } catch { return; }
        out.set(`${service}\0${list.path.join('.')}\0${key}`, c);
      });
    }
  });
  return out;
}

/** Puts collected comments back on the items (and services) that still exist in `doc`. */
export function applyComments(doc: Document, comments: ReadonlyMap<string, Comments>): void {
  if (!comments.size) return;
  const services = doc.get('services', true);
  if (!isMap(services)) return;
  for (const pair of services.items) {
    if (!isScalar(pair.key)) continue;
    const service = String(pair.key.value);
    const own = comments.get(`${service}\0`);
    if (own?.before) pair.key.commentBefore = own.before;
    const svc = pair.value;
    if (!isMap(svc)) continue;
    for (const list of LISTS) {
      const seq = svc.getIn(list.path, true);
      if (!isSeq(seq)) continue;
      seq.items.forEach((item, index) => {
        if (!isMap(item)) return;
        const c = comments.get(`${service}\0${list.path.join('.')}\0${list.key(item.toJSON() as Record<string, unknown>)}`);
        if (!c) return;
        if (c.before) (index === 0 ? (seq as Node) : item).commentBefore = c.before;
        if (c.inline) item.comment = c.inline;
      });
    }
  }
}
