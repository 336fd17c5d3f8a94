// The CLI straight from the TypeScript sources, no build (for development):
//   node --conditions=@paravirt/source --import tsx tooling/paravirt-dev.mts run examples/hostile.yaml
// User modules run in the sandbox, a separate process that needs plain JavaScript: it is
// bundled from the sources first (about a second), only when a run needs it.
import { join } from 'node:path';
import { main, nodeIo } from '../apps/runner/src/cli/main.js';
import type { SandboxLauncher } from '../apps/runner/src/sandbox/host.js';
import { sandboxLauncher } from '../apps/runner/src/sandbox/host.js';
import type { SweepHost, SweepWorker } from '../apps/runner/src/sweep/host.js';
import { nodeSweepHost } from '../apps/runner/src/sweep/nodeHost.js';
import { bundleRunner } from './bundleRunner.mjs';

let launcher: SandboxLauncher | undefined;
let bundled: Promise<string> | undefined;
const sandbox: SandboxLauncher = (request, handlers) => {
  if (launcher) return launcher(request, handlers);
  // Bundling is asynchronous; the session it returns waits for it.
  bundled ??= bundleRunner();
  const pending = bundled.then((folder) => {
    launcher = sandboxLauncher(join(folder, 'sandbox/child.js'));
    return launcher(request, handlers);
  });
  return {
    result: pending.then((session) => session.result),
    stop: () => void pending.then((session) => session.stop()),
    kill: () => void pending.then((session) => session.kill()),
  };
};

// A sweep's worker threads run the bundled sweep/worker.js too.
const sweep: SweepHost = {
  ...nodeSweepHost(''),
  startWorker: () => {
    bundled ??= bundleRunner();
    const pending: Promise<SweepWorker> = bundled.then((folder) => nodeSweepHost(join(folder, 'sweep/worker.js')).startWorker!());
    return { run: (request) => pending.then((worker) => worker.run(request)), terminate: () => void pending.then((worker) => worker.terminate()) };
  },
};

process.exitCode = await main(process.argv.slice(2), nodeIo({ sandbox, sweep }));
