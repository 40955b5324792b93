/** Numbers as people read them. Pure. */

/** A file size: B below 1 KB, KB below 1 MB, then MB and GB (a 16 MB capture is not "16160 KB"). */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  // One decimal while it says something (1.5 MB), none once it is noise (240 MB).
  return `${v < 10 && i > 0 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}
