/** Turning the run forms' text fields into the `run.start` and `run.compose` arguments. Pure. */
import { runConfigSchema, type ComposeConfig, type RunConfig, type Tracing } from '../../../common/api.js';

/** Splits a command line like a shell would for simple cases: spaces, single and double quotes. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let cur = '', quote: string | null = null, any = false;
  for (const ch of line) {
    if (quote) { if (ch === quote) quote = null; else cur += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; any = true; continue; }
    if (/\s/.test(ch)) { if (cur || any) out.push(cur); cur = ''; any = false; continue; }
    cur += ch;
  }
  if (cur || any) out.push(cur);
  return out;
}

/** Environment entries: one per line, so a value may hold commas and spaces (`GREETING=hello, world`). */
export function parseEnv(text: string): string[] {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/** Port maps: separated by commas or new lines (a port map never holds a comma). */
export function parsePorts(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * "Stop after": seconds (`30`, `1.5`) or with a unit (`30s`, `5m`, `1h`). Empty: no limit. Anything else
 * is an error to show, never a value dropped in silence (the run would then go on until it exits).
 */
export function parseDuration(text: string): { seconds?: number } | { error: string } {
  const t = text.trim();
  if (!t) return {};
  const m = /^(\d+(?:\.\d+)?)\s*([smh]?)$/i.exec(t);
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[(m[2] || 's').toLowerCase()]! : NaN;
  if (!(seconds > 0)) return { error: `Stop after: "${t}" is not a duration. Write seconds (30) or 30s, 5m, 1h; leave it empty to run until the app exits.` };
  if (seconds > 86_400) return { error: `Stop after: "${t}" is longer than a day (86400 s), the most a run may last.` };
  return { seconds };
}

export interface RunForm { image: string; command: string; env: string; ports: string; network: string; duration: string }

export type Built<T> = { config: T } | { error: string };

/** The run form's labels, and how to write each list's entries, for messages that name the field and the fix. */
const FIELDS: Record<string, { label: string; bad?: string; fix?: string }> = {
  image: { label: 'Image' },
  command: { label: 'Command' },
  env: { label: 'Environment', bad: 'is not KEY=VALUE', fix: 'Write one KEY=VALUE per line; a value may hold commas and spaces' },
  ports: { label: 'Ports', bad: 'is not a port mapping', fix: 'Write [IP:][HOST:]CONTAINER[/tcp|udp] (e.g. 127.0.0.1:8080:80), several separated by commas or new lines' },
  network: { label: 'Network' },
};

/** `run.start`'s arguments from the form, checked against the API's own schema before anything starts. */
export function buildRunConfig(form: RunForm, tracing: Tracing): Built<RunConfig> {
  const config: RunConfig = { image: form.image.trim() };
  const command = splitCommand(form.command);
  if (command.length) config.command = command;
  const env = parseEnv(form.env); if (env.length) config.env = env;
  const ports = parsePorts(form.ports); if (ports.length) config.ports = ports;
  if (form.network.trim()) config.network = form.network.trim();
  const duration = parseDuration(form.duration);
  if ('error' in duration) return duration;
  if (duration.seconds !== undefined) config.duration = duration.seconds;
  Object.assign(config, tracing);
  const checked = runConfigSchema.safeParse(config);
  if (checked.success) return { config };
  const issue = checked.error.issues[0]!;
  const [field, index] = issue.path;
  const about = FIELDS[String(field)];
  if (!about) return { error: issue.message };
  const list = field === 'env' ? config.env : field === 'ports' ? config.ports : undefined;
  const value = typeof index === 'number' ? list?.[index] : undefined;
  // The entry as typed points at the line to fix; zod's own words only for other problems (too many, too long).
  const what = value !== undefined && about.bad && issue.code === 'invalid_format'
    ? `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}" ${about.bad}` : issue.message;
  return { error: `${about.label}: ${what}.${about.fix ? ` ${about.fix}.` : ''}` };
}

/** `run.compose`'s arguments from the compose form. */
export function buildComposeConfig(form: { file: string; until: string; duration: string }, tracing: Tracing): Built<ComposeConfig> {
  const duration = parseDuration(form.duration);
  if ('error' in duration) return duration;
  return {
    config: {
      file: form.file.trim(),
      ...(form.until.trim() ? { until: form.until.trim() } : {}),
      ...(duration.seconds !== undefined ? { duration: duration.seconds } : {}),
      ...tracing,
    },
  };
}
