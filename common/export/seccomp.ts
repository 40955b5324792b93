/**
 * Docker/OCI seccomp profile (the shape of moby's profiles/seccomp/default.json, read by `docker run
 * --security-opt seccomp=FILE`, runc, containerd, Podman): deny by default with EPERM, allow the syscalls
 * the baseline saw, the probe's always-allowed list, and what the runtime itself calls between installing
 * the filter and executing the entrypoint.
 */
import type { Arch } from '../baseline/always-allowed.js';
import type { Baseline } from '../baseline/schema.js';
import { ExportError, selectServices } from './service.js';

/**
 * Calls runc makes after it installs the filter and before the entrypoint's first instruction (closing
 * inherited descriptors through /proc/self/fd, checking procfs, switching user, chdir, then execve), plus
 * the Go runtime's own housekeeping that can run in that window (signals, futex, scheduler, memory).
 * Measured with runc 1.1.5 by removing one call at a time (docs/baseline.md, "Seccomp export");
 * test/baseline/e2e-export.test.ts proves the fixture image starts under an exported profile.
 */
export const RUNTIME_SYSCALLS = [
  'capget', 'capset', 'chdir', 'close', 'execve', 'exit', 'exit_group', 'fchdir', 'fcntl', 'fstat', 'fstatfs',
  'futex', 'getcwd', 'getdents64', 'getpid', 'getppid', 'gettid', 'madvise', 'mmap', 'mprotect', 'munmap',
  'nanosleep', 'newfstatat', 'openat', 'prctl', 'read', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn',
  'sched_yield', 'setgid', 'setgroups', 'setresgid', 'setresuid', 'setuid', 'sigaltstack', 'statfs', 'tgkill',
  'write', 'epoll_pwait',
] as const;

const ARCHITECTURES: Record<Arch, string[]> = {
  x86_64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  aarch64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

export interface SeccompProfile {
  defaultAction: 'SCMP_ACT_ERRNO';
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: { names: string[]; action: 'SCMP_ACT_ALLOW' }[];
}

const SYSCALL_NAME = /^[a-z0-9_]{1,64}$/;

export function seccompProfile(baseline: Baseline, service?: string): SeccompProfile {
  const services = selectServices(baseline, service);
  if (service === undefined && services.length > 1) {
    throw new ExportError(`a seccomp profile is for one service: pass --service (${services.map(([n]) => n).join(', ')})`);
  }
  const names = new Set<string>([...RUNTIME_SYSCALLS, ...baseline.learned.alwaysAllowed]);
  for (const [, svc] of services) for (const s of svc.syscalls) names.add(s.name);
  // A name from a hand-edited or hostile file must not smuggle anything into the JSON the runtime reads.
  const valid = [...names].filter((n) => SYSCALL_NAME.test(n)).sort();
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    architectures: ARCHITECTURES[baseline.learned.arch],
    syscalls: [{ names: valid, action: 'SCMP_ACT_ALLOW' }],
  };
}

export function seccompJson(baseline: Baseline, service?: string): string {
  return JSON.stringify(seccompProfile(baseline, service), null, 2) + '\n';
}
