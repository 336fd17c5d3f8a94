import { describe, expect, it } from 'vitest';
import { ClassicObjectClass, OBJECTS_CLASSIC_API, OBJECTS_INTERNAL_API, OBJECTS_INTERNAL_THREADS, buildObjectId, objectIdApi, objectIdClass, objectIdIndex, objectIdNode } from './objectId.js';
import { buildName, nameToString, packName } from './objectName.js';
import { RtemsStatus, rtemsStatusText } from './rtemsStatus.js';

describe('object ids (index 0-15, node 16-23, API 24-26, class 27-31)', () => {
  it('builds RTEMS\'s ids for the first object of each class', () => {
    const first = (objectClass: ClassicObjectClass): number => buildObjectId(OBJECTS_CLASSIC_API, objectClass, 1, 1);
    expect(buildObjectId(OBJECTS_INTERNAL_API, OBJECTS_INTERNAL_THREADS, 1, 1)).toBe(0x09010001);
    expect(
      [ClassicObjectClass.TASKS, ClassicObjectClass.TIMERS, ClassicObjectClass.SEMAPHORES, ClassicObjectClass.MESSAGE_QUEUES, ClassicObjectClass.PARTITIONS, ClassicObjectClass.REGIONS, ClassicObjectClass.PORTS, ClassicObjectClass.PERIODS].map(first),
    ).toEqual([0x0a010001, 0x12010001, 0x1a010001, 0x22010001, 0x2a010001, 0x32010001, 0x3a010001, 0x42010001]);
  });

  it('takes ids apart', () => {
    const id = 0x42010005;
    expect([objectIdIndex(id), objectIdNode(id), objectIdApi(id), objectIdClass(id)]).toEqual([5, 1, 2, 8]);
  });
});

describe('object names (rtems_build_name)', () => {
  it('packs four characters, first in the most significant byte, and unpacks them', () => {
    expect(buildName('T', 'A', '1', ' ')).toBe(0x54413120);
    expect(nameToString(0x54413120)).toBe('TA1 ');
    expect(packName('TA1')).toBe(0x54413120);
    expect(packName('UI1 ')).toBe(buildName('U', 'I', '1', ' '));
    expect(packName(0x54413120)).toBe(0x54413120);
  });

  it('rejects what rtems_is_name_valid rejects and what cannot be packed', () => {
    expect([packName(0), packName(''), packName('ABCDE'), packName('€'), packName(1.5), packName(-1), packName(2 ** 32), packName(null)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('RtemsStatus (Directive Status Codes)', () => {
  it('has RTEMS\'s numeric values and names', () => {
    expect([RtemsStatus.SUCCESSFUL, RtemsStatus.TOO_MANY, RtemsStatus.TIMEOUT, RtemsStatus.UNSATISFIED, RtemsStatus.CALLED_FROM_ISR, RtemsStatus.NOT_OWNER_OF_RESOURCE, RtemsStatus.INTERRUPTED]).toEqual([
      0, 5, 6, 13, 18, 23, 28,
    ]);
    expect([rtemsStatusText(0), rtemsStatusText(5), rtemsStatusText(99)]).toEqual(['RTEMS_SUCCESSFUL', 'RTEMS_TOO_MANY', 'RTEMS_UNKNOWN_STATUS_99']);
  });
});
