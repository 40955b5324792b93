/**
 * The process tree per service: who started whom, with exit codes. Untrusted argv rendered as text, in the
 * log view's display form (readableText); deviations still match the stored exe paths.
 */
import { useState } from 'react';
import { readableText } from '../../../common/protocol/text.js';
import { processLabel, type ProcessNode } from '../model/views.js';

export function ProcessTree({ roots, deviantExes }: { roots: ProcessNode[]; deviantExes?: ReadonlySet<string> }) {
  return (
    <section className="panel" aria-label="Process tree">
      <header className="panel-head"><h2>Processes</h2><span className="muted">{count(roots)}</span></header>
      <div className="panel-scroll" data-testid="process-tree">
        {roots.length === 0
          ? <div className="empty">No processes in this range.</div>
          : <ul className="tree"><Rows nodes={roots} depth={0} deviant={deviantExes} /></ul>}
      </div>
    </section>
  );
}

function count(nodes: ProcessNode[]): number {
  let n = 0;
  const walk = (list: ProcessNode[]) => { for (const x of list) { n++; walk(x.children); } };
  walk(nodes);
  return n;
}

/** At most this many siblings are drawn; an exec storm's thousands of processes get a summary line. */
const MAX_SIBLINGS = 200;

function Rows({ nodes, depth, deviant }: { nodes: ProcessNode[]; depth: number; deviant?: ReadonlySet<string> }) {
  const [all, setAll] = useState(false);
  const shown = all ? nodes : nodes.slice(0, MAX_SIBLINGS);
  return (
    <>
      {shown.map((n) => <Row key={n.key} node={n} depth={depth} deviant={deviant} />)}
      {shown.length < nodes.length && (
        <li><button className="link" onClick={() => setAll(true)}>… {nodes.length - shown.length} more processes</button></li>
      )}
    </>
  );
}

function Row({ node, depth, deviant }: { node: ProcessNode; depth: number; deviant?: ReadonlySet<string> }) {
  const [open, setOpen] = useState(depth < 3);
  const bad = node.exe !== undefined && deviant?.has(node.exe);
  const exit = node.exit ? (node.exit.signal !== undefined ? `signal ${node.exit.signal}` : `exit ${node.exit.code ?? '?'}`) : '';
  const name = readableText(processLabel(node));
  const args = node.argv && node.argv.length > 1 ? node.argv.slice(1).map(readableText).join(' ') : '';
  return (
    <li>
      <div className={`tree-row${bad ? ' danger' : ''}`}>
        {node.children.length > 0
          ? <button className="twisty" aria-label={open ? 'collapse' : 'expand'} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
          : <span className="twisty" />}
        {depth === 0 && <span className="badge service">{node.service}</span>}
        <span className="proc-name" title={node.exe ? readableText(node.exe) : name}>{name}</span>
        <span className="pid muted mono small" title="process id">pid {node.pid}</span>
        {args && <span className="argv mono" title={node.argv!.map(readableText).join(' ')}>{args}</span>}
        {bad && <span className="badge danger">new</span>}
        <span className={`exit ${node.exit && (node.exit.code ?? 1) !== 0 ? 'bad' : ''}`}>{exit}</span>
      </div>
      {open && node.children.length > 0 && <ul><Rows nodes={node.children} depth={depth + 1} deviant={deviant} /></ul>}
    </li>
  );
}
