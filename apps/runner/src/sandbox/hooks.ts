/**
 * Module hooks of the sandbox (node:module register(), called by the worker before it
 * imports any user module; they run on Node's hooks thread): a user module in any folder
 * imports the guest API, and may be TypeScript.
 *
 *  - resolve: the guest API (`@paravirt/cpukit`, `@paravirt/samples`: GUEST_MODULES in
 *    guestApi.ts) is the runner's own copy - the very objects its executive uses, which the
 *    worker hands over - whatever folder the module is in and whatever is installed next to
 *    it. Any other specifier resolves as Node resolves it. From a TypeScript file, `./x.js`
 *    that does not exist finds `./x.ts` (`.mjs`: `.mts`; no extension: `.ts`), as
 *    TypeScript's own resolution does.
 *  - load: `.ts` and `.mts` files are ES modules whose types are stripped (sucrase: no type
 *    checking, `isolatedModules` semantics, every line kept where it was), with a source map
 *    so stack traces point into the TypeScript source. A syntax error names its file, line
 *    and column in its stack, where the worker finds user locations (location.ts).
 *
 * Node's own loader reads the files, under the sandbox process's permission model: a
 * module still reads only its own folder. sucrase is plain JavaScript bundled into this
 * file: the sandbox may not start processes (esbuild's service) nor read anything outside
 * its folder.
 */
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';
import { guestModuleSource } from '@paravirt/compose';

/** What the worker tells the hooks: the guest API's modules and the names each exports. */
export interface HooksData {
  readonly guestModules: Readonly<Record<string, readonly string[]>>;
}

/** URLs of the guest API's modules (served by load below, never read from disk). */
const GUEST_SCHEME = 'paravirt-guest:';
const TYPESCRIPT = /\.m?ts$/;

let guestModules: Readonly<Record<string, readonly string[]>> = {};

export const initialize: InitializeHook<HooksData> = (data) => {
  guestModules = data.guestModules;
};

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** The TypeScript file a `.js`/`.mjs`/extensionless relative import from TypeScript means. */
function typeScriptTwin(specifier: string): string | undefined {
  if (!/^\.{1,2}\//.test(specifier) && !specifier.startsWith('/')) return undefined;
  if (specifier.endsWith('.js')) return `${specifier.slice(0, -3)}.ts`;
  if (specifier.endsWith('.mjs')) return `${specifier.slice(0, -4)}.mts`;
  return /\/[^/.]+$/.test(specifier) ? `${specifier}.ts` : undefined;
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (Object.hasOwn(guestModules, specifier)) return { url: `${GUEST_SCHEME}${specifier}`, shortCircuit: true };
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (errorCode(error) !== 'ERR_MODULE_NOT_FOUND') throw error;
    const twin = context.parentURL !== undefined && TYPESCRIPT.test(context.parentURL) ? typeScriptTwin(specifier) : undefined;
    if (twin !== undefined) {
      try {
        return await nextResolve(twin, context);
      } catch {
        // The original error says what was asked for.
      }
    }
    if (specifier.startsWith('@paravirt/')) {
      throw Object.assign(new Error(`${specifier} is not available to user modules (they may import ${Object.keys(guestModules).join(' and ')})`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    throw error;
  }
};

/** `Unexpected token` from sucrase's `Error transforming /path/x.ts: Unexpected token (3:9)`. */
const reasonOf = (message: string): string => message.replace(/^Error transforming .*?: /, '').replace(/ \(\d+:\d+\)$/, '');

function stripTypes(source: string, url: string): string {
  let output: ReturnType<typeof transform>;
  try {
    output = transform(source, { transforms: ['typescript'], filePath: fileURLToPath(url), sourceMapOptions: { compiledFilename: fileURLToPath(url) } });
  } catch (error) {
    const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
    const syntax = new SyntaxError(reasonOf(error instanceof Error ? error.message : String(error)));
    // The location where the worker looks for one (location.ts): a stack frame in the user's file.
    if (typeof loc?.line === 'number' && typeof loc.column === 'number') syntax.stack = `SyntaxError: ${syntax.message}\n    at ${url}:${loc.line}:${loc.column}`;
    throw syntax;
  }
  const map = { ...output.sourceMap, sources: [url] };
  return `${output.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

export const load: LoadHook = async (url, context, nextLoad) => {
  if (url.startsWith(GUEST_SCHEME)) {
    const name = url.slice(GUEST_SCHEME.length);
    return { format: 'module', source: guestModuleSource(name, guestModules[name] ?? []), shortCircuit: true };
  }
  if (url.startsWith('file:') && TYPESCRIPT.test(new URL(url).pathname)) {
    const loaded = await nextLoad(url, { ...context, format: 'module' });
    const { source } = loaded;
    const text = typeof source === 'string' ? source : source === undefined ? '' : Buffer.from(source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength)).toString('utf8');
    return { format: 'module', source: stripTypes(text, url), shortCircuit: true };
  }
  return nextLoad(url, context);
};
