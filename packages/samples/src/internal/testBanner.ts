/**
 * The banners RTEMS test programs print (TEST_BEGIN / TEST_END in the RTEMS test
 * support), in the form of the reference screens: `*** BEGIN OF TEST <NAME> ***`.
 */
import type { Rtems } from '@paravirt/cpukit';

export function testBegin(rtems: Rtems, name: string): void {
  rtems.printf('*** BEGIN OF TEST %s ***\n', name);
}

export function testEnd(rtems: Rtems, name: string): void {
  rtems.printf('*** END OF TEST %s ***\n', name);
}
