/**
 * The probe's always-allowed ("hot") syscalls: they never stop the tracee, so they never appear as `syscall`
 * events, yet every program uses them. They are part of every baseline's complete syscall set and are allowed
 * by every exported seccomp profile.
 *
 * Source of truth: native/src/syscalls.h (per architecture; native/PROTOCOL.md, "Always-allowed").
 * This is a copy, because common/ cannot read C headers at run time; test/baseline/always-allowed.test.ts
 * fails when the two differ, so change both together.
 */
export type Arch = 'x86_64' | 'aarch64';

const COMMON = [
  // memory
  'brk', 'madvise', 'mincore', 'mlock', 'mprotect', 'mremap', 'msync', 'munlock', 'munmap',
  // time
  'clock_getres', 'clock_gettime', 'clock_nanosleep', 'gettimeofday', 'nanosleep',
  // I/O on descriptors the process already holds
  'close', 'fstat', 'fsync', 'fdatasync', 'lseek', 'pread64', 'preadv', 'pwrite64', 'pwritev', 'read', 'readv',
  'write', 'writev',
  // waiting
  'epoll_ctl', 'epoll_pwait', 'futex', 'ppoll', 'pselect6', 'sched_yield',
  // signals
  'restart_syscall', 'rt_sigaction', 'rt_sigpending', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigsuspend',
  'rt_sigtimedwait', 'sigaltstack',
  // identity queries (changes stop: setuid and friends are reported)
  'getegid', 'geteuid', 'getgid', 'getpgid', 'getpid', 'getppid', 'getrandom', 'getresgid', 'getresuid',
  'getrusage', 'getsid', 'gettid', 'getuid', 'sched_getaffinity', 'set_robust_list', 'set_tid_address',
  'uname',
] as const;

/** Legacy calls that exist on x86_64 only (aarch64 has the generic table: no poll, no select, no time). */
const X86_64_ONLY = ['arch_prctl', 'epoll_wait', 'mmap', 'poll', 'select', 'time'] as const;
const AARCH64_ONLY = ['mmap'] as const;

export const ALWAYS_ALLOWED: Readonly<Record<Arch, readonly string[]>> = {
  x86_64: [...new Set<string>([...COMMON, ...X86_64_ONLY])].sort(),
  aarch64: [...new Set<string>([...COMMON, ...AARCH64_ONLY])].sort(),
};

export function isArch(s: string): s is Arch {
  return s === 'x86_64' || s === 'aarch64';
}
