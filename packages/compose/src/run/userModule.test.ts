/** What the CLI's sandbox and the playground's worker share to run user modules (userModule.ts). */
import { describe, expect, it } from 'vitest';
import { GUEST_API_GLOBAL, guestModuleSource, userApplication } from './userModule.js';

describe('guestModuleSource', () => {
  it('exports the host namespace on the global by name, identifiers only, no default', () => {
    const source = guestModuleSource('@paravirt/cpukit', ['RTEMS_WAIT', 'default', 'not-an-identifier', 'RtemsStatus']);
    expect(GUEST_API_GLOBAL).toBe('paravirt.guestApi');
    expect(source).toContain('globalThis[Symbol.for("paravirt.guestApi")]["@paravirt/cpukit"]');
    expect(source).toContain('export { v0 as RTEMS_WAIT, v1 as RtemsStatus };');
    expect(source).not.toContain('not-an-identifier as');
  });
});

describe('userApplication: what a module exports, in the CLI\'s words', () => {
  const app = { name: 'mine', description: 'a test', *init() {} };

  it('takes the default export, else the named export application', () => {
    expect(userApplication({ default: app }, './m.mjs')).toEqual({ application: app });
    expect(userApplication({ application: app }, './m.mjs')).toEqual({ application: app });
  });

  it('refuses anything else as the module\'s fault (export), naming it', () => {
    expect(userApplication({ default: 42 }, './m.mjs')).toEqual({
      problem: 'export',
      what: './m.mjs does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)',
    });
    const hostile = Object.defineProperty({}, 'default', {
      get() {
        throw new RangeError('no');
      },
    }) as Record<string, unknown>;
    expect(userApplication(hostile, './m.mjs')).toEqual({ problem: 'export', what: 'cannot load ./m.mjs: reading its export threw RangeError: no' });
  });

  it('checks the configuration it declares as data (configuration)', () => {
    const found = userApplication({ default: { ...app, configuration: { maximumTasks: -1 } } }, './m.mjs');
    expect(found).toMatchObject({ problem: 'configuration' });
    expect('what' in found && found.what.startsWith('./m.mjs: ')).toBe(true);
  });
});
