/**
 * The probe's overhead (issue 2): each workload runs untraced, under the probe, and under
 * `strace -f --seccomp-bpf` tracing the same syscall set the probe's filter traps (everything but the
 * probe's hot list), alternating in every round; rows report medians of the values and, as the ratio,
 * the median of the per-round ratios. Timed workloads measure
 * themselves inside the container (container start-up is not counted). Every probed run must deliver
 * every frame to the reader: the attach stream is drained, seq checked, END's count compared.
 *
 * IMPRINT_BENCH_RUNS (default 5) sets the rounds.
 */
import { execFileSync, spawn } from 'node:child_process';
import { median, type BenchRow } from './bench-types.js';
import {
  DEBIAN, assertComplete, buildProbe, createNetwork, docker, logLines, runProbed, startProbed,
} from '../probe/probe-harness.js';

type Variant = 'untraced' | 'imprint' | 'strace';
/** The engine grants CAP_SYS_PTRACE to probed containers (the probe keeps it from the app); every
 * variant gets it, so strace may use process_vm_readv too. */
const CAPS = ['--cap-add', 'SYS_PTRACE'];
const VARIANTS: Variant[] = ['untraced', 'imprint', 'strace'];
const RUNS = Math.max(1, Number(process.env.IMPRINT_BENCH_RUNS ?? 5));

/** The syscalls the probe never stops on; strace traces all others, as the probe's filter does. */
function straceArgs(probe: string): string[] {
  const hot = execFileSync(probe, ['--list-hot'], { encoding: 'utf8' }).split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.includes(' ')); // sendto is conditional: strace traces it
  return ['strace', '-f', '--seccomp-bpf', '-e', `trace=!${hot.join(',')}`];
}

/** Runs a container attached, draining stdout and stderr; returns stdout. */
function runPlain(cmd: string[], dockerArgs: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', '--label', 'imprint.test=1', '--log-driver', 'none',
      ...(dockerArgs.includes('--network') ? [] : ['--network', 'none']), ...CAPS, ...dockerArgs, DEBIAN, ...cmd],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errTail = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    // strace's trace: read (as a reader would) and dropped, keeping the tail for error messages
    child.stderr.on('data', (c: Buffer) => { errTail = (errTail + c.toString()).slice(-2000); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out)
      : reject(new Error(`${cmd.join(' ').slice(0, 80)} exited ${code}: ${errTail.slice(-300)}`))));
  });
}

let framesDelivered = 0;
/** ptrace stops per probed run of each timed workload (the END frame's STOPS): unlike time, not noisy. */
const stopsByScript = new Map<string, number[]>();

/** One timed run: the workload prints `ELAPSED <ns>`; returns seconds. */
async function timed(variant: Variant, script: string, strace: string[], probeArgs: string[] = [], dockerArgs: string[] = []): Promise<number> {
  const cmd = ['bash', '-c', `s=$(date +%s%N); ${script}; e=$(date +%s%N); echo ELAPSED $((e-s))`];
  let lines: string[];
  if (variant === 'imprint') {
    const run = await runProbed({ image: DEBIAN, cmd, dockerArgs: [...CAPS, ...dockerArgs], probeArgs });
    assertComplete(run);
    framesDelivered += run.frames;
    stopsByScript.set(script, [...(stopsByScript.get(script) ?? []), run.end?.stops ?? 0]);
    lines = logLines(run);
  } else {
    lines = (await runPlain(variant === 'strace' ? [...strace, ...cmd] : cmd, dockerArgs)).split('\n');
  }
  const line = lines.find((l) => l.startsWith('ELAPSED '));
  if (!line) throw new Error(`${variant}: no ELAPSED line in ${JSON.stringify(lines.slice(-5))}`);
  return Number(line.slice(8)) / 1e9;
}

/** redis-benchmark (50 clients, SET and GET) from a second container against a server run as `variant`. */
async function redisOps(variant: Variant, strace: string[], net: string, round: number): Promise<number> {
  const name = `imprint-bench-redis-${process.pid}-${variant}-${round}`;
  const server = ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
  const dockerArgs = ['--network', net, '--name', name, ...CAPS];
  let stopServer: () => Promise<void>;
  if (variant === 'imprint') {
    const h = await startProbed({ image: DEBIAN, cmd: server, dockerArgs });
    await h.waitFor((e) => e.kind === 'listen');
    stopServer = async () => {
      docker(['stop', '-t', '5', h.id]);
      const run = await h.done;
      h.remove();
      assertComplete(run);
      framesDelivered += run.frames;
    };
  } else {
    const id = docker(['run', '-d', '--label', 'imprint.test=1', '--log-driver', 'none', ...dockerArgs, DEBIAN,
      ...(variant === 'strace' ? [...strace, '-o', '/dev/null'] : []), ...server]);
    stopServer = async () => { docker(['rm', '-f', id]); };
  }
  try {
    const out = await runPlain(['bash', '-c',
      `until redis-cli -h ${name} ping >/dev/null 2>&1; do sleep 0.1; done; redis-benchmark -h ${name} -c 50 -n 100000 -t set,get --csv`],
    ['--network', net]);
    const rates = out.split('\n').filter((l) => /^"(SET|GET)"/.test(l)).map((l) => Number(l.split(',')[1]!.replace(/"/g, '')));
    if (rates.length !== 2 || rates.some((r) => !Number.isFinite(r))) throw new Error(`redis-benchmark output: ${out}`);
    return (rates[0]! + rates[1]!) / 2;
  } finally {
    await stopServer();
  }
}

/** Median of per-round ratios: the variants of one round ran back to back under the same machine load,
 * so pairing them cancels most of the drift a shared machine adds between rounds. */
function pairedRatio(a: number[], b: number[]): number {
  return median(a.map((x, k) => x / b[k]!));
}

function rows(name: string, unit: string, m: Record<Variant, number[]>, higherIsBetter: boolean, target: number): BenchRow[] {
  const u = median(m.untraced), i = median(m.imprint), s = median(m.strace);
  const ratio = pairedRatio(m.imprint, m.untraced);
  const vsStrace = pairedRatio(m.imprint, m.strace);
  return [
    {
      group: 'probe', name: `${name} vs untraced`, peer: u, measured: i, unit, ratio,
      target: higherIsBetter ? `>= ${target} of untraced` : `<= ${target}x untraced`,
      pass: higherIsBetter ? ratio >= target : ratio <= target,
    },
    {
      group: 'probe', name: `${name} vs strace --seccomp-bpf (strace ${fmt(pairedRatio(m.strace, m.untraced))}x untraced)`, peer: s, measured: i,
      unit, ratio: vsStrace, target: 'better than strace', pass: higherIsBetter ? vsStrace >= 1 : vsStrace <= 1,
    },
  ];
}

const fmt = (n: number) => n.toFixed(3);

export async function run(): Promise<BenchRow[]> {
  const probe = buildProbe();
  const strace = straceArgs(probe);
  const out: BenchRow[] = [];
  const record = (): Record<Variant, number[]> => ({ untraced: [], imprint: [], strace: [] });

  const net = `imprint-bench-${process.pid}`;
  const removeNet = createNetwork(net);
  const redis = record();
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const v of rotate(VARIANTS, r)) redis[v].push(await redisOps(v, strace, net, r));
    }
  } finally {
    removeNet();
  }
  out.push(...rows('redis-benchmark SET/GET, 50 clients, server probed', 'ops/s', redis, true, 0.98));

  const tar = record();
  const forks = record();
  for (let r = 0; r < RUNS; r++) {
    for (const v of rotate(VARIANTS, r)) tar[v].push(await timed(v, 'tar -cf /dev/null /usr 2>/dev/null', strace));
    for (const v of rotate(VARIANTS, r)) forks[v].push(await timed(v, 'for i in $(seq 300); do /bin/true; done', strace));
  }
  out.push(...rows('tar -cf /dev/null /usr', 's', tar, false, 1.25));
  out.push(...rows('300 x fork+exec /bin/true', 's', forks, false, 1.25));
  out.push(...await pinnedForks(strace));
  out.push(...await stdoutWrites(strace));
  for (const [script, stops] of stopsByScript) {
    out.push({
      group: 'probe', name: `ptrace stops per probed run of: ${script.replace(' 2>/dev/null', '')}`, measured: median(stops),
      unit: 'stops', target: 'information (the rest reaches the probe as seccomp notifications)', pass: true,
    });
  }
  out.push({
    group: 'probe', name: 'frames delivered in probed runs (seq checked, END count matched)', measured: framesDelivered,
    unit: 'frames', target: 'no loss', pass: true,
  });
  return out;
}

/**
 * Not one of the rows: what learning each output line's writer costs an app that writes to fd 1
 * very often (dd writes through fd 1, here redirected to /dev/null), with the probe's default and with
 * --no-log-pids. Each write to fds 1/2 is a seccomp notification by default (PROTOCOL.md, LOG).
 */
async function stdoutWrites(strace: string[]): Promise<BenchRow[]> {
  const script = 'dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null';
  const untraced: number[] = [], probed: number[] = [], noPids: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    untraced.push(await timed('untraced', script, strace));
    probed.push(await timed('imprint', script, strace));
    noPids.push(await timed('imprint', script, strace, ['--no-log-pids']));
  }
  const row = (name: string, m: number[]): BenchRow => ({
    group: 'probe', name, peer: median(untraced), measured: median(m), unit: 's', ratio: pairedRatio(m, untraced),
    target: 'information (not an issue target)', pass: true,
  });
  return [
    row('100,000 one-byte writes to fd 1 (dd bs=1), default: each write hands over its writer, vs untraced', probed),
    row('the same with --no-log-pids (lines carry no pid), vs untraced', noPids),
  ];
}

/**
 * Not one of the rows: the fork+exec row again with the container pinned to one CPU, untraced
 * and probed alike. Each of a fork+exec's five ptrace stops wakes the probe and then the app; unpinned,
 * the scheduler puts each wake-up on the idle vCPU, and waking an idle vCPU is the expensive part on a
 * VM (native/README.md, "Cost"). Pinned, the same stops are plain context switches, so this row
 * separates the probe's own work from what the machine charges for a cross-CPU wake-up.
 */
async function pinnedForks(strace: string[]): Promise<BenchRow[]> {
  const script = 'for i in $(seq 300); do /bin/true; done';
  const pin = ['--cpuset-cpus', '0'];
  const untraced: number[] = [], probed: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    untraced.push(await timed('untraced', script, strace, [], pin));
    probed.push(await timed('imprint', script, strace, [], pin));
  }
  return [{
    group: 'probe', name: '300 x fork+exec /bin/true, untraced and probed both pinned to CPU 0, vs untraced pinned',
    peer: median(untraced), measured: median(probed), unit: 's', ratio: pairedRatio(probed, untraced),
    target: 'information (cross-CPU wake-ups removed)', pass: true,
  }];
}

/** Round r starts with a different variant, so no variant always runs first. */
function rotate<T>(xs: T[], r: number): T[] {
  const k = r % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}
