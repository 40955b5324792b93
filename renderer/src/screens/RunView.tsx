/** The views of one run or capture: timeline, connection graph, processes, files, deviations, events and logs. */
import { useMemo } from 'react';
import { useApp, visibleEvents } from '../store/app-store.js';
import { useBaseline } from '../store/baseline-store.js';
import type { ConnectionGraph as Graph } from '../model/views.js';
import { resolveHighlights } from '../baseline/live-check.js';
import { useFolds } from '../store/folds.js';
import { Timeline } from '../timeline/Timeline.js';
import { ConnectionGraph } from '../graph/ConnectionGraph.js';
import { ProcessTree } from '../panels/ProcessTree.js';
import { FileActivity } from '../panels/FileActivity.js';
import { EventTable } from '../panels/EventTable.js';
import { LogView } from '../panels/LogView.js';
import { Deviations } from '../panels/Deviations.js';

const EMPTY_GRAPH: Graph = { nodes: [], edges: [] };

export function RunView() {
  const log = useApp((s) => s.log);
  const panelTick = useApp((s) => s.panelTick);
  const range = useApp((s) => s.range);
  const playhead = useApp((s) => s.playhead);
  const run = useApp((s) => s.run);
  const loaded = useBaseline((s) => s.loaded);
  const baselineRev = useBaseline((s) => s.rev);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const events = useMemo(() => visibleEvents(log, range, playhead), [log, panelTick, range, playhead]);
  const source = useApp((s) => s.source);
  // A deviation seen is proof; a clean check is proof only when nothing was missed (verdict "inconclusive").
  const incomplete = [
    ...(run?.incomplete ? ['a probe stream ended without its END frame'] : []),
    ...(run?.dropped ? [`${run.dropped} event(s) lost`] : []),
    ...(source?.kind === 'capture' ? source.incomplete ?? [] : []),
  ];
  const folds = useFolds(log, `${panelTick}|${range?.t0}|${range?.t1}|${playhead}|${baselineRev}|${incomplete.join('|')}`,
    { range, playhead, incomplete });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const highlights = useMemo(() => (folds?.highlights ? resolveHighlights(folds.highlights, log) : undefined), [folds, log]);
  const graph = folds?.graph ?? EMPTY_GRAPH;
  const deviant = useMemo(() => new Set([...graph.nodes.filter((n) => n.deviant).map((n) => n.id), ...graph.edges.filter((e) => e.deviant).map((e) => e.id)]), [graph]);
  return (
    <div className="run-view">
      <Timeline marks={highlights?.marks} />
      <div className="grid-2">
        <ConnectionGraph graph={graph} deviant={deviant} />
        <ProcessTree roots={folds?.tree ?? []} deviantExes={highlights?.exePaths} />
      </div>
      <div className="grid-2">
        <FileActivity dirs={folds?.dirs ?? []} deviantPaths={highlights?.filePaths} />
        <Deviations highlights={highlights} path={loaded?.path} origin={log.firstTime} />
      </div>
      <div className="grid-2 tall">
        <EventTable events={events} origin={log.firstTime} flagged={highlights?.flagged} />
        <LogView events={events} />
      </div>
    </div>
  );
}
