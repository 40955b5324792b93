/**
 * Small, hand-made captures in the real capture format (common/capture.ts), for the renderer and replay
 * tests that need no container: a three-service app (web calls api by name, api calls redis and an
 * outside name) and a drifting variant that runs a new program, writes under /etc and calls a new port.
 */
import { CAPTURE_FORMAT, CAPTURE_VERSION } from '../../common/capture.js';
import { EVENT_SCHEMA_VERSION, type ImprintEvent } from '../../common/events.js';

type Draft = Omit<ImprintEvent, 'seq' | 'time' | 'service' | 'container' | 'tid'> & { tid?: number };

export function fixtureCapture(opts: { drift?: boolean; start?: number } = {}): string {
  const start = opts.start ?? 1_764_000_000_000;
  const lines: string[] = [];
  const seq = new Map<string, number>();
  let clock = start;
  const ev = (service: string, dt: number, draft: Draft) => {
    clock += dt;
    const n = (seq.get(service) ?? 0) + 1;
    seq.set(service, n);
    lines.push(JSON.stringify({ seq: n, time: clock, service, container: `imprint-${service}-1`, tid: draft.pid, ...draft }));
  };
  lines.push(JSON.stringify({
    format: CAPTURE_FORMAT, version: CAPTURE_VERSION, eventSchema: EVENT_SCHEMA_VERSION, imprint: '0.1.0', runId: opts.drift ? 'fixture-drift' : 'fixture',
    mode: 'compose', source: 'compose.yaml', startedAt: start,
    services: ['web', 'api', 'redis'].map((s) => ({ service: s, image: 'imprint-fixture/debian:latest', config: {} })),
  }));
  for (const s of ['web', 'api', 'redis']) {
    lines.push(JSON.stringify({ record: 'container', time: start, service: s, container: `imprint-${s}-1`, name: `imprint-${s}-1`, addresses: [s === 'web' ? '172.30.0.2' : s === 'api' ? '172.30.0.3' : '172.30.0.4'] }));
  }
  // redis starts and listens
  ev('redis', 5, { kind: 'exec', pid: 1, path: '/usr/bin/redis-server', argv: ['redis-server', '--port', '6379'], argc: 3, cwd: '/', uid: 999, gid: 999, result: 0 } as Draft);
  ev('redis', 2, { kind: 'open', pid: 1, path: '/etc/redis/redis.conf', access: ['read'], result: 3 } as Draft);
  ev('redis', 2, { kind: 'bind', pid: 1, fd: 6, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 6379 }, result: 0 } as Draft);
  ev('redis', 1, { kind: 'listen', pid: 1, fd: 6, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 6379 }, backlog: 511, result: 0 } as Draft);
  ev('redis', 1, { kind: 'log', pid: 1, stream: 'stdout', line: '1:M * Ready to accept connections tcp' } as Draft);
  // api starts, listens, resolves and calls redis and an outside API
  ev('api', 10, { kind: 'exec', pid: 1, path: '/bin/sh', argv: ['sh', '-c', 'api-server'], argc: 3, cwd: '/srv', uid: 0, gid: 0, result: 0 } as Draft);
  ev('api', 1, { kind: 'fork', pid: 1, child: 7, clone: 'fork' } as Draft);
  ev('api', 1, { kind: 'exec', pid: 7, path: '/usr/local/bin/api-server', argv: ['api-server', '--listen', '8080'], argc: 3, cwd: '/srv', uid: 0, gid: 0, result: 0 } as Draft);
  for (const f of ['/etc/hosts', '/etc/resolv.conf', '/srv/config.json', '/usr/lib/x86_64-linux-gnu/libssl.so.3']) {
    ev('api', 1, { kind: 'open', pid: 7, path: f, access: ['read'], result: 4 } as Draft);
  }
  ev('api', 1, { kind: 'open', pid: 7, path: '/var/log/api/api.log', access: ['write', 'create', 'append'], result: 5 } as Draft);
  ev('api', 1, { kind: 'bind', pid: 7, fd: 8, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 8080 }, result: 0 } as Draft);
  ev('api', 1, { kind: 'listen', pid: 7, fd: 8, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 8080 }, backlog: 128, result: 0 } as Draft);
  ev('api', 3, { kind: 'connect', pid: 7, fd: 9, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.4', port: 6379, service: 'redis' }, result: 0 } as Draft);
  ev('redis', 1, { kind: 'accept', pid: 1, fd: 6, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.3', port: 40112, service: 'api' }, local: { address: '172.30.0.4', port: 6379 }, result: 10 } as Draft);
  ev('api', 2, { kind: 'dns', pid: 7, phase: 'query', name: 'updates.example.internal', qtype: 'A', id: 4242, server: { address: '127.0.0.11', port: 53 }, transport: 'udp' } as Draft);
  ev('api', 2, { kind: 'dns', pid: 7, phase: 'answer', name: 'updates.example.internal', qtype: 'A', id: 4242, rcode: 0, answers: ['A 10.20.30.40'] } as Draft);
  ev('api', 1, { kind: 'connect', pid: 7, fd: 10, family: 'inet', protocol: 'tcp', peer: { address: '10.20.30.40', port: 443, name: 'updates.example.internal' }, result: -115 } as Draft);
  ev('api', 1, { kind: 'log', pid: 7, stream: 'stdout', line: 'api listening on :8080' } as Draft);
  // web starts and calls api by name, many times
  ev('web', 10, { kind: 'exec', pid: 1, path: '/usr/sbin/nginx', argv: ['nginx', '-g', 'daemon off;'], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 } as Draft);
  ev('web', 1, { kind: 'open', pid: 1, path: '/etc/nginx/nginx.conf', access: ['read'], result: 3 } as Draft);
  ev('web', 1, { kind: 'bind', pid: 1, fd: 6, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 80 }, result: 0 } as Draft);
  ev('web', 1, { kind: 'listen', pid: 1, fd: 6, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port: 80 }, backlog: 511, result: 0 } as Draft);
  ev('web', 1, { kind: 'fork', pid: 1, child: 12, clone: 'fork' } as Draft);
  ev('web', 1, { kind: 'setuid', pid: 12, syscall: 'setuid', args: [33], uid: 33, result: 0 } as Draft);
  for (let i = 0; i < 40; i++) {
    ev('web', 20, { kind: 'connect', pid: 12, fd: 20 + i, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.3', port: 8080, service: 'api' }, result: 0 } as Draft);
    ev('api', 1, { kind: 'accept', pid: 7, fd: 8, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.2', port: 50000 + i, service: 'web' }, local: { address: '172.30.0.3', port: 8080 }, result: 11 } as Draft);
    ev('api', 1, { kind: 'connect', pid: 7, fd: 9, family: 'inet', protocol: 'tcp', peer: { address: '172.30.0.4', port: 6379, service: 'redis' }, result: 0 } as Draft);
    ev('web', 1, { kind: 'open', pid: 12, path: `/var/cache/nginx/proxy_temp/${i % 10}/0000${i}`, access: ['write', 'create'], result: 30 } as Draft);
    ev('web', 1, { kind: 'log', pid: 12, stream: 'stdout', line: `172.30.0.1 - - "GET /items/${i} HTTP/1.1" 200 ${100 + i}` } as Draft);
  }
  if (opts.drift) {
    // The deviations a baseline must catch: a new program, a write under /etc, a new outbound port.
    ev('api', 30, { kind: 'fork', pid: 7, child: 31, clone: 'fork' } as Draft);
    ev('api', 1, { kind: 'exec', pid: 31, path: '/usr/bin/curl', argv: ['curl', '-s', 'http://10.9.9.9:4444/x'], argc: 3, cwd: '/srv', uid: 0, gid: 0, result: 0 } as Draft);
    ev('api', 1, { kind: 'connect', pid: 31, fd: 3, family: 'inet', protocol: 'tcp', peer: { address: '10.9.9.9', port: 4444 }, result: -115 } as Draft);
    ev('api', 1, { kind: 'open', pid: 31, path: '/etc/cron.d/persist', access: ['write', 'create'], result: 4 } as Draft);
    ev('api', 1, { kind: 'exit', pid: 31, code: 0 } as Draft);
  }
  ev('web', 50, { kind: 'log', pid: 1, stream: 'stderr', line: 'nginx: worker process exiting <script>alert(1)</script>' } as Draft);
  for (const s of ['web', 'api', 'redis']) lines.push(JSON.stringify({ record: 'exit', time: clock + 5, service: s, container: `imprint-${s}-1`, exitCode: 0, missing: 0 }));
  lines.push(JSON.stringify({ record: 'end', time: clock + 10, complete: true, problems: [], events: lines.length, missing: 0, decodeErrors: 0, exitCode: 0 }));
  return lines.join('\n') + '\n';
}

/**
 * A capture of awkward text: a program name and a directory far too long for their columns, escaped
 * backslashes (stored doubled, as bytesToText writes them), and more files and directories than the Files
 * panel draws. `events` in the result: how many events it holds.
 */
export function awkwardCapture(): { text: string; events: number; longDir: string; longName: string } {
  const start = 1_764_000_200_000;
  const lines: string[] = [];
  let seq = 0;
  const ev = (draft: Record<string, unknown>) => {
    seq++;
    lines.push(JSON.stringify({ seq, time: start + seq, service: 'odd', container: 'imprint-odd-1', tid: draft['pid'], ...draft }));
  };
  lines.push(JSON.stringify({
    format: CAPTURE_FORMAT, version: CAPTURE_VERSION, eventSchema: EVENT_SCHEMA_VERSION, imprint: '0.1.0', runId: 'fixture-awkward',
    mode: 'image', startedAt: start, services: [{ service: 'odd', image: 'imprint-fixture/busybox:latest', config: {} }],
  }));
  const longName = `${'a-very-long-program-name-'.repeat(12)}end`;
  const longDir = `/srv/${'x'.repeat(300)}`;
  ev({ kind: 'exec', pid: 1, path: '/bin/sh', argv: ['sh', '-c', 'printf "\\\\033[31m red"'], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 });
  ev({ kind: 'fork', pid: 1, child: 2, clone: 'fork' });
  ev({ kind: 'exec', pid: 2, path: `/usr/local/bin/${longName}`, argv: [longName, '--flag', 'value'], argc: 3, cwd: '/', uid: 0, gid: 0, result: 0 });
  // Busier than the one-file directories below, so both are among the directories drawn.
  for (let i = 0; i < 3; i++) ev({ kind: 'open', pid: 2, path: `${longDir}/settings.json`, access: ['read'], result: 3 });
  for (let i = 0; i < 2; i++) ev({ kind: 'open', pid: 2, path: '/tmp/back\\\\slash', access: ['write', 'create'], result: 4 });
  for (let i = 0; i < 250; i++) ev({ kind: 'open', pid: 2, path: `/data/many/f${i}`, access: ['write', 'create'], result: 5 });
  for (let i = 0; i < 310; i++) ev({ kind: 'open', pid: 2, path: `/d${i}/f`, access: ['read'], result: 6 });
  ev({ kind: 'exit', pid: 2, code: 3 });
  lines.push(JSON.stringify({ record: 'exit', time: start + seq + 1, service: 'odd', container: 'imprint-odd-1', exitCode: 0, missing: 0 }));
  lines.push(JSON.stringify({ record: 'end', time: start + seq + 2, complete: true, problems: [], events: seq, missing: 0, decodeErrors: 0, exitCode: 0 }));
  return { text: lines.join('\n') + '\n', events: seq, longDir, longName };
}
