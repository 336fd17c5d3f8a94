#!/usr/bin/env node
// The paravirt CLI. Runs the built runner (pnpm build); see apps/runner/README.md.
import '../dist/cli/bin.js';
