/**
 * The configs one click away: the default demo and every config in the repository's
 * examples/ folder, embedded at build time (no request at run time). Sweep files are
 * campaigns, not configs; examples whose partitions need a user module (a .mjs file) are
 * listed but marked: the module must be added under Modules first.
 */
import { DEFAULT_DEMO } from '@paravirt/compose';

interface Example {
  readonly id: string;
  readonly label: string;
  readonly text: string;
  /** Why it does not run here, if it does not. */
  readonly note?: string;
}

const files = import.meta.glob<string>(['../../../examples/**/*.yaml', '../../../examples/**/*.xml', '!../../../examples/**/*.sweep.yaml'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const needsModule = (text: string): boolean => /^[^#\n]*\bapp\s*:\s*["']?[^\s"',}]+\.(m?js|ts|mts)\b/m.test(text);

export const DEFAULT_EXAMPLE = 'default-demo';

export const examples: readonly Example[] = [
  { id: DEFAULT_EXAMPLE, label: 'default demo', text: DEFAULT_DEMO },
  ...Object.entries(files)
    .map(([path, text]) => {
      const id = path.replace(/^(\.\.\/)+examples\//, 'examples/');
      return needsModule(text) ? { id, label: `${id} (needs a user module)`, text, note: 'its partitions run a user module (.mjs): add it under Modules, named as the config names it' } : { id, label: id, text };
    })
    .sort((a, b) => a.id.localeCompare(b.id)),
];
