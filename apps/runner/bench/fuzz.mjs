// The hypercall-fuzzing campaign is a sweep (examples/fuzz.sweep.yaml, docs/campaigns.md):
//   paravirt sweep examples/fuzz.sweep.yaml --seeds 1..8 --duration 20s --out fuzz.jsonl
// This script keeps `pnpm --filter @paravirt/runner fuzz -- --seeds 1-8 --duration 20s`
// working: it runs that sweep with the built CLI from the repository's root (so the lines
// and their reproduction commands name examples/...), passing its options on. Exit code:
// the sweep's (0 every run passed and ticker never changed, 1 otherwise).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../bin/paravirt.cjs', import.meta.url));
// pnpm may pass the `--` that separates its options from the script's.
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const result = spawnSync(process.execPath, [cli, 'sweep', 'examples/fuzz.sweep.yaml', ...args], { cwd: root, stdio: 'inherit' });
process.exitCode = result.status ?? 1;
