/**
 * The version and build directives (C User's Guide, "Application Configuration
 * Information": rtems_get_version_string, rtems_get_build_label, rtems_get_copyright_notice,
 * rtems_get_target_hash; <rtems/version.h>), the configuration tables
 * (rtems_configuration_get_user_extension_table, rtems_configuration_get_rtems_api_configuration),
 * RTEMS_TASK_STORAGE_SIZE, RTEMS_OBJECT_ID_INITIAL, rtems_rate_monotonic_report_statistics_with_plugin
 * and getchark.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_FLOATING_POINT } from '../attributes.js';
import type { BspHooks } from '../bspHooks.js';
import type { ExtensionsTable } from '../extensions.js';
import { RTEMS_NO_PREEMPT } from '../modes.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { buildName } from '../objectName.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { targetHash, versionString } from '../version.js';
import { harness } from './testHarness.js';

describe('version and build (sapi/src/version.c, getversionstring.c, getbuildlabel.c, getcopyrightnotice.c)', () => {
  it('answers RTEMS 6.1.0, this executive as build label, this project as copyright holder', () => {
    const h = harness(function* (rtems, h) {
      h.note(`${rtems.getVersionString()} | ${rtems.version()} ${rtems.versionMajor()}.${rtems.versionMinor()}.${rtems.versionRevision()} key "${rtems.versionControlKey()}" bsp ${rtems.boardSupportPackage()}`);
      h.note(`${rtems.getBuildLabel()} | ${rtems.getCopyrightNotice()}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 rtems-6.1.0 (test/paravirt/test) | 6.1.0 6.1.0 key "" bsp test', '0 @paravirt/cpukit | Copyright (c) 2026, the paravirt authors']);
  });

  it('the target hash is base64url SHA-256 of "<cpu port>/<bsp>": 43 characters, the same on every run, different per target', () => {
    const seen: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const h = harness(function* (rtems) {
        seen.push(rtems.getTargetHash(), rtems.getTargetHash());
        yield 1;
      });
      h.run(1_000_000);
    }
    const expected = createHash('sha256').update('test/test').digest('base64url');
    expect(seen).toEqual([expected, expected, expected, expected]);
    expect(expected).toHaveLength(43);
    expect(targetHash('i386', 'native-i386')).toBe(createHash('sha256').update('i386/native-i386').digest('base64url'));
    expect(targetHash('sparc', 'native-sparc')).toBe(createHash('sha256').update('sparc/native-sparc').digest('base64url'));
    expect(targetHash('i386', 'virtualpok')).not.toBe(targetHash('sparc', 'virtualpok'));
    expect(versionString('sparc', 'virtualpok')).toBe('rtems-6.1.0 (sparc/paravirt/virtualpok)');
  });
});

describe('configuration tables (rtems/rtems/config.h, sapi/include/rtems/config.h)', () => {
  it('rtems_configuration_get_rtems_api_configuration: one frozen initialization task as configured', () => {
    const h = harness(
      function* (rtems, h) {
        const table = rtems.configurationGetRtemsApiConfiguration();
        const [task] = table.userInitializationTasksTable;
        h.note(`count ${table.numberOfInitializationTasks} entries ${table.userInitializationTasksTable.length} frozen ${Object.isFrozen(table)} ${Object.isFrozen(table.userInitializationTasksTable)} ${Object.isFrozen(task)}`);
        h.note(`name ${task!.name === buildName('I', 'N', 'I', 'T')} stack ${task!.stackSize} priority ${task!.initialPriority} attributes ${task!.attributeSet} modes ${task!.modeSet} argument ${task!.argument} entry ${typeof task!.entryPoint}`);
        h.note(`same ${rtems.configurationGetRtemsApiConfiguration() === table}`);
        yield 1;
      },
      { configuration: { initTaskName: 'INIT', initTaskStackSize: 8192, initTaskPriority: 3, initTaskAttributes: RTEMS_FLOATING_POINT, initTaskInitialModes: RTEMS_NO_PREEMPT, initTaskArgument: 42 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 count 1 entries 1 frozen true true true',
      `0 name true stack 8192 priority 3 attributes ${RTEMS_FLOATING_POINT} modes ${RTEMS_NO_PREEMPT} argument 42 entry function`,
      '0 same true',
    ]);
  });

  it('rtems_configuration_get_user_extension_table: the initial extension sets, frozen, as many as the count says', () => {
    const begin = (): void => {};
    const h = harness(
      function* (rtems, h) {
        const table: readonly ExtensionsTable[] = rtems.configurationGetUserExtensionTable();
        h.note(`entries ${table.length} of ${rtems.configurationGetNumberOfInitialExtensions()} frozen ${Object.isFrozen(table)} ${table.every((t) => Object.isFrozen(t))} begin ${table[0]!.threadBegin === begin} empty ${Object.keys(table[1]!).length}`);
        yield 1;
      },
      { configuration: { initialExtensions: [{ threadBegin: begin }, {}] } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 entries 2 of 2 frozen true true begin true empty 0']);
  });
});

describe('RTEMS_TASK_STORAGE_SIZE and RTEMS_OBJECT_ID_INITIAL (rtems/rtems/tasks.h, object.h)', () => {
  it('the storage size taskConstruct needs: the size itself, FP tasks included (no FP context in the area here)', () => {
    const h = harness(function* (rtems, h) {
      const size = rtems.taskStorageSize(RTEMS_MINIMUM_STACK_SIZE, RTEMS_FLOATING_POINT);
      const fits = rtems.taskConstruct({ name: 'FP1', initialPriority: 5, storageArea: new Uint8Array(size), storageSize: size, attributes: RTEMS_FLOATING_POINT });
      const short = rtems.taskConstruct({ name: 'FP2', initialPriority: 5, storageArea: new Uint8Array(size), storageSize: size - 1, attributes: RTEMS_FLOATING_POINT });
      h.note(`size ${size} ${rtems.taskStorageSize(10000, RTEMS_DEFAULT_ATTRIBUTES)} construct ${RtemsStatus[fits.status]} ${RtemsStatus[short.status]}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 size 4096 10000 construct SUCCESSFUL INVALID_SIZE']);
  });

  it('RTEMS_OBJECT_ID_INITIAL is the id of the first object of a class (index 1)', () => {
    const h = harness(function* (rtems, h) {
      const first = rtems.objectIdInitial(OBJECTS_CLASSIC_API, ClassicObjectClass.TASKS, 1);
      h.note(`0x${first.toString(16)} init ${first === rtems.taskSelf()} ${rtems.objectIdInitial(2, 4, 1).toString(16)}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0xa010001 init true 22010001']);
  });
});

describe('rtems_rate_monotonic_report_statistics_with_plugin (ratemonreportstatistics.c) and getchark (getchark.c)', () => {
  it('hands the report to the printer; rtems_rate_monotonic_report_statistics prints the same bytes with printk; no printer, no output', () => {
    const pieces: string[] = [];
    let consoleAfterPlugin = '';
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('P1');
      yield* rtems.rateMonotonicPeriod(id, 2);
      yield rtems.compute(100_000);
      yield* rtems.rateMonotonicPeriod(id, 2);
      rtems.rateMonotonicReportStatisticsWithPlugin((text) => pieces.push(text));
      rtems.rateMonotonicReportStatisticsWithPlugin(undefined as never);
      consoleAfterPlugin = h.consoleText();
      rtems.rateMonotonicReportStatistics();
    });
    h.run(10_000_000);
    expect(consoleAfterPlugin).toBe('');
    expect(pieces.length).toBe(6);
    expect(pieces[0]).toBe('Period information by period\n');
    // One job: 1 ms of CPU time, ended by the second period call at 1 ms (1 ms of wall time).
    expect(pieces[5]).toBe('0x42010001 UI1      1      0 0.001000/0.001000/0.001000 0.001000/0.001000/0.001000\n');
    expect(h.consoleText()).toBe(pieces.join(''));
  });

  it('getchark: -1 without a BSP poll function (RTEMS\'s answer), else the BSP\'s character; -1 for anything but 0..255', () => {
    const h = harness(function* (rtems, h) {
      h.note(`none ${rtems.getchark()}`);
      const input = [0x41, -1, 300, 0x0a];
      (h.bsp as BspHooks).pollChar = () => input.shift() ?? -1;
      h.note(`polled ${[rtems.getchark(), rtems.getchark(), rtems.getchark(), rtems.getchark(), rtems.getchark()].join(' ')}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 none -1', '0 polled 65 -1 -1 10 -1']);
  });
});

