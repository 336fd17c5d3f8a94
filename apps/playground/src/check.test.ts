import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO, kernelNames } from '@paravirt/compose';
import { check } from './check.js';
import { parseDurationText } from './duration.js';
import { DEFAULT_EXAMPLE, examples } from './examples.js';

const none = { kernel: '', arch: '', duration: '', seed: '', apps: '' };

describe('the examples picker', () => {
  it('has the default demo first and every config of examples/ (no sweep file)', () => {
    expect(examples[0]).toMatchObject({ id: DEFAULT_EXAMPLE, text: DEFAULT_DEMO });
    const ids = examples.map((example) => example.id);
    expect(ids).toContain('examples/demo.yaml');
    expect(ids).toContain('examples/pok/config.yaml');
    expect(ids).toContain('examples/air-two-schedules.xml');
    expect(ids.some((id) => id.endsWith('.sweep.yaml'))).toBe(false);
  });

  it('checks every example as valid, but those that need a user module not in the Modules area, which say so as the CLI does', () => {
    for (const example of examples) {
      const result = check(1, example.text, none);
      if (example.note) {
        expect(result.errors[0]?.message, example.id).toMatch(/^cannot load .*: no such file$/);
      } else {
        expect(result.errors, example.id).toEqual([]);
        expect(result.valid, example.id).toMatch(/^valid /);
      }
    }
  });
});

describe('check', () => {
  it("applies the page's choices as the CLI's overrides", () => {
    for (const kernel of kernelNames().filter((name) => name !== 'none')) expect(check(1, DEFAULT_DEMO, { ...none, kernel, arch: 'sparc' }).valid).toMatch(new RegExp(`for ${kernel}/sparc`));
    expect(check(1, DEFAULT_DEMO, { ...none, duration: '10 parsecs' }).errors[0]!.path).toBe('--duration');
    expect(check(1, DEFAULT_DEMO, { ...none, seed: '-1' }).errors[0]).toEqual({ path: '--seed', message: 'must be a whole number, got "-1"' });
    expect(check(1, DEFAULT_DEMO, { ...none, kernel: 'none' }).errors[0]!.path).toBe('--kernel none');
  });

  it('takes Apps as --app: PARTITION=APP, or a bare APP on bare metal', () => {
    expect(check(1, DEFAULT_DEMO, { ...none, kernel: 'none', apps: 'ticker' }).valid).toMatch(/^valid module configuration for none\/i386, 1 partition/);
    expect(check(1, DEFAULT_DEMO, { ...none, apps: 'hello=ticker, ticker=hello' }).errors).toEqual([]);
    expect(check(1, DEFAULT_DEMO, { ...none, apps: 'nobody=ticker' }).errors[0]).toMatchObject({ path: '--app nobody=ticker', message: expect.stringMatching(/^no partition named "nobody"/) });
    expect(check(1, DEFAULT_DEMO, { ...none, apps: 'hello=tocker' }).errors[0]).toMatchObject({ path: '--app hello=tocker', message: expect.stringMatching(/^unknown application "tocker"/) });
    expect(check(1, DEFAULT_DEMO, { ...none, apps: '=x' }).errors[0]!.path).toBe('--app');
    const xml = examples.find((example) => example.id === 'examples/air-two-schedules.xml')!.text;
    expect(check(1, xml, none).hint).toMatch(/^all partitions run the idle application/);
    expect(check(1, xml, { ...none, apps: 'ctrl=ticker' }).hint).toMatch(/^nav, payload, logger run the idle application/);
  });

  it('refuses an unknown application and an empty config', () => {
    expect(check(1, DEFAULT_DEMO.replace('app: ticker', 'app: tocker'), none).errors[0]).toMatchObject({ path: 'partitions[1].app', message: expect.stringMatching(/^unknown application "tocker"/) });
    expect(check(1, '  \n', none).errors).toEqual([{ path: '(config)', message: 'is empty' }]);
  });
});

describe('parseDurationText', () => {
  it('reads durations as the CLI does', () => {
    expect(parseDurationText('10s')).toEqual({ ok: true, value: 10e9 });
    expect(parseDurationText('1.5ms')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseDurationText('2min')).toEqual({ ok: true, value: 120e9 });
    expect(parseDurationText('10')).toMatchObject({ ok: false });
    expect(parseDurationText('0s')).toMatchObject({ ok: false });
    expect(parseDurationText('0.1ns')).toMatchObject({ ok: false });
  });
});
