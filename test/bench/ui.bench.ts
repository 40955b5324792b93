/**
 * UI benchmark in headless Chromium (Debian's), on the renderer's own drawing code (dist/renderer/bench.html,
 * served by the browser-mode server): a 1,000,000-event timeline panned and zoomed frame by frame (median
 * frame time, target <= 16 ms), and a 300-node, 3,000-edge connection graph laid out until it settles
 * (target < 2 s) and then zoomed and dragged (median frame time, target <= 16 ms: it stays interactive).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { median, type BenchRow } from './bench-types.js';
import { Dispatcher } from '../../electron/server/dispatcher.js';
import { PushHub } from '../../electron/server/push-hub.js';
import { startBrowserServer } from '../../electron/server/http-server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

interface BenchApi {
  timeline(n: number): Promise<{ frames: number[]; events: number; lanes: number }>;
  graph(nodes: number, edges: number): Promise<{ settleMs: number; ticks: number; interactFrames: number[] }>;
}

export async function run(): Promise<BenchRow[]> {
  const staticDir = join(process.cwd(), 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'bench.html'))) throw new Error('dist/renderer/bench.html is missing: run `npm run build:renderer`');
  const server = await startBrowserServer({ dispatcher: new Dispatcher(), hub: new PushHub(), staticDir });
  const profile = await mkdtemp(join(tmpdir(), 'imprint-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1920, height: 1080 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${server.port}/bench.html?token=${server.token}`);
    await page.waitForFunction(() => document.title.endsWith('ready'));
    const call = <K extends keyof BenchApi>(name: K, ...args: Parameters<BenchApi[K]>) =>
      page.evaluate(([n, a]) => (window as unknown as { imprintBench: Record<string, (...x: unknown[]) => unknown> }).imprintBench[n as string]!(...(a as unknown[])), [name, args] as const) as ReturnType<BenchApi[K]>;
    const tl = await call('timeline', 1_000_000);
    const tlMedian = median(tl.frames);
    const graph = await call('graph', 300, 3000);
    const gMedian = median(graph.interactFrames);
    return [
      { group: 'ui', name: `timeline pan+zoom, ${tl.events.toLocaleString('en')} events, ${tl.lanes} lanes (median frame)`, measured: tlMedian, unit: 'ms', target: '<= 16 ms', pass: tlMedian <= 16 },
      { group: 'ui', name: 'timeline pan+zoom (p95 frame)', measured: [...tl.frames].sort((a, b) => a - b)[Math.floor(tl.frames.length * 0.95)]!, unit: 'ms', target: 'informational', pass: true },
      { group: 'ui', name: `graph 300 nodes / 3,000 edges: settle (${graph.ticks} ticks)`, measured: graph.settleMs, unit: 'ms', target: '< 2000 ms', pass: graph.settleMs < 2000 },
      { group: 'ui', name: 'graph 300/3,000: zoom + drag after settling (median frame)', measured: gMedian, unit: 'ms', target: '<= 16 ms', pass: gMedian <= 16 },
    ];
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await server.close();
  }
}
