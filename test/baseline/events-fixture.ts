/**
 * Small hand-written runs for the baseline unit tests: a web service (nginx-like) that a worker calls by
 * service name, a worker that resolves an outside name and connects to it. Each helper fills the fields the
 * schema requires so a test reads as the behaviour it describes.
 */
import { eventSchema, type ImprintEvent } from '../../common/events.js';

export class RunBuilder {
  readonly events: ImprintEvent[] = [];
  private seq = new Map<string, number>();
  constructor(private t = 1_700_000_000_000) {}

  private base(service: string, pid: number) {
    const container = `${service}-1`;
    const seq = (this.seq.get(container) ?? 1) + 1;
    this.seq.set(container, seq);
    return { seq, time: this.t++, service, container, pid, tid: pid };
  }
  private push(e: unknown): this {
    this.events.push(eventSchema.parse(e));
    return this;
  }
  exec(service: string, pid: number, path: string, argv: string[], result = 0) {
    return this.push({ ...this.base(service, pid), kind: 'exec', path, argv, argc: argv.length, cwd: '/', uid: 0, gid: 0, result });
  }
  fork(service: string, pid: number, child: number) {
    return this.push({ ...this.base(service, pid), kind: 'fork', child, clone: 'fork' });
  }
  open(service: string, pid: number, path: string, access: string[], result = 3) {
    return this.push({ ...this.base(service, pid), kind: 'open', path, access, result });
  }
  file(service: string, pid: number, kind: string, path: string, path2?: string) {
    return this.push({ ...this.base(service, pid), kind, path, ...(path2 ? { path2 } : {}), result: 0 });
  }
  listen(service: string, pid: number, port: number, fd = 5) {
    return this.push({ ...this.base(service, pid), kind: 'listen', fd, family: 'inet', protocol: 'tcp', local: { address: '0.0.0.0', port }, result: 0 });
  }
  connect(service: string, pid: number, peer: { address: string; port: number; name?: string; service?: string }, protocol: 'tcp' | 'udp' = 'tcp', result = 0) {
    return this.push({ ...this.base(service, pid), kind: 'connect', fd: 4, family: 'inet', protocol, peer, result });
  }
  accept(service: string, pid: number, peer: { address: string; port: number; service?: string }, localPort: number) {
    return this.push({ ...this.base(service, pid), kind: 'accept', fd: 5, family: 'inet', protocol: 'tcp', peer, local: { address: '', port: localPort }, result: 7 });
  }
  dns(service: string, pid: number, name: string, answers?: string[]) {
    this.push({ ...this.base(service, pid), kind: 'dns', phase: 'query', name, qtype: 'A', id: 1 });
    if (answers) this.push({ ...this.base(service, pid), kind: 'dns', phase: 'answer', name, qtype: 'A', id: 1, rcode: 0, answers });
    return this;
  }
  setuid(service: string, pid: number, syscall: string, uid: number) {
    return this.push({ ...this.base(service, pid), kind: 'setuid', syscall, args: [uid], uid, result: 0 });
  }
  syscall(service: string, pid: number, name: string, exe: string, nr = 0) {
    return this.push({ ...this.base(service, pid), kind: 'syscall', syscall: name, nr, exe });
  }
  /** Drops the next sequence number of a container, as a lost frame would. */
  gap(service: string) {
    const c = `${service}-1`;
    this.seq.set(c, (this.seq.get(c) ?? 1) + 1);
    return this;
  }
}

/** One run of the two-service "shop": `pidBase` shifts every pid, `tmp` names the mktemp file, as real runs differ. */
export function shopRun(pidBase = 1, tmp = 'tmp.a8Xk2P', variant: 'normal' | 'drift' = 'normal'): RunBuilder {
  const r = new RunBuilder();
  const p = (n: number) => pidBase + n;
  // web: entrypoint sh starts nginx, which listens on 80 and serves the worker.
  r.exec('web', p(0), '/bin/sh', ['/bin/sh', '-c', 'nginx -g "daemon off;"']);
  r.syscall('web', p(0), 'execve', '/bin/sh', 59);
  r.fork('web', p(0), p(1));
  r.exec('web', p(1), '/usr/sbin/nginx', ['nginx', '-g', 'daemon off;']);
  r.open('web', p(1), '/etc/nginx/nginx.conf', ['read']);
  r.open('web', p(1), '/etc/ld.so.preload', ['read'], -2);
  r.open('web', p(1), `/proc/${p(1)}/status`, ['read']);
  r.open('web', p(1), `/var/lib/nginx/body/${String(p(7)).padStart(10, '0')}`, ['write', 'create'], 9);
  r.file('web', p(1), 'unlink', `/var/lib/nginx/body/${String(p(7)).padStart(10, '0')}`);
  r.listen('web', p(1), 80);
  r.syscall('web', p(1), 'listen', '/usr/sbin/nginx', 50);
  r.syscall('web', p(1), 'accept4', '/usr/sbin/nginx', 288);
  r.accept('web', p(1), { address: '172.18.0.3', port: 40000 + (pidBase % 20000), service: 'worker' }, 80);
  r.setuid('web', p(1), 'setuid', 33);
  // worker: resolves web and api.example.test, calls both, writes a temp file.
  r.exec('worker', p(0), '/usr/bin/curl', ['curl', '-s', 'http://web/', '--max-time', String(pidBase + 2)]);
  r.syscall('worker', p(0), 'connect', '/usr/bin/curl', 42);
  r.syscall('worker', p(0), 'socket', '/usr/bin/curl', 41);
  r.dns('worker', p(0), 'web', ['A 172.18.0.2']);
  r.connect('worker', p(0), { address: '127.0.0.11', port: 53 }, 'udp');
  r.connect('worker', p(0), { address: '172.18.0.2', port: 80, name: 'web', service: 'web' });
  r.dns('worker', p(0), 'api.example.test', ['A 192.0.2.10']);
  r.connect('worker', p(0), { address: '192.0.2.10', port: 443 });
  r.open('worker', p(0), `/tmp/${tmp}`, ['write', 'create']);
  if (variant === 'drift') {
    // A new program, a write under /etc and a connection to a new port.
    r.fork('worker', p(0), p(3));
    r.exec('worker', p(3), '/usr/bin/id', ['id']);
    r.open('worker', p(3), '/etc/cron.d/evil', ['write', 'create']);
    r.connect('worker', p(3), { address: '192.0.2.10', port: 4444 });
  }
  return r;
}
