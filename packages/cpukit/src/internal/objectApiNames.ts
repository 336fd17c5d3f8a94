/**
 * The object API and class helpers of the Object Services that need no object: names
 * of APIs and classes and the range of class values (RTEMS 6 cpukit/rtems/src/
 * objectgetapiname.c, objectgetapiclassname.c, objectapiminclass.c, objectapimaxclass.c
 * over score/src/objectapimaximumclass.c; the class numbers of score/objectdata.h).
 */
import { OBJECTS_CLASSIC_API, OBJECTS_INTERNAL_API, OBJECTS_POSIX_API } from '../objectId.js';

/** rtems_objects_api_assoc. */
const API_NAMES: ReadonlyMap<number, string> = new Map([
  [OBJECTS_INTERNAL_API, 'Internal'],
  [OBJECTS_CLASSIC_API, 'Classic'],
  [OBJECTS_POSIX_API, 'POSIX'],
]);

/**
 * The class names of each API. POSIX classes are numbered consecutively in RTEMS 6
 * (Objects_POSIX_API: threads 1 ... shared memory 6); "Timer" (5) is named only in a
 * build with RTEMS_POSIX_API, which is not the default, so it is left out here.
 */
const CLASS_NAMES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [OBJECTS_INTERNAL_API, new Map([[1, 'Thread']])],
  [
    OBJECTS_CLASSIC_API,
    new Map([
      [1, 'Task'],
      [2, 'Timer'],
      [3, 'Semaphore'],
      [4, 'Message Queue'],
      [5, 'Partition'],
      [6, 'Region'],
      [7, 'Port'],
      [8, 'Period'],
      [9, 'Extension'],
      [10, 'Barrier'],
    ]),
  ],
  [
    OBJECTS_POSIX_API,
    new Map([
      [1, 'Thread'],
      [2, 'Key'],
      [3, 'Message Queue'],
      [4, 'Semaphore'],
      [6, 'Shared Memory'],
    ]),
  ],
]);

/** _Objects_API_maximum_class: OBJECTS_INTERNAL_CLASSES_LAST, OBJECTS_RTEMS_CLASSES_LAST, OBJECTS_POSIX_CLASSES_LAST. */
const MAXIMUM_CLASS: ReadonlyMap<number, number> = new Map([
  [OBJECTS_INTERNAL_API, 1],
  [OBJECTS_CLASSIC_API, 10],
  [OBJECTS_POSIX_API, 6],
]);

/** C's int argument: a whole number, anything else matches no API or class. */
function cInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * rtems_object_get_api_name: "Internal", "Classic", "POSIX". An unknown API gives
 * "BAD CLASS": that is what RTEMS 6's objectgetapiname.c returns, though the Guide says
 * "BAD API".
 */
export function objectApiName(api: unknown): string {
  return API_NAMES.get(cInt(api) ?? 0) ?? 'BAD CLASS';
}

/** rtems_object_get_api_class_name: "BAD API" for an unknown API, "BAD CLASS" for an unknown class of it. */
export function objectApiClassName(api: unknown, objectClass: unknown): string {
  const classes = CLASS_NAMES.get(cInt(api) ?? 0);
  if (classes === undefined) return 'BAD API';
  return classes.get(cInt(objectClass) ?? 0) ?? 'BAD CLASS';
}

/** rtems_object_api_minimum_class: 1 for a valid API (_Objects_Is_api_valid: 1 .. OBJECTS_APIS_LAST), else -1. */
export function objectApiMinimumClass(api: unknown): number {
  return MAXIMUM_CLASS.has(cInt(api) ?? 0) ? 1 : -1;
}

/** rtems_object_api_maximum_class: the API's last class, 0 for an invalid API. */
export function objectApiMaximumClass(api: unknown): number {
  return MAXIMUM_CLASS.get(cInt(api) ?? 0) ?? 0;
}
