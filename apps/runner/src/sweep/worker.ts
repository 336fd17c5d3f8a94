/**
 * A sweep's worker thread (dist/sweep/worker.js): runs one module of built-in applications
 * at a time, as the CLI asks (nodeHost.ts), and answers its measure. One per job slot
 * (`--jobs`), reused from run to run.
 */
import { parentPort } from 'node:worker_threads';
import { internalFailure, measureHere, type WorkerAnswer, type WorkerJob } from './here.js';

parentPort!.on('message', (job: WorkerJob) => {
  void measureHere(job.request)
    .then((measure) => measure ?? internalFailure(new Error('a run without an end')))
    .catch(internalFailure)
    .then((measure) => parentPort!.postMessage({ id: job.id, measure } satisfies WorkerAnswer));
});
