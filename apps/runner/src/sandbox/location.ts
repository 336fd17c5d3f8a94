/**
 * Where in the user's own files an error comes from, for error lines: `./app.ts:12:7`.
 * The first frame of the error's stack that lies in a user module's folder (a TypeScript
 * module's frames are source-mapped to its own lines; a syntax error the module hooks
 * found carries its location as a frame, hooks.ts), named as the user named the module:
 * the path --app or the config gave, or a path from it for the files it imports.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleRef } from '../run/applications.js';

/** `at f (file:///a/b.ts:3:9)`, `at /a/b.ts:3:9`, `at async file:///a/b.mjs:1:1`. */
const FRAME = /^\s*at (?:.*?\()?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/;
/** Stack text looked at: frames are near its start. */
const MAX_STACK = 64 * 1024;
/** The sandbox's own folder (this file is bundled into its worker.js and child.js): never the user's code, wherever it is. */
const OWN_FOLDER = dirname(fileURLToPath(import.meta.url));

function realFolder(path: string): string {
  try {
    return realpathSync(dirname(path));
  } catch {
    return dirname(path);
  }
}

export function userLocation(error: unknown, modules: readonly ModuleRef[]): string | undefined {
  let stack: unknown;
  try {
    stack = error !== null && typeof error === 'object' ? (error as { stack?: unknown }).stack : undefined;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string' || modules.length === 0) return undefined;
  const folders = modules.flatMap((ref) => [...new Set([dirname(ref.path), realFolder(ref.path)])].map((folder) => ({ ref, folder })));
  for (const line of stack.slice(0, MAX_STACK).split('\n')) {
    const match = FRAME.exec(line);
    if (!match) continue;
    let file: string;
    try {
      file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    } catch {
      continue;
    }
    if (file.startsWith(OWN_FOLDER + sep)) continue;
    const owner = folders.find(({ folder }) => file.startsWith(folder + sep));
    if (!owner) continue;
    const inFolder = relative(owner.folder, file);
    const name = inFolder === relative(dirname(owner.ref.path), owner.ref.path) ? owner.ref.app : join(dirname(owner.ref.app), inFolder);
    return `${name}:${match[2]!}:${match[3]!}`;
  }
  return undefined;
}
