// `pnpm paravirt ...`: the CLI from the folder the command was typed in. pnpm runs every
// script from the repository root and says where the user was in INIT_CWD, so
// `cd examples && pnpm -s paravirt run demo.yaml` reads ./demo.yaml as the user meant.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import('../apps/runner/bin/paravirt.cjs');
