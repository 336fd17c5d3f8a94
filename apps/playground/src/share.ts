/**
 * Share links: the config and the run's choices in the URL's fragment, so a link reproduces
 * a run byte for byte and never reaches a server (a fragment is not sent). The state is JSON,
 * compressed with deflate-raw (CompressionStream, in every current browser and Node 20) and
 * written in base64url: `#run=<data>`. The Modules area's modules (name and source) go in
 * too, so a link reproduces a run with user modules.
 */
import type { UserModule } from './modules.js';

/** What a link reproduces: the config's text and the choices made beside it (empty: the config's own). */
export interface SharedRun {
  readonly config: string;
  readonly kernel: string;
  readonly arch: string;
  readonly duration: string;
  readonly seed: string;
  readonly apps: string;
  /** The Modules area, when it holds any. */
  readonly modules?: readonly UserModule[];
}

const KEY = 'run=';

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The fragment (with its `#`) for `run`. */
export async function encodeShare(run: SharedRun): Promise<string> {
  const modules = run.modules && run.modules.length > 0 ? { m: run.modules.map((module) => [module.name, module.source]) } : {};
  const json = JSON.stringify({ v: 1, c: run.config, k: run.kernel, a: run.arch, d: run.duration, s: run.seed, p: run.apps, ...modules });
  const packed = await through(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `#${KEY}${toBase64Url(packed)}`;
}

/** The run a fragment (`#run=...`, with or without its `#`) holds; undefined if it holds none or is damaged. */
export async function decodeShare(hash: string): Promise<SharedRun | undefined> {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith(KEY)) return undefined;
  try {
    const json = new TextDecoder().decode(await through(fromBase64Url(fragment.slice(KEY.length)), new DecompressionStream('deflate-raw')));
    const data = JSON.parse(json) as Record<string, unknown>;
    const text = (key: string): string => (typeof data[key] === 'string' ? data[key] : '');
    if (data['v'] !== 1 || typeof data['c'] !== 'string') return undefined;
    const listed: unknown = data['m'];
    const modules = Array.isArray(listed)
      ? listed.filter((entry): entry is [string, string] => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string').map(([name, source]) => ({ name, source }))
      : [];
    return { config: text('c'), kernel: text('k'), arch: text('a'), duration: text('d'), seed: text('s'), apps: text('p'), ...(modules.length > 0 ? { modules } : {}) };
  } catch {
    return undefined;
  }
}
