/**
 * The guest API a user module may import by name, from any folder: the runner's own
 * `@paravirt/cpukit` (the executive's API: Application, directives, RTEMS_* constants) and
 * `@paravirt/samples` (the samples and the raw program types). The module gets the very
 * objects the worker's executive uses, not a second copy: the worker puts their namespaces
 * on a global (GUEST_API_GLOBAL) and the module hooks (hooks.ts, registered here) serve
 * `@paravirt/cpukit` and `@paravirt/samples` as modules that export them.
 */
import { register } from 'node:module';
import * as cpukit from '@paravirt/cpukit';
import * as samples from '@paravirt/samples';
import type { HooksData } from './hooks.js';
import { installGuestApi } from '@paravirt/compose';

export const GUEST_MODULES: Readonly<Record<string, object>> = { '@paravirt/cpukit': cpukit, '@paravirt/samples': samples };

/**
 * Installs the guest API and the module hooks (`hooks` is the URL of the bundled hooks.js,
 * next to worker.js). Source maps are enabled for what is loaded from now on: the user's
 * TypeScript, whose stack traces then point into its own lines.
 */
export function installModuleHooks(hooks: URL): void {
  installGuestApi(GUEST_MODULES);
  process.setSourceMapsEnabled(true);
  const data: HooksData = { guestModules: Object.fromEntries(Object.entries(GUEST_MODULES).map(([name, namespace]) => [name, Object.keys(namespace)])) };
  register(hooks, { data });
}
