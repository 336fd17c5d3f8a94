import { describe, expect, it } from 'vitest';
import { ConsolePrinter } from './consolePrinter.js';

function printer(prefixed = true) {
  const out: string[] = [];
  return { out, printer: new ConsolePrinter((text) => out.push(text), prefixed) };
}

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

describe('ConsolePrinter', () => {
  it('prints complete lines with the partition prefix, joining pieces written separately', () => {
    const { out, printer: p } = printer();
    p.bytes('hello', bytes('Hello '));
    p.bytes('ticker', bytes('TA1\n'));
    p.bytes('hello', bytes('World\n\nbye'));
    p.flush();
    expect(out).toEqual(['[ticker] TA1\n', '[hello] Hello World\n', '[hello] \n', '[hello] bye\n']);
  });

  it('prints a bare-metal console as is', () => {
    const { out, printer: p } = printer(false);
    p.bytes('hello', bytes('a\tb\n'));
    expect(out).toEqual(['a\tb\n']);
  });

  it('shows control characters (terminal escapes, NUL, 8-bit CSI) as \\xNN and keeps Latin-1 text', () => {
    const { out, printer: p } = printer();
    p.bytes('hostile', Uint8Array.of(0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x9b, 0x7f, 0x0d, 0xe9, 0x41, 0x0a));
    expect(out).toEqual(['[hostile] \\x1b[2J\\x00\\x9b\\x7f\\x0d\u00e9A\n']);
  });

  it('cuts a line that never ends every 4096 characters', () => {
    const { out, printer: p } = printer();
    p.bytes('hostile', new Uint8Array(10_000).fill(0x41));
    expect(out.map((line) => line.length)).toEqual([4096 + 11, 4096 + 11]);
    p.flush();
    expect(out[2]).toBe(`[hostile] ${'A'.repeat(10_000 - 8192)}\n`);
  });
});
