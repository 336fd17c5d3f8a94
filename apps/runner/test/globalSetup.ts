/**
 * Bundles the CLI and its sandbox from the sources once per test run (tooling/bundleRunner.mjs):
 * tests that run user modules start the sandbox as a real process, and the corpus runs
 * the CLI itself as one. Tests read the folder with inject('runnerBundle').
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { bundleRunner } from '../../../tooling/bundleRunner.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    runnerBundle: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const folder = await bundleRunner();
  project.provide('runnerBundle', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
