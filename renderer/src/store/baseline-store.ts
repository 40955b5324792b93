/** The baseline loaded for live deviations (Baselines screen), kept apart from the run state it is checked against. */
import { create } from 'zustand';
import type { Baseline } from '../../../common/baseline/schema.js';
import { foldSink } from './folds.js';

export interface LoadedBaseline { path: string; baseline: Baseline }

export const useBaseline = create<{ loaded?: LoadedBaseline; rev: number; set(loaded?: LoadedBaseline): void }>()((set) => ({
  rev: 0,
  set: (loaded) => { foldSink.baseline(loaded?.baseline); set((s) => ({ loaded, rev: s.rev + 1 })); },
}));
