/** The baseline loaded for live deviations (Baselines screen), kept apart from the run state it is checked against. */
import { create } from 'zustand';
import type { Baseline } from '../../../common/baseline/schema.js';

export interface LoadedBaseline { path: string; baseline: Baseline }

export const useBaseline = create<{ loaded?: LoadedBaseline; set(loaded?: LoadedBaseline): void }>()((set) => ({
  set: (loaded) => set({ loaded }),
}));
