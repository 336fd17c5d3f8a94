/**
 * Dual-Ported Memory Manager (RTEMS C User's Guide, "Dual-Ported Memory Manager"; RTEMS 6
 * cpukit/rtems/src/dpmemcreate.c, dpmemident.c, dpmemdelete.c, dpmemexternal2internal.c,
 * dpmeminternal2external.c): ports that translate addresses of a memory area between the
 * application's (internal) view and another processor's (external) view.
 *
 * Addresses are numbers in the 32-bit address spaces of the two sides; a port is only the
 * two base addresses and the length, nothing is read or written. Arithmetic is uintptr_t
 * (modulo 2^32), as in RTEMS.
 */
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import type { AddressResult, IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { uint32 } from './arguments.js';
import { CPU_ALIGNMENT } from './heap.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';

class PortControl {
  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    readonly internalBase: number,
    readonly externalBase: number,
    /** Dual_ported_memory_Control.length: the length minus one (a length of 0 covers the whole address space). */
    readonly lengthMinusOne: number,
  ) {}
}

/**
 * The conversion of dpmemexternal2internal.c and dpmeminternal2external.c: the offset from
 * the base (a uintptr_t, so an address below the base is a huge offset); beyond the
 * port's length the address comes back unchanged.
 */
function translate(address: number, fromBase: number, toBase: number, lengthMinusOne: number): number {
  const offset = (address - fromBase) >>> 0;
  return offset > lengthMinusOne ? address : (toBase + offset) >>> 0;
}

export class DualPortedMemoryManager {
  readonly table: ObjectTable<PortControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<PortControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.PORTS, score.config.maximumPorts);
  }

  /**
   * rtems_port_create: INVALID_NAME; INVALID_ADDRESS when the internal or external start
   * is not on a CPU_ALIGNMENT boundary (_Addresses_Is_aligned); TOO_MANY. RTEMS does not
   * check the length (a uint32_t); a length that is not one is INVALID_SIZE here.
   */
  create(name: unknown, internalStart: unknown, externalStart: unknown, length: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const internal = uint32(internalStart);
      const external = uint32(externalStart);
      if (internal === undefined || external === undefined || internal % CPU_ALIGNMENT !== 0 || external % CPU_ALIGNMENT !== 0) {
        return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
      }
      const bytes = uint32(length);
      if (bytes === undefined) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      const port = this.table.allocate((id) => new PortControl(id, packed, internal, external, (bytes - 1) >>> 0));
      return port === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: port.id };
    });
  }

  /** rtems_port_ident: the local node only (RTEMS 6 has no node argument). */
  ident(name: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, RTEMS_SEARCH_LOCAL_NODE));
  }

  /** rtems_port_delete: INVALID_ID. */
  delete(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const port = this.table.get(id);
      if (port === undefined) return RtemsStatus.INVALID_ID;
      this.table.release(port);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_port_external_to_internal: INVALID_ID (the code's answer; the RTEMS 6 guide says
   * INVALID_NAME), else always SUCCESSFUL, an address outside the port unchanged. An
   * address that is not a uint32 number is INVALID_ADDRESS here.
   */
  externalToInternal(id: unknown, external: unknown): AddressResult {
    return this.convert(id, external, true);
  }

  /** rtems_port_internal_to_external: as externalToInternal, the other way. */
  internalToExternal(id: unknown, internal: unknown): AddressResult {
    return this.convert(id, internal, false);
  }

  private convert(id: unknown, address: unknown, toInternal: boolean): AddressResult {
    return this.score.directive((): AddressResult => {
      const port = this.table.get(id);
      if (port === undefined) return { status: RtemsStatus.INVALID_ID, address: 0 };
      const value = uint32(address);
      if (value === undefined) return { status: RtemsStatus.INVALID_ADDRESS, address: 0 };
      const converted = toInternal
        ? translate(value, port.externalBase, port.internalBase, port.lengthMinusOne)
        : translate(value, port.internalBase, port.externalBase, port.lengthMinusOne);
      return { status: RtemsStatus.SUCCESSFUL, address: converted };
    });
  }
}
