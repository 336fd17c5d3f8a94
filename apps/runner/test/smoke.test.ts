import { I386Board } from '@paravirt/cpu-i386';
import { PokKernel } from '@paravirt/pok-kernel';
import { scriptedGuest } from '@paravirt/paravirt-api/test';
import { VirtualLine } from '@paravirt/paravirt-api';
import { it, expect } from 'vitest';
const MS = 1e6;
it('pok on i386', () => {
  const platform = new I386Board({ memorySize: 8 << 20 });
  const part = (name: string) => ({ name, memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [] });
  const guest = (name: string) => scriptedGuest(function* (env) {
    env.enableVirtualInterrupts([VirtualLine.TIMER]);
    env.client.timerSet(10 * MS, 10 * MS);
    env.client.consoleWrite(new TextEncoder().encode(`hello ${name}\n`));
    for (;;) yield 100_000;
  }, { onUpcall: (env, line) => env.log.push(String(line)) });
  const kernel = new PokKernel({ platform, config: { kernelTick: MS, majorFrame: 100 * MS, slots: [{ partition: 'a', duration: 40 * MS }, { partition: 'b', duration: 60 * MS }], partitions: [part('a'), part('b')], channels: [], routes: [], flush: 'major-frame' }, guests: { a: guest('a'), b: guest('b') } });
  kernel.boot();
  platform.board.runUntil(1000 * MS);
  const r = kernel.report();
  console.log(JSON.stringify(r.partitions.map(p => ({ n: p.name, c: p.console, v: p.virq, w: p.windows, h: p.hypercalls, cpu: p.cpuTimeNs, hm: p.hmEvents })), null, 0));
  expect(r.partitions[0]!.virq.lost).toBe(0);
});
