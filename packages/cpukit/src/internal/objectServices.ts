/**
 * Object Services (RTEMS C User's Guide, "Object Services"): the name of any object by
 * its id - a task, the IDLE thread, a semaphore, a message queue, a timer, a period, and
 * the object of every other manager that keeps its objects in an ObjectTable (`table`).
 * RTEMS_SELF (OBJECTS_ID_OF_SELF, 0) is the executing thread, whichever it is
 * (_Objects_Id_to_name: `_Thread_Get_executing()->Object.id`).
 */
import { LOCAL_NODE, OBJECTS_INTERNAL_API, OBJECTS_INTERNAL_THREADS, buildObjectId } from '../objectId.js';
import { RTEMS_SELF } from '../options.js';
import type { ClassInformationResult, NameResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { type NamedObject, ObjectTable } from './objectTable.js';
import type { Score } from './score.js';

/** Printable characters of an object name (_Objects_Name_char_is_printable: ' '..'~'; others print as '*'). */
function printable(code: number): string {
  return code >= 0x20 && code <= 0x7e ? String.fromCharCode(code) : '*';
}

export class ObjectServices {
  private readonly tables: Array<ObjectTable<NamedObject>> = [];

  /** `managers`: every manager of the executive; those with an object table (`table`) are searched. */
  constructor(
    private readonly score: Score,
    managers: Iterable<unknown>,
  ) {
    for (const manager of managers) {
      const table = typeof manager === 'object' && manager !== null ? (manager as { table?: unknown }).table : undefined;
      if (table instanceof ObjectTable) this.tables.push(table as ObjectTable<NamedObject>);
    }
  }

  /** _Objects_Get_information_id then _Objects_Get: the live object with this id, if any. */
  private lookup(id: unknown): NamedObject | undefined {
    const score = this.score;
    if (id === RTEMS_SELF) return score.executing;
    for (const table of this.tables) {
      const object = table.get(id);
      if (object !== undefined) return object;
    }
    // The IDLE thread (internal API, threads class) is in no Classic table.
    return score.threads.find((thread) => thread.isIdle && !thread.deleted && thread.id === id);
  }

  /**
   * rtems_object_get_classic_name (objectgetclassicname.c, _Objects_Id_to_name in
   * score/src/objectidtoname.c): INVALID_ID when no object has this id.
   */
  getClassicName(id: unknown): NameResult {
    return this.score.directive((): NameResult => {
      const object = this.lookup(id);
      return object === undefined ? { status: RtemsStatus.INVALID_ID, name: 0 } : { status: RtemsStatus.SUCCESSFUL, name: object.name };
    });
  }

  /**
   * rtems_object_get_name (_Objects_Get_name_as_string, score/src/objectgetnameasstring.c):
   * the name as C text for a buffer of `length` bytes - at most length - 1 characters,
   * up to the first NUL byte, unprintable ones as '*' - or undefined (C's NULL) when
   * `length` is 0 or no object has this id.
   */
  getName(id: unknown, length: unknown): string | undefined {
    if (typeof length !== 'number' || !Number.isInteger(length) || length <= 0) return undefined;
    return this.score.directive((): string | undefined => {
      const object = this.lookup(id);
      if (object === undefined) return undefined;
      let text = '';
      for (let shift = 24; shift >= 0 && text.length < length - 1; shift -= 8) {
        const code = (object.name >>> shift) & 0xff;
        if (code === 0) break;
        text += printable(code);
      }
      return text;
    });
  }

  /**
   * rtems_object_set_name (objectsetname.c, _Objects_Set_name in score/src/objectsetname.c):
   * the first four characters of `name` up to a NUL, padded with spaces ('' gives four
   * spaces). `name` is a C string here: a string whose first four characters are Latin-1
   * (C chars); anything else is treated as C's NULL, INVALID_ADDRESS. INVALID_ID when no
   * object has this id.
   */
  setName(id: unknown, name: unknown): RtemsStatus {
    if (typeof name !== 'string') return RtemsStatus.INVALID_ADDRESS;
    let packed = 0;
    let ended = false;
    for (let i = 0; i < 4; i++) {
      const code = ended || i >= name.length ? 0 : name.charCodeAt(i);
      if (code > 0xff) return RtemsStatus.INVALID_ADDRESS;
      if (code === 0) ended = true;
      packed = packed * 256 + (ended ? 0x20 : code);
    }
    return this.score.directive((): RtemsStatus => {
      const object = this.lookup(id);
      if (object === undefined) return RtemsStatus.INVALID_ID;
      object.name = packed;
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_object_get_class_information (rtemsobjectgetclassinfo.c over
   * _Objects_Get_information, score/src/objectgetinfo.c): INVALID_NUMBER for an API or class
   * without an information table or with no object configured (a maximum of 0; RTEMS
   * without multiprocessing answers NULL for it), else the ids of the first and last
   * object, the maximum, auto_extend (never: the tables are fixed) and the number of
   * unused objects. The internal API's thread class holds the one IDLE thread. A JS result
   * object has no pointer, so its INVALID_ADDRESS (a NULL info) cannot happen.
   */
  getClassInformation(api: unknown, objectClass: unknown): ClassInformationResult {
    const none: ClassInformationResult = { status: RtemsStatus.INVALID_NUMBER, information: undefined };
    if (typeof api !== 'number' || typeof objectClass !== 'number' || !Number.isInteger(api) || !Number.isInteger(objectClass)) return none;
    return this.score.directive((): ClassInformationResult => {
      let maximum: number;
      let unallocated: number;
      if (api === OBJECTS_INTERNAL_API && objectClass === OBJECTS_INTERNAL_THREADS) {
        maximum = 1;
        unallocated = 0;
      } else {
        const table = this.tables.find((t) => t.api === api && t.objectClass === objectClass);
        if (table === undefined) return none;
        maximum = table.maximum;
        unallocated = table.inactive();
      }
      if (maximum === 0) return none;
      return {
        status: RtemsStatus.SUCCESSFUL,
        information: Object.freeze({
          minimumId: buildObjectId(api, objectClass, LOCAL_NODE, 1),
          maximumId: buildObjectId(api, objectClass, LOCAL_NODE, maximum),
          maximum,
          autoExtend: false,
          unallocated,
        }),
      };
    });
  }
}
