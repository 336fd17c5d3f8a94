/**
 * The run's console outputs besides the terminal: `--console-dir DIR` (one file per
 * partition, output/consoleFiles.ts) and `--mute P1,P2` (those partitions' consoles are not
 * echoed on the terminal; they stay in the files and the summary).
 */
import { join } from 'node:path';
import { type ModuleSpec, consoleFiles, type Summary, CliFailure } from '@paravirt/compose';
import { type RunCommand, UsageError } from './args.js';
import { errnoText } from './configFile.js';
import type { CliIo } from './main.js';

/**
 * Which partitions' consoles the terminal shows, from --mute (checked against the module's
 * partitions); undefined: none. Bare metal has one console: --mute names its application
 * (as --app gave it).
 */
export function shownConsoles(command: RunCommand, spec: ModuleSpec): ((partition: string) => boolean) | undefined {
  if (command.mute.length === 0) return () => true;
  const names = spec.partitions.map((partition) => partition.name);
  for (const name of command.mute) {
    if (!names.includes(name)) throw new UsageError('--mute', `no partition named "${name}" (${spec.kernel === 'none' ? 'bare metal: the application' : 'partitions'}: ${names.join(', ')})`);
  }
  const muted = new Set(command.mute);
  if (spec.kernel === 'none' || names.every((name) => muted.has(name))) return undefined;
  return (partition) => !muted.has(partition);
}

/** --console-dir: an existing folder we may write in, or one we can make - checked before the run. */
export async function prepareConsoleDir(command: RunCommand, io: CliIo): Promise<void> {
  if (command.consoleDir === undefined || !io.prepareFolder) return;
  try {
    await io.prepareFolder(command.consoleDir);
  } catch (error) {
    throw new CliFailure('--console-dir', `cannot write in ${command.consoleDir} (${errnoText(error)})`);
  }
}

export async function writeConsoleFiles(command: RunCommand, io: CliIo, summary: Summary): Promise<void> {
  const folder = command.consoleDir;
  if (folder === undefined) return;
  try {
    await io.makeFolder?.(folder);
    for (const { file, text } of consoleFiles(summary)) await io.writeFile(join(folder, file), text);
  } catch (error) {
    throw new CliFailure('--console-dir', `cannot write in ${folder} (${errnoText(error)})`);
  }
}
