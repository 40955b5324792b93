/**
 * Images: reference validation (before any engine call), listing, inspecting, and pulling with per-layer
 * progress. The pull stream is parsed here rather than with docker-modem's followProgress, which reports
 * success when the stream carried `{"error": ...}` (dockerode #639) and parses lines without a guard.
 */
import type Dockerode from 'dockerode';
import type { ImageSummary } from '../../common/api.js';
import { EngineError } from './connection.js';

// The grammar of github.com/distribution/reference (reference.go), without IPv6 literals.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const IMAGE_ID = /^(?:sha256:[0-9a-f]{64}|[0-9a-f]{12,64})$/;

/** Returns why `ref` is not a valid image reference, or undefined when it is. */
export function referenceProblem(ref: string): string | undefined {
  if (!ref) return 'the image reference is empty';
  if (ref.length > 512) return 'the image reference is longer than 512 characters';
  if (IMAGE_ID.test(ref)) return undefined;
  const m = REFERENCE.exec(ref);
  if (!m) {
    if (/[A-Z]/.test(ref.split(/[:@]/)[0]!.split('/').slice(-1)[0]!)) return `'${ref}': repository names must be lower case`;
    return `'${ref}' is not a valid image reference (expected NAME[:TAG][@DIGEST], e.g. debian:bookworm)`;
  }
  if (m[1]!.length > 255) return `'${ref}': the repository name is longer than 255 characters`;
  return undefined;
}

/** Throws EngineError('bad-reference') for an invalid reference. */
export function validateReference(ref: string): void {
  const problem = referenceProblem(ref);
  if (problem) throw new EngineError('bad-reference', problem, 'check the spelling: NAME[:TAG][@sha256:DIGEST]');
}

export async function listImages(docker: Dockerode): Promise<ImageSummary[]> {
  const images = await docker.listImages();
  return images.map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), size: i.Size, created: i.Created * 1000 }));
}

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;

/** Inspects a local image; EngineError('image-not-found') when the engine does not have it. */
export async function inspectImage(docker: Dockerode, ref: string): Promise<Dockerode.ImageInspectInfo> {
  validateReference(ref);
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new EngineError('image-not-found', `image '${ref}' is not available on this engine`, `pull or build it first ('docker pull ${ref}'), or check the name with 'docker images'`);
    }
    throw err;
  }
}

export interface LayerProgress {
  id: string;
  status: string;
  current?: number;
  total?: number;
}

/**
 * Pulls `ref`, calling `onProgress` with every layer's state. Resolves when the pull has finished,
 * rejects with EngineError('pull-failed' | 'image-not-found') when the stream reports an error.
 */
export async function pullImage(docker: Dockerode, ref: string, onProgress?: (layers: LayerProgress[], line: string) => void): Promise<void> {
  validateReference(ref);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.pull(ref)) as NodeJS.ReadableStream;
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (statusOf(err) === 404 || /not found|manifest unknown|repository does not exist/i.test(msg)) {
      throw new EngineError('image-not-found', `image '${ref}' was not found in its registry: ${msg}`, 'check the name and tag, and that you are logged in to the registry');
    }
    throw new EngineError('pull-failed', `pulling '${ref}' failed: ${msg}`, 'check the network and registry access (docker login)');
  }
  const layers = new Map<string, LayerProgress>();
  await new Promise<void>((resolve, reject) => {
    let carry = '';
    let failed: EngineError | undefined;
    const line = (text: string) => {
      if (!text.trim()) return;
      let msg: { id?: unknown; status?: unknown; error?: unknown; errorDetail?: { message?: unknown }; progressDetail?: { current?: unknown; total?: unknown } };
      try {
        msg = JSON.parse(text);
      } catch {
        return; // a malformed progress line is not a failed pull
      }
      if (msg.error !== undefined || msg.errorDetail?.message !== undefined) {
        const m = String(msg.errorDetail?.message ?? msg.error);
        failed ??= /not found|manifest unknown|does not exist/i.test(m)
          ? new EngineError('image-not-found', `image '${ref}' was not found: ${m}`, 'check the name and tag')
          : new EngineError('pull-failed', `pulling '${ref}' failed: ${m}`, 'check the network and registry access (docker login)');
        return;
      }
      if (typeof msg.id === 'string' && typeof msg.status === 'string') {
        const p: LayerProgress = { id: msg.id, status: msg.status };
        if (typeof msg.progressDetail?.current === 'number') p.current = msg.progressDetail.current;
        if (typeof msg.progressDetail?.total === 'number') p.total = msg.progressDetail.total;
        layers.set(msg.id, p);
      }
      onProgress?.([...layers.values()], typeof msg.status === 'string' ? msg.status : '');
    };
    stream.on('data', (chunk: Buffer) => {
      const text = carry + chunk.toString('utf8');
      const parts = text.split('\n');
      carry = parts.pop() ?? '';
      if (carry.length > 1_000_000) carry = '';
      for (const p of parts) line(p);
    });
    stream.on('error', (err: Error) => reject(new EngineError('pull-failed', `pulling '${ref}' broke off: ${err.message}`)));
    stream.on('end', () => {
      line(carry);
      if (failed) reject(failed);
      else resolve();
    });
  });
}

/** Inspects `ref`, pulling it first when allowed and missing. */
export async function ensureImage(docker: Dockerode, ref: string, opts: { pull?: boolean; onProgress?: (layers: LayerProgress[], line: string) => void } = {}): Promise<Dockerode.ImageInspectInfo> {
  try {
    return await inspectImage(docker, ref);
  } catch (err) {
    if (!(err instanceof EngineError) || err.code !== 'image-not-found' || !opts.pull) throw err;
  }
  await pullImage(docker, ref, opts.onProgress);
  return inspectImage(docker, ref);
}
