/**
 * The live models of a run, shared by the UI, the CLI and baselines: pure, incremental (fold one event at
 * a time, cheap per event) and environment-free. `RunModels` bundles them with the peer namer so every
 * consumer folds events the same way; the individual models are exported for finer use.
 */
import type { ImprintEvent } from '../events.js';
import { ConnectionGraph, type ConnectionGraphSnapshot } from './connection-graph.js';
import { Counters, type CountersSnapshot } from './counters.js';
import { FileActivity, type FileActivitySnapshot } from './file-activity.js';
import { PeerNamer, type ServicePlace } from './peer-namer.js';
import { ProcessTree, type ProcessTreeSnapshot } from './process-tree.js';
import { Timeline, type TimelineSnapshot } from './timeline.js';

export { ConnectionGraph, Counters, FileActivity, PeerNamer, ProcessTree, Timeline };
export type { GraphEdge, GraphNode, ConnectionGraphSnapshot } from './connection-graph.js';
export type { CountersSnapshot } from './counters.js';
export type { ServicePlace } from './peer-namer.js';
export type { FileEntry, FileActivitySnapshot } from './file-activity.js';
export type { ProcessNode, ProcessTreeSnapshot } from './process-tree.js';
export type { TimelineBucket, TimelineSnapshot } from './timeline.js';
export { CATEGORIES } from './timeline.js';

/** Everything the models know, as plain JSON (`imprint show --json`, the UI's replay). */
export interface ModelsSnapshot {
  counters: CountersSnapshot;
  processes: ProcessTreeSnapshot;
  files: FileActivitySnapshot;
  graph: ConnectionGraphSnapshot;
  timeline: TimelineSnapshot;
}

export class RunModels {
  readonly namer = new PeerNamer();
  readonly processes = new ProcessTree();
  readonly files = new FileActivity();
  readonly graph = new ConnectionGraph();
  readonly timeline: Timeline;
  readonly counters = new Counters();

  constructor(opts: { bucketMs?: number } = {}) {
    this.timeline = new Timeline(opts.bucketMs);
  }

  /** A container of the run, with where it is on the network (from the engine, or a capture's records). */
  addService(service: string, place: ServicePlace = {}): void {
    this.namer.addService(service, place);
    this.graph.addService(service);
  }

  /** Names the event's peers (mutating it) and folds it into every model. */
  fold(ev: ImprintEvent): void {
    this.namer.enrich(ev);
    this.counters.fold(ev);
    this.timeline.fold(ev);
    switch (ev.kind) {
      case 'fork': case 'exec': case 'exit': this.processes.fold(ev); break;
      case 'connect': case 'accept': case 'bind': case 'listen': this.graph.fold(ev); break;
      case 'dns': case 'log': case 'socket': case 'setuid': case 'risky': case 'syscall': case 'notice': case 'unknown': break;
      default: this.files.fold(ev);
    }
  }

  foldAll(events: Iterable<ImprintEvent>): void {
    for (const ev of events) this.fold(ev);
  }

  snapshot(nowMs?: number): ModelsSnapshot {
    return {
      counters: this.counters.snapshot(nowMs),
      processes: this.processes.snapshot(),
      files: this.files.snapshot(),
      graph: this.graph.snapshot(),
      timeline: this.timeline.snapshot(),
    };
  }
}
