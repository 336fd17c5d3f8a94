import { describe, expect, it } from 'vitest';
import { composeCpuPort, type CpuContextOperations, type CpuInterruptLevel } from './cpuPort.js';

describe('composeCpuPort', () => {
  it('forwards each operation to the half that owns it, and charges through the given function', () => {
    const calls: string[] = [];
    const level: CpuInterruptLevel = {
      interruptMask: 0xf,
      isrDisable: () => (calls.push('disable'), 7),
      isrEnable: (cookie) => void calls.push(`enable ${cookie}`),
      isrFlash: (cookie) => void calls.push(`flash ${cookie}`),
      isrGetLevel: () => (calls.push('get'), 1),
      isrSetLevel: (value) => void calls.push(`set ${value}`),
    };
    const context: CpuContextOperations = {
      contextInitialize: (isrLevel) => (calls.push(`init ${isrLevel}`), { arch: 'test' }),
      contextSwitch: (executing, heir) => void calls.push(`switch ${executing.arch} ${heir.arch}`),
    };
    const port = composeCpuPort('test', level, context, (cycles) => void calls.push(`charge ${cycles}`));
    expect([port.name, port.interruptMask, port.isrDisable(), port.isrGetLevel()]).toEqual(['test', 0xf, 7, 1]);
    port.isrEnable(7);
    port.isrFlash(7);
    port.isrSetLevel(0);
    const ctx = port.contextInitialize(0);
    port.contextSwitch(ctx, ctx);
    port.charge(12);
    expect(calls).toEqual(['disable', 'get', 'enable 7', 'flash 7', 'set 0', 'init 0', 'switch test test', 'charge 12']);
  });
});
