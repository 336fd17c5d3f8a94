/**
 * @paravirt/compose: a config becomes a running module and its outputs, with no Node API -
 * the same code in the CLI (apps/runner, which adds files, processes and the sandbox) and
 * in a browser page. Readers of our YAML/JSON, POK's config.yaml and ARINC 653 / AIR XML,
 * the limits check and schedule analysis; kernel and board assembly (Simulation, bare
 * metal, sessions in slices of virtual time); the summary, table, CSV, Chrome trace and the
 * HTML report with its browser-side viewer. docs/architecture.md section 2 has its place.
 */
export * from './exitCodes.js';
export * from './config/defaultDemo.js';
export * from './config/limits.js';
export * from './config/loadConfig.js';
export * from './config/moduleSpec.js';
export * from './config/readConfig.js';
export * from './config/scheduleAnalysis.js';
export * from './config/toAir.js';
export * from './config/toPok.js';
export * from './run/application.js';
export * from './run/userModule.js';
export * from './run/architectures.js';
export * from './run/bareMetal.js';
export * from './run/kernels.js';
export * from './run/registry.js';
export * from './run/session.js';
export * from './run/simulation.js';
export * from './output/chromeTrace.js';
export * from './output/chromeTraceStream.js';
export * from './output/consoleFiles.js';
export * from './output/consolePrinter.js';
export * from './output/csv.js';
export * from './output/scheduleSlices.js';
export * from './output/summary.js';
export * from './output/table.js';
export * from './output/text.js';
export * from './output/traceCategories.js';
export * from './output/traceFile.js';
export * from './report/collector.js';
export * from './report/model.js';
export * from './report/page.js';
export * from './report/viewer.js';
