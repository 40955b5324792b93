/** One row of the `npm run bench` table. */
export interface BenchRow {
  group: string;
  name: string;
  /** The peer's median (untraced run, strace, ...), when the row compares against one. */
  peer?: number;
  /** Imprint's median. */
  measured: number;
  unit: string;
  /** measured / peer, or whichever direction `target` states. */
  ratio?: number;
  /** The target in words, e.g. ">= 0.98 of untraced". */
  target: string;
  pass: boolean;
}

export interface BenchModule {
  run(): Promise<BenchRow[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
