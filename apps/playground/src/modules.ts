/**
 * User modules in the playground: JS source pasted or loaded in the page's Modules area, named
 * by a file name (`ported-test.mjs`) and referred to as on the CLI (`app: ./ported-test.mjs`,
 * `--app hello=./ported-test.mjs`). Here: the names, and the rewriting of a module's imports
 * before the worker loads it from a Blob URL - `@paravirt/cpukit` and `@paravirt/samples`
 * become Blob-URL modules that re-export the worker's own objects (the runner's sandbox does
 * the same with module hooks: apps/runner/src/sandbox/hooks.ts), any other import is refused
 * with its specifier named. No DOM, no worker API: tests run it in Node.
 */

/** A module of the Modules area: its file name and its source. */
export interface UserModule {
  readonly name: string;
  readonly source: string;
}

/** What user modules may import: the worker's own copies of these packages. */
export const GUEST_MODULES = ['@paravirt/cpukit', '@paravirt/samples'] as const;

/** A module's name as a file in the playground's one folder: `./x.mjs`, `x.mjs` and `.\x.mjs` are the same file. */
export function moduleKey(name: string): string {
  let key = name.trim().replace(/\\/g, '/');
  while (key.startsWith('./')) key = key.slice(2);
  return key;
}

/** Names a module's version (name and source): the page remembers those that hung a worker while loading. */
export const hungKey = (module: UserModule): string => `${moduleKey(module.name)}\n${module.source}`;

/** The module an application name (`./x.mjs`) refers to, if the Modules area has it. */
export function findModule(modules: readonly UserModule[], app: string): UserModule | undefined {
  const key = moduleKey(app);
  return modules.find((module) => moduleKey(module.name) === key);
}

/** A module specifier in a source: the string literal from `start` to `end` (quotes included) and its value. */
export interface Specifier {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/**
 * The module specifiers of `import ... from 'x'`, `import 'x'`, `export ... from 'x'` and
 * `import('x')` (a string literal argument only) in a JS source. A small lexer: comments,
 * strings, template literals (with `${}`) and regular expressions are skipped, so text that
 * only looks like an import is not taken for one.
 */
export function importSpecifiers(source: string): Specifier[] {
  const found: Specifier[] = [];
  const length = source.length;
  /** Brace depths at which a template literal's `${` was opened. */
  const templates: number[] = [];
  let depth = 0;
  let last = ''; // the last significant token: a punctuator, or a word
  let i = 0;

  const skipTrivia = (from: number): number => {
    let at = from;
    for (;;) {
      while (at < length && /\s/.test(source[at]!)) at++;
      if (source.startsWith('//', at)) {
        while (at < length && source[at] !== '\n') at++;
      } else if (source.startsWith('/*', at)) {
        const close = source.indexOf('*/', at + 2);
        at = close < 0 ? length : close + 2;
      } else return at;
    }
  };
  /** The end of the string literal starting at `at` (its quote), past the closing quote. */
  const stringEnd = (at: number): number => {
    const quote = source[at];
    let j = at + 1;
    while (j < length && source[j] !== quote && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, length);
  };
  const literal = (at: number): Specifier | undefined => {
    if (source[at] !== '"' && source[at] !== "'") return undefined;
    const end = stringEnd(at);
    const value = source.slice(at + 1, end - 1);
    return { start: at, end, value };
  };
  const wordAt = (at: number): string => /^[A-Za-z_$][\w$]*/.exec(source.slice(at, at + 64))?.[0] ?? '';
  /** The template literal's text from `at` (past a backtick or a closing `}`) to its end or its next `${`. */
  const templateText = (at: number): number => {
    let j = at;
    while (j < length) {
      if (source[j] === '\\') j += 2;
      else if (source[j] === '`') return j + 1;
      else if (source[j] === '$' && source[j + 1] === '{') {
        templates.push(depth);
        depth++;
        return j + 2;
      } else j++;
    }
    return length;
  };

  /** After `import`: the specifier of a static import (the first string literal before `;`), or of import('x'). */
  const afterImport = (at: number): void => {
    const next = skipTrivia(at);
    if (source[next] === '(') {
      const argument = literal(skipTrivia(next + 1));
      if (argument && source[skipTrivia(argument.end)] === ')') found.push(argument);
      return;
    }
    if (source[next] === '.') return; // import.meta
    let j = next;
    while (j < length) {
      j = skipTrivia(j);
      const specifier = literal(j);
      if (specifier) {
        found.push(specifier);
        return;
      }
      if (source[j] === ';' || source[j] === '(' || source[j] === '=' || source[j] === '`') return;
      j++;
    }
  };
  /** After `export`: `* from 'x'`, `* as ns from 'x'`, `{ ... } from 'x'`. */
  const afterExport = (at: number): void => {
    let j = skipTrivia(at);
    if (source[j] === '{') {
      const close = source.indexOf('}', j);
      if (close < 0) return;
      j = close + 1;
    } else if (source[j] === '*') {
      j = skipTrivia(j + 1);
      if (wordAt(j) === 'as') {
        j = skipTrivia(j + 2);
        j += wordAt(j).length || (literal(j) ? stringEnd(j) - j : 0);
      }
    } else return;
    j = skipTrivia(j);
    if (wordAt(j) !== 'from') return;
    const specifier = literal(skipTrivia(j + 4));
    if (specifier) found.push(specifier);
  };

  while (i < length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (source.startsWith('//', i) || source.startsWith('/*', i)) {
      i = skipTrivia(i);
    } else if (char === '"' || char === "'") {
      i = stringEnd(i);
      last = 'string';
    } else if (char === '`') {
      i = templateText(i + 1);
      last = 'string';
    } else if (char === '/') {
      const regex = last === '' || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(last) || BEFORE_REGEX.has(last) || last === '}';
      if (regex) {
        let j = i + 1;
        let inClass = false;
        while (j < length && source[j] !== '\n') {
          if (source[j] === '\\') j++;
          else if (source[j] === '[') inClass = true;
          else if (source[j] === ']') inClass = false;
          else if (source[j] === '/' && !inClass) break;
          j++;
        }
        i = j + 1;
        while (i < length && /[\w$]/.test(source[i]!)) i++;
        last = 'regex';
      } else {
        i++;
        last = '/';
      }
    } else if (/[A-Za-z_$]/.test(char)) {
      const word = wordAt(i);
      const member = last === '.' || last === '?.';
      i += word.length;
      if (!member && word === 'import') afterImport(i);
      else if (!member && word === 'export') afterExport(i);
      last = word;
    } else if (/\d/.test(char)) {
      while (i < length && /[\w.]/.test(source[i]!)) i++;
      last = 'number';
    } else if (char === '{') {
      depth++;
      i++;
      last = '{';
    } else if (char === '}') {
      depth--;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        i = templateText(i + 1);
        last = 'string';
      } else {
        i++;
        last = '}';
      }
    } else if (char === ')' || char === ']') {
      i++;
      last = 'value';
    } else {
      last = source.startsWith('?.', i) ? '?.' : char;
      i += last.length;
    }
  }
  return found;
}

/**
 * The source with each guest API import pointing at `urls[specifier]` (the Blob URLs of the
 * worker's guest modules), or the first specifier that is not one, which a module here may
 * not import.
 */
export function rewriteImports(source: string, urls: Readonly<Record<string, string>>): { code: string } | { refused: string } {
  let code = source;
  for (const specifier of importSpecifiers(source).reverse()) {
    const url = Object.hasOwn(urls, specifier.value) ? urls[specifier.value] : undefined;
    if (url === undefined) return { refused: importSpecifiers(source).find((first) => !Object.hasOwn(urls, first.value))!.value };
    code = `${code.slice(0, specifier.start)}${JSON.stringify(url)}${code.slice(specifier.end)}`;
  }
  return { code };
}

/** Why a module may not import `specifier` here (the sandbox's wording for an unknown `@paravirt/` package). */
export const refusedImport = (specifier: string): string =>
  `Error: ${specifier} is not available to user modules in the playground (they may import ${GUEST_MODULES.join(' and ')} only)`;
