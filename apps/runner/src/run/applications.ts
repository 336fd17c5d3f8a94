/**
 * Finds the application each partition runs: a built-in sample by name, or a user module
 * by path (a JS or TypeScript file - .mjs, .js, .ts, .mts - in any folder, whose default
 * export, or named export `application`, has cpukit's
 * Application shape { name, description, configuration?, init }, or the samples' raw
 * program shape { kind: 'raw', name, description, create }).
 *
 * Built-in samples are resolved here, in the CLI. User modules are code from outside: they
 * are only ever imported inside the sandbox (src/sandbox/), by loadUserModule() below.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Sample, listSamples, samples } from '@paravirt/samples';
import { CliFailure, EXIT, type ExitCode, type GuestApplication, type ModuleSpec, userApplication } from '@paravirt/compose';
import { describeThrown } from '@paravirt/machine';
import { userLocation } from '../sandbox/location.js';

/** An application that cannot be used: an unknown name (exit 2) or a user module that fails to load (exit 3). */
export class ApplicationError extends CliFailure {
  constructor(where: string, what: string, code: ExitCode = EXIT.usage) {
    super(where, what, code);
    this.name = 'ApplicationError';
  }
}


export type { GuestApplication } from '@paravirt/compose';

/** A user module a partition names, to be loaded in the sandbox. */
export interface ModuleRef {
  /** The name as the config or --app gave it (the key of the application map). */
  readonly app: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** Where the name came from, for error lines: `partitions[1].app` or `--app guest=x.mjs`. */
  readonly where: string;
}

export interface ApplicationPlan {
  readonly builtins: ReadonlyMap<string, GuestApplication>;
  readonly modules: readonly ModuleRef[];
}

export function listApplications(): readonly Sample[] {
  return listSamples();
}

/** TypeScript files the sandbox's module hooks cannot run: CommonJS TypeScript and JSX. */
const UNSUPPORTED_TYPESCRIPT = /\.(cts|tsx)$/;

/** A name that is a path to a module rather than a built-in sample's name. */
export function looksLikePath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || /\.(m?js|cjs|m?ts|cts|tsx)$/.test(name);
}

/**
 * The module's path with every symbolic link resolved: the sandbox may read the module's real
 * folder only, and Node's loader, given a path through a link, stats each real folder above
 * the module on the way (a module under a linked folder would be refused).
 */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // missing: loading it says so
  }
}

/** Where the partitions' applications were named, which decides what a relative module path is relative to. */
export interface ApplicationOrigins {
  /** The folder paravirt runs in: `--app` paths are relative to it. */
  readonly cwd: string;
  /** The config file as the command named it (relative to cwd); its paths are relative to its folder, as includes are in any config language. Undefined: the default demo. */
  readonly config: string | undefined;
  /** Partitions whose application an --app option names (bare metal: every --app names the one application). */
  readonly fromCli: ReadonlySet<string>;
}

/**
 * Sorts the partitions' applications into built-ins and user modules, each named for error
 * lines by where it came from (`--app guest=x.mjs` or `partitions[1].app`) and found from
 * there: an --app path from the working folder, a config file's path from the file's folder.
 */
export function planApplications(spec: ModuleSpec, origins: ApplicationOrigins): ApplicationPlan {
  const builtins = new Map<string, GuestApplication>();
  const modules = new Map<string, ModuleRef>();
  const configFolder = origins.config === undefined ? origins.cwd : dirname(resolve(origins.cwd, origins.config));
  spec.partitions.forEach((partition, index) => {
    const name = partition.app;
    if (builtins.has(name) || modules.has(name)) return;
    const builtin = Object.hasOwn(samples, name) ? samples[name] : undefined;
    if (builtin) {
      builtins.set(name, builtin);
      return;
    }
    const fromCli = spec.kernel === 'none' ? origins.fromCli.size > 0 : origins.fromCli.has(partition.name);
    const where = !fromCli ? `partitions[${index}].app` : spec.kernel === 'none' ? `--app ${name}` : `--app ${partition.name}=${name}`;
    if (!looksLikePath(name)) throw new ApplicationError(where, `unknown application "${name}" (built-in: ${Object.keys(samples).join(', ')}; or a path to a .js module)`);
    if (UNSUPPORTED_TYPESCRIPT.test(name)) throw new ApplicationError(where, `${name}: a user module is an ES module (.mjs, .js, .ts or .mts); .cts and .tsx are not run`);
    modules.set(name, { app: name, path: realPath(isAbsolute(name) ? name : resolve(fromCli ? origins.cwd : configFolder, name)), where });
  });
  return { builtins, modules: [...modules.values()] };
}

/** Imports a user module and checks its shape. Runs inside the sandbox only. */
export async function loadUserModule(ref: ModuleRef): Promise<GuestApplication> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(ref.path).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // The module itself is missing (not a file it imports: that one's message says `imported from <module>`).
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${ref.path}'`)) throw new ApplicationError(ref.where, `cannot load ${ref.app}: no such file`);
    if (code === 'ERR_UNSUPPORTED_DIR_IMPORT') throw new ApplicationError(ref.where, `cannot load ${ref.app}: is a directory`);
    if (code === 'ERR_ACCESS_DENIED') throw new ApplicationError(ref.where, `cannot load ${ref.app}: ${describeThrown(error)} (the sandbox lets a module read only its own folder; see --allow-host)`, EXIT.module);
    const at = userLocation(error, [ref]);
    throw new ApplicationError(ref.where, `cannot load ${ref.app}: ${describeThrown(error)}${at ? ` (at ${at})` : ''}`, EXIT.module);
  }
  const found = userApplication(module, ref.app);
  if ('what' in found) throw new ApplicationError(ref.where, found.what, found.problem === 'export' ? EXIT.module : EXIT.usage);
  return found.application;
}
