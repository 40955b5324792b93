/**
 * The layering rule (STYLE.md, after VS Code's code-layering lint): folders are named by the runtime they
 * need, and imports only point the allowed way.
 *   common/    environment-free: no node:*, no electron, no DOM-only packages, nothing from electron/ or renderer/
 *   renderer/  may import common/, never electron/ or node:*
 *   electron/  may import common/, never renderer/ (it serves the renderer's build output, not its code)
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, dirname } from 'node:path';

export interface LayerViolation { file: string; line: number; specifier: string; reason: string }

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|http$|https$|net$|crypto$|stream$|url$|util$|events$|zlib$|tty$)/;

export async function findLayerViolations(root: string): Promise<LayerViolation[]> {
  const out: LayerViolation[] = [];
  for (const layer of ['common', 'renderer', 'electron'] as const) {
    for (const file of await sourceFiles(join(root, layer))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        const reason = check(layer, root, file, specifier);
        if (reason) {
          const line = text.slice(0, match.index).split('\n').length;
          out.push({ file: relative(root, file), line, specifier, reason });
        }
      }
    }
  }
  return out;
}

function check(layer: 'common' | 'renderer' | 'electron', root: string, file: string, spec: string): string | undefined {
  const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : undefined;
  const inFolder = (folder: string) => target !== undefined && (target === folder || target.startsWith(folder + '/'));
  if (layer === 'common') {
    if (NODE_BUILTINS.test(spec)) return 'common/ must not import Node built-ins';
    if (spec === 'electron' || spec.startsWith('electron/')) return 'common/ must not import electron';
    if (['react', 'react-dom', 'dockerode'].includes(spec)) return `common/ must not import ${spec}`;
    if (inFolder('electron') || inFolder('renderer')) return 'common/ must not import electron/ or renderer/';
  }
  if (layer === 'renderer') {
    if (NODE_BUILTINS.test(spec)) return 'renderer/ must not import Node built-ins';
    if (spec === 'electron' || spec === 'dockerode') return `renderer/ must not import ${spec}`;
    if (inFolder('electron')) return 'renderer/ must not import main-process code (electron/)';
  }
  if (layer === 'electron' && inFolder('renderer')) return 'electron/ must not import renderer/ code';
  return undefined;
}

async function sourceFiles(dir: string): Promise<string[]> {
  let entries;
  try { entries = await readdir(dir, { withFileTypes: true }); } catch { return []; }
  const files: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') files.push(...(await sourceFiles(p))); }
    else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.config.ts')) files.push(p);
  }
  return files;
}
