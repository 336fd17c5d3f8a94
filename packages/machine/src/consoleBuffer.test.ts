import { describe, expect, it } from 'vitest';
import { ConsoleBuffer } from './consoleBuffer.js';

describe('ConsoleBuffer', () => {
  it('keeps bytes up to its capacity and counts the rest', () => {
    const console = new ConsoleBuffer(8);
    console.append(new TextEncoder().encode('hello '));
    console.append(new TextEncoder().encode('world'));
    expect(console.length).toBe(8);
    expect(console.dropped).toBe(3);
    expect(console.text()).toBe('hello wo\n[console truncated: 3 more bytes not kept]\n');
    console.append(new Uint8Array(1000));
    expect(console.dropped).toBe(1003);
  });

  it('copies what it keeps and reads back exact bytes', () => {
    const console = new ConsoleBuffer();
    const source = Uint8Array.from([1, 2, 255]);
    console.append(source);
    source[0] = 9;
    expect([...console.bytes()]).toEqual([1, 2, 255]);
    expect(console.text()).toBe('\x01\x02\xff');
  });

  it('holds a megabyte of output and turns it into text without a host stack overflow', () => {
    const console = new ConsoleBuffer();
    for (let i = 0; i < 300; i++) console.append(new Uint8Array(4096).fill(65));
    expect(console.length).toBe(1 << 20);
    expect(console.dropped).toBe(300 * 4096 - (1 << 20));
    expect(console.text()).toBe(`${'A'.repeat(1 << 20)}\n[console truncated: ${300 * 4096 - (1 << 20)} more bytes not kept]\n`);
  });

  it('packs byte-at-a-time output (a UART) into blocks: exact bytes across block boundaries, up to its capacity', () => {
    const console = new ConsoleBuffer(200_000);
    for (let i = 0; i < 300_000; i++) console.append(Uint8Array.of(i & 0xff));
    expect([console.length, console.dropped]).toEqual([200_000, 100_000]);
    const bytes = console.bytes();
    expect(bytes.every((byte, i) => byte === (i & 0xff))).toBe(true);
    console.clear();
    console.append(Uint8Array.of(7, 8));
    expect([...console.bytes()]).toEqual([7, 8]);
  });
});
