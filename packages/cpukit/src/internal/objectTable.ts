/**
 * One object class's table (RTEMS Objects_Information): a fixed number of slots,
 * ids built from the slot index, and RTEMS's allocation order. Free slots form a FIFO:
 * they start in index order and a freed slot goes to the end, so a deleted object's
 * id is reused only after every never-used id has been handed out.
 */
import { LOCAL_NODE, buildObjectId, objectIdIndex } from '../objectId.js';

export interface NamedObject {
  readonly id: number;
  /** The object name; rtems_object_set_name changes it. */
  name: number;
}

export class ObjectTable<T extends NamedObject> {
  private readonly slots: Array<T | undefined>;
  /** The free list, a FIFO: indexes from `head` on (O(1) take and give back, at any table size). */
  private free: number[];
  private head = 0;

  constructor(
    readonly api: number,
    readonly objectClass: number,
    readonly maximum: number,
  ) {
    this.slots = new Array<T | undefined>(maximum + 1).fill(undefined);
    this.free = Array.from({ length: maximum }, (_, i) => i + 1);
  }

  /** Allocates a slot and builds the object for its id; undefined when the table is full. */
  allocate(build: (id: number) => T): T | undefined {
    const index = this.take();
    if (index === undefined) return undefined;
    const object = build(buildObjectId(this.api, this.objectClass, LOCAL_NODE, index));
    this.slots[index] = object;
    return object;
  }

  /**
   * A create that fails after it took its object (_Objects_Allocate, then _Objects_Free):
   * the first free slot goes to the end of the free list, and no object is built. False
   * when the table is full (the create answers RTEMS_TOO_MANY instead).
   */
  allocateAndFree(): boolean {
    const index = this.take();
    if (index === undefined) return false;
    this.free.push(index);
    return true;
  }

  private take(): number | undefined {
    if (this.head >= this.free.length) return undefined;
    const index = this.free[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.free.length) {
      this.free = this.free.slice(this.head);
      this.head = 0;
    }
    return index;
  }

  /** The object with this id, or undefined for any id that is not a live object of this table. */
  get(id: unknown): T | undefined {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || id > 0xffff_ffff) return undefined;
    const index = objectIdIndex(id);
    const object = this.slots[index];
    return object !== undefined && object.id === id ? object : undefined;
  }

  release(object: T): void {
    const index = objectIdIndex(object.id);
    if (this.slots[index] !== object) return;
    this.slots[index] = undefined;
    this.free.push(index);
  }

  /** The slots without an object (rtems_object_get_class_information's unallocated count). */
  inactive(): number {
    let count = 0;
    for (let index = 1; index <= this.maximum; index++) if (this.slots[index] === undefined) count++;
    return count;
  }

  /** _Objects_Name_to_id_u32: the live object with the lowest index that has this name. */
  findByName(name: number): T | undefined {
    for (const object of this.slots) if (object !== undefined && object.name === name) return object;
    return undefined;
  }

  /** Live objects in index order. */
  values(): T[] {
    return this.slots.filter((object): object is T => object !== undefined);
  }
}
