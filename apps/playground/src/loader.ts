/**
 * Loads a user module in the simulator's worker, as the runner's sandbox does
 * (apps/runner/src/run/applications.ts loadUserModule): its imports of `@paravirt/cpukit` and
 * `@paravirt/samples` are rewritten to Blob-URL modules that re-export the worker's own
 * namespaces (put on a global, as the sandbox's guestApi.ts does), so the module and the
 * executive share one cpukit; then it is imported from a Blob URL and its export checked,
 * with the CLI's error texts. Browser only (Blob URLs, dynamic import).
 */
import { guestModuleSource, installGuestApi, userApplication } from '@paravirt/compose';
import * as cpukit from '@paravirt/cpukit';
import { describeThrown, thrownStack } from '@paravirt/machine';
import * as samplesApi from '@paravirt/samples';
import type { LoadedModule, ModuleRef } from './check.js';
import { refusedImport, rewriteImports } from './modules.js';

let guestUrls: Record<string, string> | undefined;

/** The guest API on its global, and a Blob-URL module for each of its packages (once per worker). */
function guestApi(): Record<string, string> {
  if (guestUrls) return guestUrls;
  const api: Record<string, object> = { '@paravirt/cpukit': cpukit, '@paravirt/samples': samplesApi };
  installGuestApi(api);
  guestUrls = Object.fromEntries(Object.entries(api).map(([name, namespace]) => [name, URL.createObjectURL(new Blob([guestModuleSource(name, Object.keys(namespace))], { type: 'text/javascript' }))]));
  return guestUrls;
}

/** Blob URL of each loaded module -> the name it was loaded by, for locations in stacks. */
const names = new Map<string, string>();

/** Where in a user module a stack points: `./x.mjs:12:7` (its first frame in a loaded module), or undefined. */
export function locate(stack: string): string | undefined {
  for (const match of stack.slice(0, 64 * 1024).matchAll(/(blob:[^\s()]+?):(\d+):(\d+)/g)) {
    const name = names.get(match[1]!);
    if (name !== undefined) return `${name}:${match[2]!}:${match[3]!}`;
  }
  return undefined;
}

/** Imports `ref`'s module (a new instance each call, as each CLI run is a new process) and checks its export. */
export async function loadUserModule(ref: ModuleRef): Promise<LoadedModule> {
  const rewritten = rewriteImports(ref.module.source, guestApi());
  if ('refused' in rewritten) return { what: `cannot load ${ref.app}: ${refusedImport(rewritten.refused)}` };
  const url = URL.createObjectURL(new Blob([rewritten.code], { type: 'text/javascript' }));
  names.set(url, ref.app);
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    const at = locate(thrownStack(error) ?? '');
    return { what: `cannot load ${ref.app}: ${describeThrown(error)}${at ? ` (at ${at})` : ''}` };
  } finally {
    URL.revokeObjectURL(url);
  }
  const found = userApplication(module, ref.app);
  return 'what' in found ? { what: found.what } : { application: found.application };
}
