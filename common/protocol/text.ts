/**
 * Bytes from the container → text that is safe to show, store and diff: valid UTF-8 is kept, every other
 * byte and every control character (C0, DEL and C1) is written as `\xNN` per byte, and `\` as `\\`, so the
 * mapping is reversible and a hostile name cannot forge terminal escapes or fake line breaks. Characters
 * that are invisible or reorder text (bidi controls, zero-width characters, line separators, tags) are
 * escaped the same way, byte by byte: `/tmp/evil<U+202E>hsab` must not read as `/tmp/evilbash`, nor
 * `/etc/pass<U+200B>wd` as `/etc/passwd` (the Trojan Source trick, CVE-2021-42574).
 */

/** Escaped text is cut here (a 64 KiB attribute can otherwise grow fourfold). Below events.ts's bound. */
export const MAX_TEXT_CHARS = 65_536;

export interface DecodedText {
  text: string;
  /** The text was cut at MAX_TEXT_CHARS. */
  cut: boolean;
}

const HEX = '0123456789abcdef';
// ignoreBOM: by default a decoder drops a byte order mark at the start of what it decodes, and each run of
// UTF-8 between escapes is decoded on its own: a line starting with EF BB BF would lose those bytes.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function escapeByte(b: number): string {
  return '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0xc2) return 0; // continuation byte or overlong 2-byte lead
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 < 0xe0) n = 2;
  else if (b0 < 0xf0) {
    n = 3;
    if (b0 === 0xe0) lo = 0xa0; // overlong
    else if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b0 < 0xf5) {
    n = 4;
    if (b0 === 0xf0) lo = 0x90; // overlong
    else if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  if (i + n > end) return 0;
  const b1 = bytes[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < n; k++) {
    const b = bytes[i + k]!;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  // C1 controls U+0080..U+009F are encoded C2 80..C2 9F: escape those too.
  if (b0 === 0xc2 && b1 < 0xa0) return 0;
  if (isInvisible(codePoint(bytes, i, n))) return 0;
  return n;
}

function codePoint(bytes: Uint8Array, i: number, n: number): number {
  const b0 = bytes[i]!;
  let cp = n === 2 ? b0 & 0x1f : n === 3 ? b0 & 0x0f : b0 & 0x07;
  for (let k = 1; k < n; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
  return cp;
}

/** Format characters that change how text reads without showing themselves (Unicode's Cf, Zl and Zp
 * that matter in practice), plus the soft hyphen. */
export function isInvisible(cp: number): boolean {
  return cp === 0xad || cp === 0x61c || cp === 0x180e
    || (cp >= 0x200b && cp <= 0x200f) // zero-width space, joiners, LRM, RLM
    || (cp >= 0x2028 && cp <= 0x202e) // line and paragraph separators, bidi embeddings and overrides
    || (cp >= 0x2060 && cp <= 0x206f) // word joiner, invisible operators, bidi isolates
    || cp === 0xfeff // zero-width no-break space (byte order mark)
    || (cp >= 0xfff9 && cp <= 0xfffb) // interlinear annotation
    || (cp >= 0xe0000 && cp <= 0xe007f); // tags
}

/** Decodes `bytes` (any content) into escaped text. */
export function bytesToText(bytes: Uint8Array): DecodedText {
  const end = bytes.length;
  // Fast path: printable ASCII without a backslash, the overwhelmingly common case (paths, names).
  let i = 0;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x20 || b >= 0x7f || b === 0x5c) break;
    i++;
  }
  if (i === end) {
    if (end <= MAX_TEXT_CHARS) return { text: end < 32 ? String.fromCharCode.apply(null, bytes as unknown as number[]) : utf8.decode(bytes), cut: false };
    return { text: utf8.decode(bytes.subarray(0, MAX_TEXT_CHARS)), cut: true };
  }
  let out = i > 0 ? utf8.decode(bytes.subarray(0, i)) : '';
  let runStart = i;
  const flush = (to: number): void => {
    if (to > runStart) out += utf8.decode(bytes.subarray(runStart, to));
  };
  while (i < end) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) { i++; continue; }
    if (b >= 0x80) {
      const n = utf8SequenceLength(bytes, i, end);
      if (n > 0) { i += n; continue; }
    }
    flush(i);
    out += b === 0x5c ? '\\\\' : escapeByte(b);
    i++;
    runStart = i;
    if (out.length > MAX_TEXT_CHARS) return { text: out.slice(0, MAX_TEXT_CHARS), cut: true };
  }
  flush(end);
  if (out.length > MAX_TEXT_CHARS) return { text: out.slice(0, MAX_TEXT_CHARS), cut: true };
  return { text: out, cut: false };
}

/** Value of the hex digit at `i`, or -1. */
function hexDigit(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * The inverse of bytesToText for uncut text (exact: tested over every byte value and random byte strings):
 * `imprint run` prints an app's output with it, and exports use it for paths. A backslash that starts no
 * escape (cut or hand-written text) stays a backslash.
 */
export function textToBytes(text: string): Uint8Array {
  // Most app output has no backslash at all: one encode.
  let esc = text.indexOf('\\');
  if (esc === -1) return utf8Encoder.encode(text);
  // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 units), an escape one byte.
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  let runStart = 0;
  while (esc !== -1) {
    n += utf8Encoder.encodeInto(text.slice(runStart, esc), out.subarray(n)).written;
    const next = text.charCodeAt(esc + 1);
    const hi = hexDigit(text, esc + 2);
    const lo = hexDigit(text, esc + 3);
    if (next === 0x5c) {
      out[n++] = 0x5c;
      runStart = esc + 2;
    } else if (next === 0x78 && hi >= 0 && lo >= 0) {
      out[n++] = (hi << 4) | lo;
      runStart = esc + 4;
    } else {
      out[n++] = 0x5c;
      runStart = esc + 1;
    }
    esc = text.indexOf('\\', runStart);
  }
  n += utf8Encoder.encodeInto(text.slice(runStart), out.subarray(n)).written;
  return out.subarray(0, n);
}

/**
 * Escaped text made readable for a person (an app's log lines in the app's log view): `\\` back to
 * `\` (JSON logs are full of `\"`) and `\x09` back to a tab. Every other escape stays visible as `\xNN`,
 * so a hostile line still cannot move a terminal's cursor or fake a line break. Not reversible (a literal
 * `\x41` and an escaped byte look alike): for display only, never for what is stored.
 */
export function readableText(text: string): string {
  return text.includes('\\') ? text.replace(/\\(\\|x09)/g, (_, e: string) => (e === '\\' ? '\\' : '\t')) : text;
}
