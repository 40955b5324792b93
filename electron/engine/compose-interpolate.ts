/**
 * Compose-file interpolation, as `docker compose` does it before reading services
 * (https://docs.docker.com/reference/compose-file/interpolation/): `$$` is a literal `$`; `$VAR` and
 * `${VAR}` take the variable; `${VAR:-default}` / `${VAR-default}` default when unset-or-empty / unset;
 * `${VAR:?message}` / `${VAR?message}` are errors when unset-or-empty / unset; `${VAR:+alt}` / `${VAR+alt}`
 * give `alt` when set-and-non-empty / set. Values come from the shell, then from `.env` next to the file.
 * Only values are interpolated, never keys.
 */
export type Env = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export class InterpolationError extends Error {}

/** Interpolates every string value in a parsed YAML tree; `warnings` collects unset variables. */
export function interpolateTree(node: unknown, env: Env, warnings: Set<string>, path = ''): unknown {
  if (typeof node === 'string') return interpolate(node, env, warnings, path);
  if (Array.isArray(node)) return node.map((v, i) => interpolateTree(v, env, warnings, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = interpolateTree(v, env, warnings, path ? `${path}.${k}` : k);
    return out;
  }
  return node;
}

export function interpolate(text: string, env: Env, warnings: Set<string>, where = ''): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$') { out += c; continue; }
    const next = text[i + 1];
    if (next === '$') { out += '$'; i++; continue; }
    if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) throw new InterpolationError(`${where}: unterminated \${ in '${text}'`);
      out += braced(text.slice(i + 2, close), env, warnings, where);
      i = close;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) { out += '$'; continue; }
    out += lookup(name, env, warnings);
    i += name.length;
  }
  return out;
}

function braced(body: string, env: Env, warnings: Set<string>, where: string): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`${where}: invalid interpolation \${${body}}`);
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, warnings);
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new InterpolationError(`${where}: invalid interpolation \${${body}}`);
  const arg = () => interpolate(rest.slice(op.length), env, warnings, where);
  switch (op) {
    case ':-': return nonEmpty ? value! : arg();
    case '-': return set ? value! : arg();
    case ':+': return nonEmpty ? arg() : '';
    case '+': return set ? arg() : '';
    case ':?': if (nonEmpty) return value!; throw new InterpolationError(`${where}: ${name} is required: ${arg() || 'it is unset or empty'}`);
    default: if (set) return value!; throw new InterpolationError(`${where}: ${name} is required: ${arg() || 'it is unset'}`);
  }
}

function lookup(name: string, env: Env, warnings: Set<string>): string {
  const value = env[name];
  if (value === undefined) { warnings.add(`the ${name} variable is not set: it is a blank string`); return ''; }
  return value;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** A `.env` file: KEY=VALUE lines, `#` comments, optional quotes around the value. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  }
  return out;
}
