/**
 * Object identifiers in RTEMS's 32-bit layout (RTEMS C User's Guide, "Key Concepts:
 * Object Ids"; rtems/score/object.h): index in bits 0-15, node in bits 16-23, API in
 * bits 24-26, object class in bits 27-31. This executive is a single node: node 1.
 */

/** The internal (score) API: the IDLE thread lives here. */
export const OBJECTS_INTERNAL_API = 1;
/** The Classic API. */
export const OBJECTS_CLASSIC_API = 2;
/** The POSIX API, the last API (OBJECTS_APIS_LAST); this executive has no POSIX objects. */
export const OBJECTS_POSIX_API = 3;

/** Internal API class of threads (IDLE). */
export const OBJECTS_INTERNAL_THREADS = 1;

/** The API of objects that have an id but no object table: schedulers (OBJECTS_FAKE_OBJECTS_API). */
export const OBJECTS_FAKE_OBJECTS_API = 7;
/** The scheduler class of OBJECTS_FAKE_OBJECTS_API (Objects_Fake_objects_API). */
export const OBJECTS_FAKE_OBJECTS_SCHEDULERS = 1;

/** Classic API object classes (Objects_Classic_API). */
export enum ClassicObjectClass {
  TASKS = 1,
  TIMERS = 2,
  SEMAPHORES = 3,
  MESSAGE_QUEUES = 4,
  PARTITIONS = 5,
  REGIONS = 6,
  PORTS = 7,
  PERIODS = 8,
  /** OBJECTS_RTEMS_EXTENSIONS: user extension sets (rtems/score/objectdata.h Objects_Classic_API). */
  EXTENSIONS = 9,
  BARRIERS = 10,
}

/** The one node of a single-processor system. */
export const LOCAL_NODE = 1;

/** _Objects_Build_id. */
export function buildObjectId(api: number, objectClass: number, node: number, index: number): number {
  return ((objectClass & 0x1f) * 0x0800_0000 + (api & 0x7) * 0x0100_0000 + (node & 0xff) * 0x1_0000 + (index & 0xffff)) >>> 0;
}

/** rtems_object_id_get_index. */
export function objectIdIndex(id: number): number {
  return id & 0xffff;
}

/** rtems_object_id_get_node. */
export function objectIdNode(id: number): number {
  return (id >>> 16) & 0xff;
}

/** rtems_object_id_get_api. */
export function objectIdApi(id: number): number {
  return (id >>> 24) & 0x7;
}

/** rtems_object_id_get_class. */
export function objectIdClass(id: number): number {
  return (id >>> 27) & 0x1f;
}
