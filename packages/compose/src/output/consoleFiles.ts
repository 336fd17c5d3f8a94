/**
 * `--console-dir DIR`: one file per partition, `DIR/<partition>.txt`, holding its console
 * as the JSON summary does (every byte the guest wrote, one character per byte). Bare
 * metal has one console, named like its summary entry: after the application.
 *
 * Names come from outside (an imported ARINC 653 file, a user module's own name), so they
 * are made safe file names: characters other than letters, digits, `_`, `-` and `.` are
 * written `%XX` (UTF-8 bytes), as is a leading `.`; names that would collide on a
 * case-insensitive file system get `~2`, `~3`, ...
 */
import type { Summary } from './summary.js';

/** Longest file name kept from a partition name (file systems allow 255 bytes). */
const MAX_STEM = 200;

function stem(name: string): string {
  let out = '';
  for (const char of name) {
    if (/^[A-Za-z0-9_.-]$/.test(char) && !(out === '' && char === '.')) out += char;
    else for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return (out === '' ? '_' : out).slice(0, MAX_STEM);
}

/** The file of each partition's console, in the summary's order. */
export function consoleFiles(summary: Summary): Array<{ readonly file: string; readonly text: string }> {
  const taken = new Set<string>();
  return summary.partitions.map((partition) => {
    const base = stem(partition.name);
    let file = `${base}.txt`;
    for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${base}~${n}.txt`;
    taken.add(file.toLowerCase());
    return { file, text: partition.console };
  });
}
