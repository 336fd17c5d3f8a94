import { describe, expect, it } from 'vitest';
import { isValidTimeOfDay, secondsToTimeOfDay, timeOfDayToSeconds } from './timeOfDay.js';

const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ticks = 0) => ({ year, month, day, hour, minute, second, ticks });

describe('time of day (rtems_time_of_day, RTEMS epoch 1988-01-01)', () => {
  it('counts seconds from 1988-01-01 00:00:00 with leap years', () => {
    expect(timeOfDayToSeconds(at(1988, 1, 1))).toBe(0);
    expect(timeOfDayToSeconds(at(1988, 12, 31, 9))).toBe(31_568_400);
    expect(timeOfDayToSeconds(at(1989, 1, 1))).toBe(31_622_400); // 1988 has 366 days
    expect(timeOfDayToSeconds(at(2000, 3, 1))).toBe(383_875_200); // 2000 is a leap year (divisible by 400)
    expect(timeOfDayToSeconds(at(2099, 12, 31, 23, 59, 59))).toBe(3_534_451_199);
  });

  it('converts seconds back to the calendar, keeping the ticks given', () => {
    expect(secondsToTimeOfDay(257_603_696, 7)).toEqual(at(1996, 2, 29, 12, 34, 56, 7));
    for (const seconds of [0, 31_568_400, 31_622_399, 383_875_199, 3_534_451_199]) {
      expect(timeOfDayToSeconds(secondsToTimeOfDay(seconds, 0))).toBe(seconds);
    }
  });

  it('validates like _TOD_Validate: ranges, days per month, ticks per second, 1988..2099', () => {
    expect(isValidTimeOfDay(at(1996, 2, 29), 100)).toBe(true);
    expect(isValidTimeOfDay(at(2000, 2, 29), 100)).toBe(true);
    expect(isValidTimeOfDay(at(1989, 2, 29), 100)).toBe(false);
    expect(isValidTimeOfDay(at(1988, 4, 31), 100)).toBe(false);
    expect(isValidTimeOfDay(at(1987, 12, 31), 100)).toBe(false);
    expect(isValidTimeOfDay(at(2100, 1, 1), 100)).toBe(false);
    expect(isValidTimeOfDay(at(1990, 1, 1, 0, 0, 0, 99), 100)).toBe(true);
    expect(isValidTimeOfDay(at(1990, 1, 1, 0, 0, 0, 100), 100)).toBe(false);
    expect(isValidTimeOfDay({ ...at(1990, 1, 1), hour: '1' }, 100)).toBe(false);
    expect(isValidTimeOfDay(undefined, 100)).toBe(false);
  });
});
