// The CLI straight from the TypeScript sources, no build (for development):
//   node --conditions=@paravirt/source --import tsx tooling/paravirt-dev.mts run examples/hostile.yaml
import { main, nodeIo } from '../apps/runner/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
