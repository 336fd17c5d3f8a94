/**
 * hello: RTEMS's testsuites/samples/hello. Init prints a greeting between the test
 * banners and exits the application.
 */
import type { Application } from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'HELLO WORLD';

export const hello: Application = {
  name: 'hello',
  description: 'RTEMS sample "hello": prints Hello World between the test banners and exits',
  configuration: { maximumTasks: 1 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    rtems.printf('Hello World\n');
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
