/**
 * The sweep's host on a real Node process (bin.ts): worker threads running
 * dist/sweep/worker.js (`entry`), and `--out` files written as lines come.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RunRequest } from '@paravirt/compose';
import type { WorkerAnswer, WorkerJob } from './here.js';
import type { LineOutput, SweepHost, SweepWorker } from './host.js';
import type { RunMeasure } from './lines.js';
import { builtin } from '../nodeBuiltin.js';

function startWorker(entry: string | URL): SweepWorker {
  const worker = new (builtin('node:worker_threads').Worker)(entry);
  let next = 0;
  const pending = new Map<number, { resolve: (measure: RunMeasure) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error): void => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (answer: WorkerAnswer) => {
    pending.get(answer.id)?.resolve(answer.measure);
    pending.delete(answer.id);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the sweep's worker thread ended (exit code ${code})`)));
  return {
    run: (request: RunRequest) =>
      new Promise<RunMeasure>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, request } satisfies WorkerJob);
      }),
    terminate: () => {
      failAll(new Error('stopped'));
      void worker.terminate();
    },
  };
}

function openOutput(path: string): LineOutput {
  const fd = openSync(path, 'w');
  return {
    write: (text) => {
      const bytes = Buffer.from(text, 'utf8');
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    },
    close: () => closeSync(fd),
  };
}

/** `entry`: the worker thread's file (dist/sweep/worker.js, next to dist/cli/bin.cjs). */
export function nodeSweepHost(entry: string | URL): SweepHost {
  return {
    // Asked by a sweep only: node:os is not loaded for every command.
    get parallelism() {
      return builtin('node:os').availableParallelism();
    },
    startWorker: () => startWorker(entry),
    openOutput,
  };
}
