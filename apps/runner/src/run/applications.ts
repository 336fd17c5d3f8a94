/**
 * Finds the application each partition runs: a built-in sample by name, or a user module
 * by path (a JS file whose default export, or named export `application`, has cpukit's
 * Application shape { name, description, configuration?, init }, or the samples' raw
 * program shape { kind: 'raw', name, description, create }).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Application } from '@paravirt/cpukit';
import { type RawApplication, type Sample, isRawApplication, listSamples, samples } from '@paravirt/samples';
import type { ModuleSpec } from '../config/moduleSpec.js';

export class ApplicationError extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'ApplicationError';
  }
}

/** What a partition runs: an RTEMS application on the executive, or a raw program. */
export type GuestApplication = Application | RawApplication;

export function listApplications(): readonly Sample[] {
  return listSamples();
}

function looksLikePath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || /\.(m?js|cjs)$/.test(name);
}

function isApplication(value: unknown): value is Application {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Application>;
  return typeof candidate.name === 'string' && typeof candidate.init === 'function';
}

export async function resolveApplications(spec: ModuleSpec, cwd: string): Promise<Map<string, GuestApplication>> {
  const resolved = new Map<string, GuestApplication>();
  for (const partition of spec.partitions) {
    const name = partition.app;
    if (resolved.has(name)) continue;
    const builtin = samples[name];
    if (builtin) {
      resolved.set(name, builtin);
      continue;
    }
    const where = spec.kernel === 'none' ? '--app' : `partitions.${partition.name}.app`;
    if (!looksLikePath(name)) throw new ApplicationError(where, `unknown application "${name}" (built-in: ${Object.keys(samples).join(', ')}; or a path to a .js module)`);
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ApplicationError(where, `cannot load ${name}: ${(error as Error).message.split('\n')[0]}`);
    }
    const application = module['default'] ?? module['application'];
    if (!isApplication(application) && !isRawApplication(application)) {
      throw new ApplicationError(where, `${name} does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)`);
    }
    resolved.set(name, application);
  }
  return resolved;
}
