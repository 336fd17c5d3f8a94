/**
 * `paravirt check`'s and `paravirt run`'s steps before a run (apps/runner/src/cli/main.ts
 * prepare()), for the playground: the page's choices become the CLI's overrides, then
 * loadConfig, planKernel and the partitions' built-in applications, in that order, so the
 * first error is the CLI's. No DOM, no worker API: the worker calls it, tests too.
 */
import { analyseSchedules, type GuestApplication, loadConfig, type LoadResult, type ModuleSpec, type Overrides, planKernel, printable } from '@paravirt/compose';
import { samples } from '@paravirt/samples';
import { parseDurationText } from './duration.js';
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

/** The built-in application of each partition (planApplications in the runner), or why one cannot run here. */
function applications(spec: ModuleSpec, fromApps: ReadonlySet<string>): { builtins: Map<string, GuestApplication>; errors: Problem[] } {
  const builtins = new Map<string, GuestApplication>();
  const errors: Problem[] = [];
  spec.partitions.forEach((partition, index) => {
    const name = partition.app;
    if (builtins.has(name)) return;
    const named = spec.kernel === 'none' ? fromApps.size > 0 : fromApps.has(partition.name);
    const where = !named ? `partitions[${index}].app` : spec.kernel === 'none' ? `--app ${name}` : `--app ${partition.name}=${name}`;
    const builtin = Object.hasOwn(samples, name) ? samples[name] : undefined;
    if (builtin) builtins.set(name, builtin);
    else if (looksLikePath(name)) errors.push({ path: where, message: `${name}: user modules do not run in the playground (built-in: ${Object.keys(samples).join(', ')})` });
    else errors.push({ path: where, message: `unknown application "${name}" (built-in: ${Object.keys(samples).join(', ')}; or a path to a .js module)` });
  });
  return { builtins, errors };
}

interface Prepared {
  readonly loaded: LoadResult & { spec: ModuleSpec };
  readonly builtins: Map<string, GuestApplication>;
}

/** check's and run's common steps, in the CLI's order, so both give the same first error. */
export function prepare(text: string, choices: Choices): { prepared?: Prepared; errors: readonly Problem[]; warnings: readonly Problem[] } {
  if (text.trim() === '') return { errors: [{ path: '(config)', message: 'is empty' }], warnings: [] };
  const chosen = overrides(choices);
  if (chosen.errors.length > 0) return { errors: chosen.errors, warnings: [] };
  const loaded = loadConfig(text, chosen.overrides);
  const warnings = loaded.warnings ?? [];
  if (loaded.errors.length > 0 || !loaded.spec) return { errors: loaded.errors, warnings };
  const spec = loaded.spec;
  const kernelErrors = planKernel(spec, loaded.airConfig).errors;
  if (kernelErrors.length > 0) return { errors: kernelErrors, warnings };
  const apps = applications(spec, new Set((chosen.overrides.apps ?? []).map(({ partition }) => partition)));
  if (apps.errors.length > 0) return { errors: apps.errors, warnings };
  return { prepared: { loaded: { ...loaded, spec }, builtins: apps.builtins }, errors: [], warnings };
}

function idleHint(spec: ModuleSpec, idle: readonly string[] | undefined): string | undefined {
  if (!idle || idle.length === 0) return undefined;
  if (spec.kernel === 'none') return 'the module runs the idle application (the file names none); choose one in Apps: APP';
  return `${idle.length === spec.partitions.length && idle.length > 1 ? 'all partitions' : idle.join(', ')} run${idle.length > 1 ? '' : 's'} the idle application (the file names none); choose in Apps: PARTITION=APP (built-in: ${Object.keys(samples).join(', ')})`;
}

export function check(id: number, text: string, choices: Choices): Extract<FromWorker, { type: 'checked' }> {
  const { prepared, errors, warnings } = prepare(text, choices);
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

