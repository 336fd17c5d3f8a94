import { EventQueue, type IrqLine } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import {
  APBUART_CONTROL,
  APBUART_CTRL_FA,
  APBUART_CTRL_RE,
  APBUART_CTRL_RI,
  APBUART_CTRL_TE,
  APBUART_CTRL_TI,
  APBUART_DATA,
  APBUART_STATUS,
  APBUART_STATUS_DR,
  APBUART_STATUS_OV,
  APBUART_STATUS_TE,
  APBUART_STATUS_TF,
  APBUART_STATUS_TS,
  Apbuart,
} from './apbuart.js';

function setup(options: { charTime?: number; fifoDepth?: number } = {}) {
  const queue = new EventQueue();
  const raises: number[] = [];
  const line: IrqLine = { number: 2, raise: () => raises.push(queue.now), lower: () => {} };
  const uart = new Apbuart(queue, line, options);
  return { queue, uart, raises };
}

function write(uart: Apbuart, text: string): void {
  for (const char of text) uart.write(APBUART_DATA, char.charCodeAt(0));
}

describe('Apbuart', () => {
  it('transmits data-register writes to the console once TE is set', () => {
    const { uart } = setup();
    uart.write(APBUART_CONTROL, APBUART_CTRL_TE | APBUART_CTRL_RE);
    write(uart, 'Hello\n');
    expect(uart.uart.text()).toBe('Hello\n');
    expect(uart.read(APBUART_STATUS)).toBe(APBUART_STATUS_TS | APBUART_STATUS_TE);
    expect(uart.read(APBUART_CONTROL)).toBe((APBUART_CTRL_FA | APBUART_CTRL_TE | APBUART_CTRL_RE) >>> 0);
  });

  it('holds bytes in the transmitter FIFO while TE = 0, drops them when it is full, and sends them when TE is set', () => {
    const { uart } = setup({ fifoDepth: 4 });
    write(uart, 'abcdef');
    expect(uart.uart.text()).toBe('');
    expect(uart.read(APBUART_STATUS)).toBe(APBUART_STATUS_TF | (4 << 20));
    expect(uart.transmitDropped).toBe(2);
    uart.write(APBUART_CONTROL, APBUART_CTRL_TE);
    expect(uart.uart.text()).toBe('abcd');
    expect(uart.read(APBUART_STATUS) & (APBUART_STATUS_TE | APBUART_STATUS_TF)).toBe(APBUART_STATUS_TE);
  });

  it('is busy for a byte time per byte and raises the TX interrupt when each byte is out (TI)', () => {
    const { queue, uart, raises } = setup({ charTime: 86_800 });
    uart.write(APBUART_CONTROL, APBUART_CTRL_TE | APBUART_CTRL_TI);
    write(uart, 'ok');
    expect(uart.read(APBUART_STATUS) & APBUART_STATUS_TE).toBe(0);
    queue.runUntil(200_000);
    expect(raises).toEqual([86_800, 173_600]);
    expect(uart.read(APBUART_STATUS) & APBUART_STATUS_TE).toBe(APBUART_STATUS_TE);
  });

  it('receives injected bytes: DR, the RX interrupt with RE and RI, data reads in order, 0 when empty, overrun flagged', () => {
    const { uart, raises } = setup({ fifoDepth: 2 });
    uart.uart.inject('x');
    expect(raises).toEqual([]);
    uart.write(APBUART_CONTROL, APBUART_CTRL_RE | APBUART_CTRL_RI);
    uart.uart.inject('yz');
    expect(raises).toEqual([0]);
    expect(uart.read(APBUART_STATUS) & (APBUART_STATUS_DR | APBUART_STATUS_OV)).toBe(APBUART_STATUS_DR | APBUART_STATUS_OV);
    expect([uart.read(APBUART_DATA), uart.read(APBUART_DATA), uart.read(APBUART_DATA)]).toEqual([0x78, 0x79, 0]);
    expect(uart.read(APBUART_STATUS) & APBUART_STATUS_DR).toBe(0);
    uart.write(APBUART_STATUS, 0);
    expect(uart.read(APBUART_STATUS) & APBUART_STATUS_OV).toBe(0);
  });

  it('restores a snapshot', () => {
    const { uart } = setup();
    write(uart, 'q');
    uart.write(APBUART_CONTROL, APBUART_CTRL_RE);
    const state = uart.getState();
    const { uart: copy } = setup();
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    copy.write(APBUART_CONTROL, APBUART_CTRL_TE);
    expect(copy.uart.text()).toBe('q');
  });
});
