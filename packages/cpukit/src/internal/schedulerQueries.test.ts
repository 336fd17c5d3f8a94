import { describe, expect, it } from 'vitest';
import { harness } from './testHarness.js';

describe('Scheduler Manager queries on one processor (sptests/spscheduler01, rtems/src/scheduler*.c)', () => {
  it('maximum priority 255; POSIX priority 255 - priority for 1..254; INVALID_ID before INVALID_PRIORITY', () => {
    const h = harness(function* (rtems, h) {
      const scheduler = rtems.schedulerIdent('UPD ').id;
      const bad = 0x0f010002;
      const max = rtems.schedulerGetMaximumPriority(scheduler);
      const badMax = rtems.schedulerGetMaximumPriority(bad);
      h.note(`max ${max.status}/${max.priority} bad ${badMax.status}/${badMax.priority}`);
      const to = [1, 254, 0, 255, 256, 1.5].map((p) => rtems.schedulerMapPriorityToPosix(scheduler, p)).map((r) => `${r.status}/${r.posixPriority}`);
      const toBad = rtems.schedulerMapPriorityToPosix(bad, 0);
      h.note(`to ${to.join(' ')} bad ${toBad.status}`);
      const from = [1, 254, -1, 0, 255].map((p) => rtems.schedulerMapPriorityFromPosix(scheduler, p)).map((r) => `${r.status}/${r.priority}`);
      h.note(`from ${from.join(' ')} bad ${rtems.schedulerMapPriorityFromPosix(bad, 0).status}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 max 0/255 bad 4/0', '0 to 0/254 0/1 19/0 19/0 19/0 19/0 bad 4', '0 from 0/254 0/1 19/0 19/0 19/0 bad 4']);
  });

  it('one processor: index 0, maximum 1, count 1; processor 0 has the one scheduler, any other index is INVALID_NAME', () => {
    const h = harness(function* (rtems, h) {
      const byProcessor = [0, 1, -1, 2 ** 32].map((cpu) => rtems.schedulerIdentByProcessor(cpu)).map((r) => `${r.status}/0x${r.id.toString(16)}`);
      h.note(`by processor ${byProcessor.join(' ')}`);
      h.note(`processor ${rtems.schedulerGetProcessor()} maximum ${rtems.schedulerGetProcessorMaximum()} count ${rtems.getProcessorCount()} current ${rtems.getCurrentProcessor()}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 by processor 0/0xf010001 3/0x0 3/0x0 3/0x0', '0 processor 0 maximum 1 count 1 current 0']);
  });
});
