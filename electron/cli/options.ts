/** Parsing helpers shared by the commands: repeatable options and checked numbers. */
import { InvalidArgumentError } from 'commander';

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new InvalidArgumentError('expected a number of seconds between 0 and 86400');
  return n;
}

export function envEntry(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
    // `-e KEY` takes the value from Imprint's own environment, like docker run.
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) && process.env[value] !== undefined) return [...previous, `${value}=${process.env[value]}`];
    throw new InvalidArgumentError(`expected KEY=VALUE, not '${value}'`);
  }
  return [...previous, value];
}

export function labels(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of values ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--label takes key=value, not '${l}'`);
    out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}
