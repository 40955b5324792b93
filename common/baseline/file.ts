/**
 * The baseline file: YAML that a reviewer reads in a pull request. Deterministic (the same baseline gives the
 * same bytes), sorted (learn.ts sorts every list), one item per line as a flow mapping (a change in behaviour
 * touches only the lines of the items it adds or removes), with the JSON Schema named twice: in the
 * yaml-language-server modeline for editors, and as `$schema` for other tools.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, Document } from 'yaml';
import { startsAsCapture } from '../capture.js';
import { applyComments, collectComments } from './comments.js';
import { baselineSchema, BASELINE_VERSION, type Baseline } from './schema.js';

export const BASELINE_SCHEMA_FILE = 'assets/schema/baseline-v1.schema.json';

export class BaselineFileError extends Error {
  /** 1-based line the error points at, when known; callers print it as `file:line: message`. */
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

/**
 * Serializes a baseline; `schemaRef` is the schema's path relative to the file (or a URL). With
 * `keepCommentsFrom` (the text of the file being replaced), people's comments on items that still exist stay.
 */
export function stringifyBaseline(baseline: Baseline, schemaRef: string, keepCommentsFrom?: string): string {
  const { $schema: _ignored, ...rest } = baseline;
  const doc = new Document({ $schema: schemaRef, ...rest });
  // Lists of items: each item a one-line flow mapping, so a change touches only its own line.
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every((i) => isMap(i))) for (const i of node.items) if (isMap(i)) i.flow = true;
    },
  });
  // Lists of names on one line each: a re-learning changes one line, not a block.
  const names = [['learned', 'alwaysAllowed'], ...Object.keys(baseline.services).map((s) => ['services', s, 'truncated'])];
  for (const path of names) {
    const list = doc.getIn(path, true);
    if (isSeq(list)) list.flow = true;
  }
  if (keepCommentsFrom !== undefined) applyComments(doc, collectComments(keepCommentsFrom));
  doc.commentBefore =
    ` yaml-language-server: $schema=${schemaRef}\n` +
    ' Imprint baseline: what each service did in its learning runs. Review changes to it like code.\n' +
    ' runs: how many learning runs saw an item (fewer than the service\'s runs: flaky); by: which executables.\n' +
    ' Format, normalization rules and CI use: docs/baseline.md. Written by `imprint baseline`.';
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true, indentSeq: true });
}

/** The fix when a capture is given where a baseline belongs. */
export const LEARN_FROM_CAPTURE = (capture: string): string => `learn one with \`imprint baseline ${capture} -o FILE\``;

/** Parses and validates a baseline file; errors name the field and line, never a stack. */
export function parseBaseline(text: string): Baseline {
  // A capture is the commonest wrong file here, and as YAML its first `{` only gets a parser error.
  if (startsAsCapture(text)) throw new BaselineFileError(`this is an Imprint capture, not a baseline: ${LEARN_FROM_CAPTURE('CAPTURE')}`, 1);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new BaselineFileError(`not valid YAML: ${doc.errors[0]!.message}`);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data && typeof data === 'object' && 'version' in data && data.version !== BASELINE_VERSION) {
    throw new BaselineFileError(`baseline version ${String(data.version)} is not supported (this Imprint reads version ${BASELINE_VERSION})`);
  }
  if (data && typeof data === 'object' && 'services' in data && !('version' in data)) {
    // `services:` without `version:` is the shape of a compose file, the commonest wrong file here.
    throw new BaselineFileError('this looks like a compose file, not a baseline: pass it with --compose (and the baseline with --baseline)', 1);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
    throw new BaselineFileError(
      `invalid baseline at ${at.join('.') || '(root)'}: ${issue.message} (fix: see docs/baseline.md "Adding items by hand")`,
      lineOfPath(text, at),
    );
  }
  // An old file's run ids are ignored, so writing it back (merge, the app's editor) leaves them out.
  const { runIds: _deprecated, ...learned } = parsed.data.learned;
  return { ...parsed.data, learned };
}

/** 1-based line of the deepest node of `path` that exists in the file (a missing key: its parent). */
function lineOfPath(text: string, path: (string | number)[]): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/** 1-based line of each service's key in the file, for SARIF locations; 1 when not found. */
export function serviceLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const doc = parseDocument(text);
  const services = doc.get('services', true);
  if (!isMap(services)) return out;
  for (const pair of services.items) {
    if (isScalar(pair.key) && pair.key.range) out.set(String(pair.key.value), lineOf(text, pair.key.range[0]));
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The JSON Schema published for the file (assets/schema/baseline-v1.schema.json is this, committed). */
export { baselineJsonSchema } from './json-schema.js';

