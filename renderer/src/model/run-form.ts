/** Turning the run form's text fields into the `run.start` arguments. Pure. */

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

export function parseList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}
