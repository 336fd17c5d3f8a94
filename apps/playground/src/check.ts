/**
 * `paravirt check`'s and `paravirt run`'s steps before a run (apps/runner/src/cli/main.ts
 * prepare()), for the playground: the page's choices become the CLI's overrides, then
 * loadConfig, planKernel and the partitions' built-in applications, in that order, so the
 * first error is the CLI's. No DOM, no worker API: the worker calls it, tests too.
 */
import { analyseSchedules, bareMetalClockProblem, type GuestApplication, loadConfig, type LoadResult, type ModuleSpec, type Overrides, planKernel, printable } from '@paravirt/compose';
import { isRawApplication, samples } from '@paravirt/samples';
import { parseDurationText } from './duration.js';
import { findModule, type UserModule } from './modules.js';
import type { Choices, FromWorker, Problem } from './protocol.js';

/** The CLI's overrides from the page's choices, or the problems with them. */
function overrides(choices: Choices): { overrides: Overrides; errors: Problem[] } {
  const errors: Problem[] = [];
  let duration: number | undefined;
  let seed: number | undefined;
  if (choices.duration.trim() !== '') {
    const parsed = parseDurationText(choices.duration.trim());
    if (parsed.ok) duration = parsed.value;
    else errors.push({ path: '--duration', message: parsed.error });
  }
  if (choices.seed.trim() !== '') {
    const text = choices.seed.trim();
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) errors.push({ path: '--seed', message: `must be a whole number, got "${text}"` });
    else seed = Number(text);
  }
  const apps: Array<{ partition: string; app: string }> = [];
  for (const value of choices.apps.split(/[\s,]+/).filter((entry) => entry !== '')) {
    // As --app: PARTITION=APP; a bare APP names the application of a bare-metal run (kernel none).
    const match = /^([^=]+)=(.+)$/.exec(value);
    if (match) apps.push({ partition: match[1]!, app: match[2]! });
    else if (/^[^=]+$/.test(value)) apps.push({ partition: '', app: value });
    else errors.push({ path: '--app', message: `must be PARTITION=APP (or APP with --kernel none), got "${value}"` });
  }
  return {
    errors,
    overrides: {
      ...(choices.kernel ? { kernel: choices.kernel } : {}),
      ...(choices.arch ? { arch: choices.arch } : {}),
      ...(duration !== undefined ? { duration } : {}),
      ...(seed !== undefined ? { seed } : {}),
      apps,
    },
  };
}

const looksLikePath = (name: string): boolean => name.includes('/') || name.includes('\\') || /\.(m?js|cjs|m?ts|cts|tsx)$/.test(name);

/** A user module a partition names (the runner's ModuleRef): found in the page's Modules area. */
export interface ModuleRef {
  /** The name as the config or Apps gave it (the key of the application map). */
  readonly app: string;
  /** Where the name came from, for error lines: `partitions[1].app` or `--app guest=x.mjs`. */
  readonly where: string;
  readonly module: UserModule;
}

/** The application of each partition (planApplications in the runner): built-ins, and user modules of the Modules area. */
function applications(spec: ModuleSpec, fromApps: ReadonlySet<string>, available: readonly UserModule[]): { builtins: Map<string, GuestApplication>; modules: ModuleRef[]; errors: Problem[] } {
  const builtins = new Map<string, GuestApplication>();
  const modules = new Map<string, ModuleRef>();
  const errors: Problem[] = [];
  spec.partitions.forEach((partition, index) => {
    const name = partition.app;
    if (builtins.has(name) || modules.has(name)) return;
    const named = spec.kernel === 'none' ? fromApps.size > 0 : fromApps.has(partition.name);
    const where = !named ? `partitions[${index}].app` : spec.kernel === 'none' ? `--app ${name}` : `--app ${partition.name}=${name}`;
    const builtin = Object.hasOwn(samples, name) ? samples[name] : undefined;
    if (builtin) {
      builtins.set(name, builtin);
      return;
    }
    if (!looksLikePath(name)) {
      errors.push({ path: where, message: `unknown application "${name}" (built-in: ${Object.keys(samples).join(', ')}; or a path to a .js module)` });
      return;
    }
    if (/\.(cts|tsx)$/.test(name)) {
      errors.push({ path: where, message: `${name}: a user module is an ES module (.mjs, .js, .ts or .mts); .cts and .tsx are not run` });
      return;
    }
    const module = findModule(available, name);
    // The CLI's words for a file that is not there (here: not in the Modules area).
    if (!module) errors.push({ path: where, message: `cannot load ${name}: no such file` });
    else modules.set(name, { app: name, where, module });
  });
  return { builtins, modules: [...modules.values()], errors };
}

interface Prepared {
  readonly loaded: LoadResult & { spec: ModuleSpec };
  readonly builtins: Map<string, GuestApplication>;
  /** The user modules to load (in the worker) before the run. */
  readonly modules: readonly ModuleRef[];
}

/** check's and run's common steps, in the CLI's order, so both give the same first error. */
export function prepare(text: string, choices: Choices, available: readonly UserModule[] = []): { prepared?: Prepared; errors: readonly Problem[]; warnings: readonly Problem[] } {
  if (text.trim() === '') return { errors: [{ path: '(config)', message: 'is empty' }], warnings: [] };
  const chosen = overrides(choices);
  if (chosen.errors.length > 0) return { errors: chosen.errors, warnings: [] };
  const loaded = loadConfig(text, chosen.overrides);
  const warnings = loaded.warnings ?? [];
  if (loaded.errors.length > 0 || !loaded.spec) return { errors: loaded.errors, warnings };
  const spec = loaded.spec;
  const kernelErrors = planKernel(spec, loaded.airConfig).errors;
  if (kernelErrors.length > 0) return { errors: kernelErrors, warnings };
  const apps = applications(spec, new Set((chosen.overrides.apps ?? []).map(({ partition }) => partition)), available);
  if (apps.errors.length > 0) return { errors: apps.errors, warnings };
  return { prepared: { loaded: { ...loaded, spec }, builtins: apps.builtins, modules: apps.modules }, errors: [], warnings };
}

function idleHint(spec: ModuleSpec, idle: readonly string[] | undefined): string | undefined {
  if (!idle || idle.length === 0) return undefined;
  if (spec.kernel === 'none') return 'the module runs the idle application (the file names none); choose one in Apps: APP';
  return `${idle.length === spec.partitions.length && idle.length > 1 ? 'all partitions' : idle.join(', ')} run${idle.length > 1 ? '' : 's'} the idle application (the file names none); choose in Apps: PARTITION=APP (built-in: ${Object.keys(samples).join(', ')})`;
}

/** A user module, loaded and checked (its application), or why it cannot be used (the runner's loadUserModule's `what`). */
export type LoadedModule = { readonly application: GuestApplication } | { readonly what: string };
export type ModuleLoader = (ref: ModuleRef) => Promise<LoadedModule>;

/**
 * Loads the prepared run's user modules, in order: the applications of the run, or the first
 * problem (the runner's worker stops at the first module that fails, and so does its check).
 */
export async function loadModules(prepared: Prepared, load: ModuleLoader): Promise<{ applications: Map<string, GuestApplication> } | { problem: Problem }> {
  const applications = new Map(prepared.builtins);
  const spec = prepared.loaded.spec;
  for (const ref of prepared.modules) {
    const loaded = await load(ref);
    if ('what' in loaded) return { problem: { path: ref.where, message: loaded.what } };
    const application = loaded.application;
    // A user module's own tick is known only now (the runner's sandbox worker checks it here too).
    const clock = spec.kernel === 'none' && !isRawApplication(application) ? bareMetalClockProblem(spec, () => application.configuration) : undefined;
    if (clock) return { problem: { path: clock.path, message: clock.message } };
    applications.set(ref.app, application);
  }
  return { applications };
}

/** check() with the config's user modules loaded and checked too (`paravirt check` loads them in its sandbox). */
export async function checkWithModules(id: number, text: string, choices: Choices, available: readonly UserModule[], load: ModuleLoader): Promise<Extract<FromWorker, { type: 'checked' }>> {
  const result = check(id, text, choices, available);
  const prepared = result.errors.length === 0 ? prepare(text, choices, available).prepared : undefined;
  if (!prepared || prepared.modules.length === 0) return result;
  const loaded = await loadModules(prepared, load);
  if ('problem' in loaded) return { type: 'checked', id, errors: [clean(loaded.problem)], warnings: result.warnings };
  return result;
}

export function check(id: number, text: string, choices: Choices, available: readonly UserModule[] = []): Extract<FromWorker, { type: 'checked' }> {
  const { prepared, errors, warnings } = prepare(text, choices, available);
  if (!prepared) {
    return { type: 'checked', id, errors: errors.map(clean), warnings: warnings.map(clean) };
  }
  const { loaded } = prepared;
  const spec = loaded.spec;
  const format = loaded.format === 'module' ? 'module configuration' : loaded.format === 'pok-yaml' ? 'POK config.yaml' : 'ARINC 653 XML';
  const analysis = analyseSchedules(spec)
    .split('\n')
    .map((line) => printable(line))
    .join('\n');
  const hint = idleHint(spec, loaded.idleByDefault);
  return { type: 'checked', id, errors: [], warnings: warnings.map(clean), valid: `valid ${format} for ${spec.kernel}/${spec.arch}, ${spec.partitions.length} partition(s)\n${analysis}`, ...(hint ? { hint } : {}) };
}

/** As the CLI prints them: one line each, control characters shown. */
export const clean = (problem: Problem): Problem => ({ path: printable(problem.path, 200), message: printable(problem.message) });

