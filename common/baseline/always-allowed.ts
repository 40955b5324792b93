/**
 * The probe's always-allowed ("hot") syscalls: they never stop the tracee, so they never appear as `syscall`
 * events, yet every program uses them. They are part of every baseline's complete syscall set and are allowed
 * by every exported seccomp profile.
 *
 * Source of truth: native/src/syscalls.c (COMMON_HOT) and native/src/syscalls_<arch>.h (ARCH_HOT), plus
 * `sendto`, which is hot when its destination is NULL (SC_HOT_NULL_ARG4): a program that only ever sends on
 * connected sockets never reports it, so exports must allow it. This is a copy, because common/ cannot read
 * C sources at run time; test/unit/baseline-always-allowed.test.ts fails when the two differ.
 */
export type Arch = 'x86_64' | 'aarch64';

const COMMON_HOT = [
  'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'recvfrom', 'recvmsg', 'recvmmsg', 'sendfile', 'splice', 'tee', 'close', 'dup', 'dup3', 'fstat',
  'newfstatat', 'statx', 'faccessat', 'faccessat2', 'readlinkat', 'getdents64', 'lseek', 'fcntl', 'ioctl',
  'futex', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl', 'ppoll', 'pselect6', 'rt_sigaction',
  'rt_sigprocmask', 'rt_sigreturn', 'rt_sigpending', 'rt_sigtimedwait', 'rt_sigsuspend', 'sigaltstack',
  'getpid', 'gettid', 'getppid', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups', 'getresuid',
  'getresgid', 'getpgid', 'getsid', 'sched_yield', 'nanosleep', 'clock_nanosleep', 'clock_gettime',
  'clock_getres', 'gettimeofday', 'set_tid_address', 'set_robust_list', 'get_robust_list', 'rseq',
  'prlimit64', 'getrandom', 'uname', 'exit', 'exit_group', 'brk', 'mmap', 'munmap', 'mprotect', 'madvise',
  'mremap', 'clone', 'clone3', 'wait4', 'waitid', 'getcwd', 'fsync', 'fdatasync', 'getsockname',
  'getpeername', 'getsockopt', 'sched_getaffinity', 'membarrier', 'restart_syscall', 'fstatfs', 'statfs',
  'sysinfo', 'getrusage', 'times',
] as const;

/** Hot only with a NULL destination; see above. */
const CONDITIONALLY_HOT = ['sendto'] as const;

const ARCH_HOT: Record<Arch, readonly string[]> = {
  x86_64: ['stat', 'lstat', 'access', 'readlink', 'getdents', 'poll', 'select', 'epoll_wait', 'dup2', 'arch_prctl',
    'fork', 'vfork', 'time', 'pause', 'alarm', 'getpgrp'],
  aarch64: [],
};

export const ALWAYS_ALLOWED: Readonly<Record<Arch, readonly string[]>> = {
  x86_64: [...new Set<string>([...COMMON_HOT, ...CONDITIONALLY_HOT, ...ARCH_HOT.x86_64])].sort(),
  aarch64: [...new Set<string>([...COMMON_HOT, ...CONDITIONALLY_HOT, ...ARCH_HOT.aarch64])].sort(),
};

export function isArch(s: string): s is Arch {
  return s === 'x86_64' || s === 'aarch64';
}

/**
 * Files every program may write without it being news: the null and terminal devices and a process's own
 * descriptors (a shell's `> /dev/null` opens /dev/null with O_CREAT, so it showed as a new file created).
 * Learned and exported like any write (an AppArmor profile still needs them); never drift. Normalized keys.
 */
export const ALWAYS_WRITABLE: ReadonlySet<string> = new Set([
  '/dev/null', '/dev/zero', '/dev/full', '/dev/tty', '/dev/stdout', '/dev/stderr', '/dev/random', '/dev/urandom',
  '/dev/fd/*', '/proc/self/fd/*', '/proc/thread-self/fd/*', '/proc/*/fd/*',
]);
