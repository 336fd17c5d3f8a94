import { describe, expect, it } from 'vitest';
import { HmEventLog } from './hmEventLog.js';

const event = (n: number) => ({ timeNs: n, error: 'MEMORY_VIOLATION', level: 'partition', action: 'IGNORE', detail: `event ${n}` });

describe('HmEventLog', () => {
  it('keeps everything while it fits', () => {
    const log = new HmEventLog();
    for (let n = 0; n < 10; n++) log.push(event(n));
    expect(log.entries().map((e) => e.timeNs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([log.total, log.dropped, log.last()?.timeNs]).toEqual([10, 0, 9]);
  });

  it('past its bound keeps the first and the last events in order and counts what it left out', () => {
    const log = new HmEventLog();
    const count = HmEventLog.HEAD + HmEventLog.TAIL + 1234;
    for (let n = 0; n < count; n++) log.push(event(n));
    const kept = log.entries().map((e) => e.timeNs);
    expect(kept).toHaveLength(HmEventLog.HEAD + HmEventLog.TAIL);
    expect(kept.slice(0, 3)).toEqual([0, 1, 2]);
    expect(kept[HmEventLog.HEAD - 1]).toBe(HmEventLog.HEAD - 1);
    expect(kept[HmEventLog.HEAD]).toBe(count - HmEventLog.TAIL);
    expect(kept.at(-1)).toBe(count - 1);
    expect(kept.every((time, i) => i === 0 || time > kept[i - 1]!)).toBe(true);
    expect([log.total, log.dropped, log.last()?.timeNs]).toEqual([count, 1234, count - 1]);
  });

  it('is empty at first', () => {
    const log = new HmEventLog();
    expect([log.entries(), log.last(), log.total]).toEqual([[], undefined, 0]);
  });
});
