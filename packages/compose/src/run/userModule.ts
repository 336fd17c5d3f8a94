/**
 * What every host of user modules shares - the CLI's sandbox (apps/runner/src/sandbox/) and the
 * playground's worker: the guest API a module imports by name, served as the host's own objects
 * (so the module and the executive share one cpukit), and the check of what a module exports,
 * in the CLI's words. How a module's file is found and imported is each host's business.
 */
import { type Application, validateApplicationConfiguration } from '@paravirt/cpukit';
import { describeThrown } from '@paravirt/machine';
import { isRawApplication } from '@paravirt/samples';
import type { GuestApplication } from './application.js';

/** Symbol.for() key of the global holding the guest API's module namespaces, by package name. */
export const GUEST_API_GLOBAL = 'paravirt.guestApi';

/** Puts the namespaces a user module may import (`@paravirt/cpukit`, `@paravirt/samples`) on the global, frozen, once. */
export function installGuestApi(api: Readonly<Record<string, object>>): void {
  Object.defineProperty(globalThis, Symbol.for(GUEST_API_GLOBAL), { value: Object.freeze({ ...api }), enumerable: false, writable: false, configurable: false });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The source of a module whose exports are the host's own objects for `name` (the global's entry), one per exported name. */
export function guestModuleSource(name: string, exported: readonly string[]): string {
  const names = exported.filter((exportName) => IDENTIFIER.test(exportName) && exportName !== 'default');
  return [
    `const api = globalThis[Symbol.for(${JSON.stringify(GUEST_API_GLOBAL)})][${JSON.stringify(name)}];`,
    ...names.map((exportName, index) => `const v${index} = api[${JSON.stringify(exportName)}];`),
    `export { ${names.map((exportName, index) => `v${index} as ${exportName}`).join(', ')} };`,
    '',
  ].join('\n');
}

function isApplication(value: unknown): value is Application {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Application>;
  return typeof candidate.name === 'string' && typeof candidate.init === 'function';
}

/**
 * The application a user module's namespace offers (its default export, or the named export
 * `application`: cpukit's Application shape or a raw program), or why it offers none:
 * `export` - its export is not one, or reading it threw (the module misbehaved: the CLI's exit
 * 3); `configuration` - the configuration it declares is invalid, checked like a config file's
 * data (exit 2). `app` is the module's name as the user gave it.
 */
export function userApplication(module: Record<string, unknown>, app: string): { readonly application: GuestApplication } | { readonly problem: 'export' | 'configuration'; readonly what: string } {
  // The exports are the module's own objects: a getter or a Proxy may throw.
  let application: unknown;
  let usable: boolean;
  try {
    application = module['default'] ?? module['application'];
    usable = isApplication(application) || isRawApplication(application);
  } catch (error) {
    return { problem: 'export', what: `cannot load ${app}: reading its export threw ${describeThrown(error)}` };
  }
  if (!usable) {
    return { problem: 'export', what: `${app} does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)` };
  }
  const problems = isRawApplication(application) ? [] : validateApplicationConfiguration(application);
  if (problems.length > 0) return { problem: 'configuration', what: `${app}: ${problems[0]!}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` };
  return { application: application as GuestApplication };
}
