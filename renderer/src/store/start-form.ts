/**
 * What the Start screen's forms hold, kept while the person looks at a run or a capture and comes back (the
 * screen's own state went with it, so a run started with a long command had to be typed again to repeat
 * it). Not saved across restarts.
 */
import { create } from 'zustand';
import type { Tracing } from '../../../common/api.js';

export interface RunFields { image: string; command: string; env: string; ports: string; network: string; duration: string }

interface StartForm {
  run: RunFields;
  /** How runs started here are traced; one set of choices for both forms, as the CLI's flags are. */
  tracing: Tracing;
  compose: string;
  until: string;
  composeDuration: string;
  setRun(run: RunFields): void;
  setTracing(tracing: Tracing): void;
  setCompose(compose: string): void;
  setUntil(until: string): void;
  setComposeDuration(duration: string): void;
}

export const useStartForm = create<StartForm>()((set) => ({
  run: { image: '', command: '', env: '', ports: '', network: '', duration: '' },
  tracing: {},
  compose: '',
  until: '',
  composeDuration: '',
  setRun: (run) => set({ run }),
  setTracing: (tracing) => set({ tracing }),
  setCompose: (compose) => set({ compose }),
  setUntil: (until) => set({ until }),
  setComposeDuration: (composeDuration) => set({ composeDuration }),
}));
