/**
 * The ident directives' common part (_Objects_Name_to_id_u32): find a local object by
 * name. A single-node system only searches its own node; asking for other nodes finds
 * nothing (RTEMS_INVALID_NAME), as RTEMS without multiprocessing does.
 */
import { LOCAL_NODE } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_SEARCH_ALL_NODES, RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import type { IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import type { NamedObject, ObjectTable } from './objectTable.js';

export function identify(table: ObjectTable<NamedObject>, name: unknown, node: unknown): IdResult {
  const packed = packName(name);
  if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
  const searchLocal = node === RTEMS_SEARCH_ALL_NODES || node === RTEMS_SEARCH_LOCAL_NODE || node === LOCAL_NODE || node === undefined;
  const object = searchLocal ? table.findByName(packed) : undefined;
  return object === undefined ? { status: RtemsStatus.INVALID_NAME, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: object.id };
}
