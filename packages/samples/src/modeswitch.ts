/**
 * modeswitch: a system partition that changes the module schedule (ARINC 653 Part 2,
 * multiple module schedules). It prints its partition status and the schedule status,
 * waits 2 s, requests schedule 1 - the module's second schedule - with
 * SET_MODULE_SCHEDULE, and looks at the schedule status every 100 ms until the switch
 * has happened (at the end of the major frame running when it asked); then it prints the
 * status again, shows that asking for the schedule in force is NO_ACTION, and ends (only
 * IDLE runs).
 *
 * The module needs at least two schedules, this partition must have a window in both,
 * and it must be allowed to set the schedule (`system: true`, or the set-schedule
 * permission on kernel air; POK has one schedule and answers INVALID_CONFIG). No ports.
 * On bare metal (no partition services) it prints one line and exits.
 */
import { type Application, ApexReturnCode, OperatingMode, RTEMS_SELF, type Rtems, apexReturnCodeText } from '@paravirt/cpukit';
import { apexOrExit, ms, nowMs, ticksIn } from './internal/apexDemo.js';

const REQUEST_AFTER_MS = 2000;
const POLL_MS = 100;
/** Gives up if the switch has not happened this long after the request. */
const GIVE_UP_MS = 10_000;
function printSchedule(rtems: Rtems): number | undefined {
  const { returnCode, status } = rtems.apex!.getScheduleStatus();
  if (status === undefined) {
    rtems.printf('modeswitch: t=%ums GET_MODULE_SCHEDULE_STATUS: %s\n', nowMs(rtems), apexReturnCodeText(returnCode));
    return undefined;
  }
  rtems.printf(
    'modeswitch: t=%ums schedule %u (next %u), major frame %ums, last switch at %ums\n',
    nowMs(rtems),
    status.currentSchedule,
    status.nextSchedule,
    ms(status.majorFrameNs),
    ms(status.lastSwitchNs),
  );
  return status.currentSchedule;
}

export const modeswitch: Application = {
  name: 'modeswitch',
  description:
    'ARINC 653 module schedules demo for a system partition: prints the schedule status, requests the next schedule (identifier + 1) with SET_MODULE_SCHEDULE after 2 s and prints the status once the switch at the end of the major frame has happened',
  configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    const apex = apexOrExit(rtems, 'modeswitch');
    const partition = apex.getPartitionStatus().status;
    if (partition !== undefined) {
      rtems.printf(
        'modeswitch: partition %u, %s, period %ums, duration %ums\n',
        partition.identifier,
        OperatingMode[partition.operatingMode] ?? String(partition.operatingMode),
        ms(partition.periodNs),
        ms(partition.durationNs),
      );
    }
    const inForce = printSchedule(rtems) ?? 0;
    const target = inForce + 1;
    yield* rtems.taskWakeAfter(ticksIn(rtems, REQUEST_AFTER_MS));
    const requested = apex.setModuleSchedule(target);
    rtems.printf('modeswitch: t=%ums SET_MODULE_SCHEDULE %u: %s\n', nowMs(rtems), target, apexReturnCodeText(requested));
    if (requested === ApexReturnCode.NO_ERROR) {
      printSchedule(rtems);
      let current: number | undefined;
      for (let waited = 0; waited < GIVE_UP_MS && current !== target; waited += POLL_MS) {
        yield* rtems.taskWakeAfter(ticksIn(rtems, POLL_MS));
        current = apex.getScheduleStatus().status?.currentSchedule;
      }
      if (current === target) {
        rtems.printf('modeswitch: switched\n');
        printSchedule(rtems);
        rtems.printf('modeswitch: SET_MODULE_SCHEDULE %u again: %s\n', target, apexReturnCodeText(apex.setModuleSchedule(target)));
      } else {
        rtems.printf('modeswitch: no switch to schedule %u within %u ms\n', target, GIVE_UP_MS);
      }
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
