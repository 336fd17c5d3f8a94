#!/usr/bin/env node
// The paravirt CLI. Runs the built runner (pnpm build); see apps/runner/README.md.
import { main, nodeIo } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
