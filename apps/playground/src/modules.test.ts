import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO } from '@paravirt/compose';
import { check, checkWithModules, type ModuleLoader } from './check.js';
import { findModule, importSpecifiers, moduleKey, refusedImport, rewriteImports } from './modules.js';

const URLS = { '@paravirt/cpukit': 'blob:x/cpukit', '@paravirt/samples': 'blob:x/samples' };
const specifiers = (source: string): string[] => importSpecifiers(source).map((specifier) => specifier.value);

describe('import rewriting', () => {
  it('finds the specifiers of every import and export-from form', () => {
    const source = [
      "import a from '@paravirt/cpukit';",
      'import { b, c as d } from "@paravirt/samples";',
      "import * as all from '@paravirt/cpukit'",
      "import e, { f } from '@paravirt/cpukit';",
      "import '@paravirt/samples';",
      "export { g } from '@paravirt/cpukit';",
      "export * from '@paravirt/samples';",
      "export * as h from '@paravirt/cpukit';",
      "const later = await import('@paravirt/samples');",
      'import {',
      '  i,',
      "} from '@paravirt/cpukit';",
    ].join('\n');
    expect(specifiers(source)).toEqual(['@paravirt/cpukit', '@paravirt/samples', '@paravirt/cpukit', '@paravirt/cpukit', '@paravirt/samples', '@paravirt/cpukit', '@paravirt/samples', '@paravirt/cpukit', '@paravirt/samples', '@paravirt/cpukit']);
  });

  it('takes no import-looking text in comments, strings, templates or regular expressions for an import, nor exports that import nothing', () => {
    const source = [
      "// import x from 'comment-line';",
      "/* import y from 'comment-block'; */",
      "const s = \"import z from 'in-a-string'\";",
      "const t = `import w from 'in-a-template' ${'${'} ${1 + 1} import v from 'after-a-substitution'`;",
      "const r = /import u from 'in-a-regex'/;",
      "export const name = 'not-a-specifier';",
      'export { s, t };',
      'const meta = import.meta.url;',
      "obj.import('member-call');",
      "import real from '@paravirt/cpukit';",
    ].join('\n');
    expect(specifiers(source)).toEqual(['@paravirt/cpukit']);
  });

  it('points the guest API at its Blob URLs, keeping every line where it was', () => {
    const source = "import { RtemsStatus } from '@paravirt/cpukit';\nimport { samples } from \"@paravirt/samples\";\nexport default {};\n";
    const rewritten = rewriteImports(source, URLS);
    expect(rewritten).toEqual({ code: 'import { RtemsStatus } from "blob:x/cpukit";\nimport { samples } from "blob:x/samples";\nexport default {};\n' });
    const ported = readFileSync(resolve(import.meta.dirname, '../../../examples/modules/ported-test.mjs'), 'utf8');
    const code = (rewriteImports(ported, URLS) as { code: string }).code;
    expect(code.split('\n').length).toBe(ported.split('\n').length);
    expect(code).toContain('} from "blob:x/cpukit";');
    expect(code).not.toContain('@paravirt/cpukit');
  });

  it('refuses any other import, naming the specifier', () => {
    expect(rewriteImports("import x from '@paravirt/cpukit';\nimport _ from 'lodash';\n", URLS)).toEqual({ refused: 'lodash' });
    expect(rewriteImports("import { helper } from './helper.mjs';", URLS)).toEqual({ refused: './helper.mjs' });
    expect(rewriteImports("const m = await import('@paravirt/compose');", URLS)).toEqual({ refused: '@paravirt/compose' });
    expect(refusedImport('lodash')).toBe('Error: lodash is not available to user modules in the playground (they may import @paravirt/cpukit and @paravirt/samples only)');
  });


  it('names modules as files of one folder', () => {
    expect(moduleKey('./ported-test.mjs')).toBe('ported-test.mjs');
    expect(moduleKey('.\\x.mjs')).toBe('x.mjs');
    const modules = [{ name: 'ported-test.mjs', source: '' }];
    expect(findModule(modules, './ported-test.mjs')).toBe(modules[0]);
    expect(findModule(modules, 'ported-test.mjs')).toBe(modules[0]);
    expect(findModule(modules, './other.mjs')).toBeUndefined();
  });
});

describe('check with user modules', () => {
  const none = { kernel: '', arch: '', duration: '', seed: '', apps: '' };
  const module = { name: 'ported-test.mjs', source: 'export default {}' };
  const application = { name: 'ported', description: 'x', *init() {} };
  const loads: ModuleLoader = async () => ({ application });

  it('gives the CLI error for a module that is not in the Modules area', () => {
    expect(check(1, DEFAULT_DEMO, { ...none, kernel: 'air', apps: 'hello=./ported-test.mjs' }).errors).toEqual([{ path: '--app hello=./ported-test.mjs', message: 'cannot load ./ported-test.mjs: no such file' }]);
    expect(check(1, DEFAULT_DEMO, { ...none, kernel: 'none', apps: './x.mjs' }).errors).toEqual([{ path: '--app ./x.mjs', message: 'cannot load ./x.mjs: no such file' }]);
    expect(check(1, DEFAULT_DEMO.replace('app: ticker', 'app: ./ported-test.mjs'), none).errors[0]).toEqual({ path: 'partitions[1].app', message: 'cannot load ./ported-test.mjs: no such file' });
  });

  it('accepts a module of the Modules area by its name, in Apps or in the config, and reports what loading it says', async () => {
    expect((await checkWithModules(1, DEFAULT_DEMO, { ...none, kernel: 'air', apps: 'hello=./ported-test.mjs' }, [module], loads)).valid).toMatch(/^valid module configuration for air/);
    expect((await checkWithModules(1, DEFAULT_DEMO.replace('app: ticker', 'app: ported-test.mjs'), none, [module], loads)).errors).toEqual([]);
    expect((await checkWithModules(1, DEFAULT_DEMO, { ...none, kernel: 'none', apps: './ported-test.mjs' }, [module], loads)).errors).toEqual([]);
    const fails: ModuleLoader = async (ref) => ({ what: `${ref.app} does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)` });
    expect((await checkWithModules(1, DEFAULT_DEMO, { ...none, apps: 'hello=./ported-test.mjs' }, [module], fails)).errors).toEqual([
      { path: '--app hello=./ported-test.mjs', message: './ported-test.mjs does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)' },
    ]);
  });
});
