/**
 * Reads an ARINC 653 module configuration in XML as AIR's configurator takes it (ARINC 653
 * Part 1 configuration schema element and attribute names, plus AIR's PartitionConfiguration
 * and AIR_Configuration) into the kernel's AirConfig.
 *
 * Read (everything else inside these elements is an error naming its path):
 *
 *   ARINC_653_Module            ModuleName ModuleVersion ModuleId
 *     Partition                 PartitionIdentifier PartitionName Criticality SystemPartition EntryPoint
 *       PartitionConfiguration  Personality Cores(=1)
 *         Memory                Size                     (bytes, decimal or 0x hex)
 *         Permissions           text: FPU_CONTROL; ...; SUPERVISOR
 *         Libs Devices Cache    accepted, ignored (build-time choices of AIR's tool chain)
 *       Sampling_Port           Name MaxMessageSize Direction RefreshRateSeconds
 *       Queuing_Port            Name MaxMessageSize Direction MaxNbMessages
 *     Partition_Memory          PartitionIdentifier PartitionName
 *       Memory_Requirements     SizeBytes (summed; Type Access PhysicalAddress RegionName ignored)
 *     Module_Schedule           ScheduleIdentifier ScheduleName InitialModuleSchedule MajorFrameSeconds
 *       Partition_Schedule      PartitionIdentifier PartitionName PeriodSeconds PeriodDurationSeconds
 *                               SetModuleSchedule ScheduleChangeAction
 *         Window_Schedule       WindowIdentifier WindowStartSeconds WindowDurationSeconds PartitionPeriodStart
 *     System_HM_Table > System_State_Entry(SystemState) > Error_ID_Level(ErrorIdentifier ErrorLevel ErrorCode)
 *     Module_HM_Table > System_State_Entry(SystemState) > Error_ID_Action(ErrorIdentifier Action)
 *     Partition_HM_Table(PartitionIdentifier PartitionName PartitionCallback)
 *                     > System_State_Entry(SystemState) > Error_ID_Action(ErrorIdentifier Action)
 *     Connection_Table > Channel(ChannelIdentifier ChannelName)
 *                      > Source / Destination > Standard_Partition(PartitionIdentifier PartitionName PortName PhysicalAddress)
 *     AIR_Configuration         TicksPerSecond RequiredCores(=1)
 *
 * Description attributes, xmlns / xsi attributes, and the SharedMemory and LogbookSystem
 * elements are accepted and ignored. Not modelled, and so refused: Pseudo_Partition
 * channel ends, partitions on more than one core. Defaults: no AIR_Configuration means
 * 1000 ticks per second; a partition without memory gets 1 MiB; without any HM table the
 * kernel's default tables apply (hm.ts defaultHealthMonitor). The architecture is not part
 * of the file (AIR's configurator takes it on its command line).
 *
 * The reader checks structure and values; validateAirConfig makes the configurator's
 * semantic checks (frames, periods, windows, channels) on the result. What of XML's DTD
 * machinery a file may use (internal entities, expanded fully; no external DTDs or entities),
 * and the bounds on nesting, size and entity expansion, are xmlDocument.ts's; the list limits
 * (partitions, schedules, windows, ports, channels) are CONFIG_LIMITS. Nothing here throws:
 * an exception of the XML library is one error line.
 */
import { CONFIG_LIMITS, controlCharacter, fileTooLong, type Nanoseconds, oneLine, parseConfigDuration, quote } from '@paravirt/machine';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  type AirChannelConfig,
  type AirConfig,
  type AirPartitionConfig,
  type AirPartitionScheduleConfig,
  type AirPermission,
  type AirPortConfig,
  type AirPortRef,
  type AirScheduleConfig,
  type AirWindowConfig,
  type ConfigError,
  isAirPermission,
  isScheduleChangeAction,
  type ScheduleChangeAction,
} from './config.js';
import {
  defaultHealthMonitor,
  isArincErrorName,
  isHmLevel,
  isModuleHmAction,
  isPartitionHmAction,
  type ModuleHmEntry,
  type PartitionHmEntry,
  type PartitionHmTable,
  type SystemHmEntry,
} from './hm.js';
import { type EntityTable, prepareXml } from './xmlDocument.js';

export interface AirXmlResult {
  readonly config?: AirConfig;
  readonly errors: readonly ConfigError[];
}

const ROOT = 'ARINC_653_Module';
const DEFAULT_TICKS_PER_SECOND = 1000;
const DEFAULT_PARTITION_MEMORY = 1 << 20;

/** True if `text` is an XML document whose root is ARINC_653_Module (how the runner tells formats apart). */
export function isAirXml(text: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<ARINC_653_Module[\s/>]/.test(text);
}

interface XmlElement {
  readonly [key: string]: unknown;
}

/**
 * Element names that are also properties of every JavaScript object: the parser would refuse
 * or rename them, so they get a suffix no XML name can contain and read as the unknown
 * elements they are ("unknown element inside Partition"), named as written.
 */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const RESERVED_SUFFIX = '!';
const displayName = (key: string): string => (key.endsWith(RESERVED_SUFFIX) ? key.slice(0, -RESERVED_SUFFIX.length) : key);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  // References are expanded by xmlDocument.ts (EntityTable.decode) when a value is read.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  // xmlDocument.ts refuses deeper documents first, with the line.
  maxNestedTags: CONFIG_LIMITS.nesting + 1,
  transformTagName: (name: string) => (RESERVED_NAMES.has(name) ? `${name}${RESERVED_SUFFIX}` : name),
  // Every element as a list, so repeated and single elements read the same way.
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

class Reader {
  readonly errors: ConfigError[] = [];
  private readonly reported = new Set<string>();

  constructor(private readonly entities: EntityTable) {}

  fail(path: string, message: string): undefined {
    const key = `${path}\n${message}`;
    if (!this.reported.has(key)) this.errors.push({ path, message });
    this.reported.add(key);
    return undefined;
  }

  /** Child elements named `name` (text-only elements come back as { '#text' }). */
  children(element: XmlElement, name: string): XmlElement[] {
    const value = Object.prototype.hasOwnProperty.call(element, name) ? element[name] : undefined;
    if (!Array.isArray(value)) return [];
    return value.map((child: unknown) => (typeof child === 'object' && child !== null ? (child as XmlElement) : { '#text': String(child) }));
  }

  /** Child elements named `name`, at most `max` of them (`what` names them in the error). */
  boundedChildren(element: XmlElement, name: string, path: string, max: number, what: string): XmlElement[] {
    const list = this.children(element, name);
    if (list.length > max) return (this.fail(`${path}.${name}`, `${list.length} ${what}; at most ${max} are supported`), []);
    return list;
  }

  /** The only `name` child, if any; more than one is an error. */
  single(element: XmlElement, name: string, path: string): XmlElement | undefined {
    const list = this.children(element, name);
    if (list.length > 1) return this.fail(`${path}.${name}`, `appears ${list.length} times; at most once is allowed`);
    return list[0];
  }

  /** The element's text (CDATA included), references expanded. */
  text(element: XmlElement, path: string): string {
    const raw = element['#text'];
    const cdata = element['#cdata'];
    let text = '';
    if (typeof raw === 'string') {
      const decoded = this.entities.decode(raw, false);
      if ('error' in decoded) return this.fail(path, decoded.error) ?? '';
      text = decoded.value;
    }
    if (Array.isArray(cdata)) text += cdata.map((part) => ` ${String(part)}`).join('');
    else if (typeof cdata === 'string') text += ` ${cdata}`;
    return text;
  }

  /** True if the element has the attribute (whatever its value). */
  has(element: XmlElement, name: string): boolean {
    return typeof element[`@_${name}`] === 'string';
  }

  /** An attribute's value: references expanded, whitespace normalized (XML 1.0 section 3.3.3); no control characters. */
  attribute(element: XmlElement, name: string, path: string): string | undefined {
    const raw = element[`@_${name}`];
    if (typeof raw !== 'string') return undefined;
    const decoded = this.entities.decode(raw, true);
    if ('error' in decoded) return this.fail(`${path}.${name}`, decoded.error);
    const control = controlCharacter(decoded.value);
    if (control) return this.fail(`${path}.${name}`, `must not contain control characters or line breaks (${control}), got ${quote(decoded.value)}`);
    return decoded.value;
  }

  /** Flags attributes and child elements that are not in the lists (xmlns/xsi attributes and Description are always fine). */
  shape(element: XmlElement, path: string, attributes: readonly string[], children: readonly string[], ignoredChildren: readonly string[] = []): void {
    const owner = path.split('.').at(-1)!.replace(/\[\d+\]$/, '');
    for (const key of Object.keys(element)) {
      if (key === '#text' || key === '#cdata') continue;
      if (key.startsWith('@_')) {
        const name = key.slice(2);
        if (name === 'Description' || name.startsWith('xmlns') || name.startsWith('xsi:') || attributes.includes(name)) continue;
        this.fail(`${path}.${name}`, `unknown attribute of ${owner}`);
      } else if (!children.includes(key) && !ignoredChildren.includes(key)) {
        this.fail(`${path}.${displayName(key)}`, `unknown element inside ${owner}`);
      }
    }
  }

  required(element: XmlElement, name: string, path: string): string | undefined {
    if (!this.has(element, name)) return this.fail(`${path}.${name}`, 'missing required attribute');
    return this.attribute(element, name, path);
  }

  integer(element: XmlElement, name: string, path: string, required: boolean, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = required ? this.required(element, name, path) : this.attribute(element, name, path);
    if (value === undefined) return undefined;
    const match = /^\s*(0[xX][0-9a-fA-F]+|\d+)\s*$/.exec(value);
    if (!match) return this.fail(`${path}.${name}`, `${quote(value)} is not a whole number (decimal or 0x hexadecimal)`);
    const number = Number(match[1]);
    if (!Number.isSafeInteger(number) || number > max) return this.fail(`${path}.${name}`, `${quote(value)} is too large (at most ${max})`);
    return number;
  }

  boolean(element: XmlElement, name: string, path: string): boolean | undefined {
    const value = this.attribute(element, name, path);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (trimmed === 'true' || trimmed === '1') return true;
    if (trimmed === 'false' || trimmed === '0') return false;
    return this.fail(`${path}.${name}`, `${quote(value)} is not a boolean (true or false)`);
  }

  /** A duration in decimal seconds ("0.02"), exact to the nanosecond, at most CONFIG_LIMITS.maxDuration. */
  seconds(element: XmlElement, name: string, path: string): Nanoseconds | undefined {
    const value = this.required(element, name, path);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (!/^\d+(\.\d+)?$/.test(trimmed)) return this.fail(`${path}.${name}`, `${quote(value)} is not a number of seconds (e.g. 0.02)`);
    const parsed = parseConfigDuration(`${trimmed}s`);
    return parsed.ok ? parsed.value : this.fail(`${path}.${name}`, `${quote(value)}: ${parsed.error}`);
  }

  choice<T extends string>(element: XmlElement, name: string, path: string, check: (value: string) => value is T, allowed: string): T | undefined {
    const value = this.attribute(element, name, path);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (!check(trimmed)) return this.fail(`${path}.${name}`, `${quote(value)} is not one of ${allowed}`);
    return trimmed;
  }
}

interface PartitionDraft {
  id: number;
  name: string;
  system: boolean;
  memorySize: number | undefined;
  memoryFromRequirements: number | undefined;
  permissions: AirPermission[];
  ports: AirPortConfig[];
  path: string;
}

/** Reads ARINC 653 / AIR XML. `config` is present when the file could be read (it may still fail validateAirConfig). */
export function readAirXml(text: string): AirXmlResult {
  const tooLong = fileTooLong(text);
  if (tooLong) return { errors: [tooLong] };
  const prepared = prepareXml(text);
  if ('error' in prepared) return { errors: [prepared.error] };
  let document: XmlElement;
  try {
    const valid = XMLValidator.validate(prepared.xml.text);
    if (valid !== true) return { errors: [{ path: `line ${valid.err.line}`, message: oneLine(valid.err.msg) }] };
    document = parser.parse(prepared.xml.text) as XmlElement;
  } catch (error) {
    // The XML library's own refusals (and anything unforeseen) end as one line, never a stack trace.
    return { errors: [{ path: '(file)', message: `cannot read the XML: ${oneLine(error instanceof Error ? error.message.split('\n')[0]! : String(error))}` }] };
  }
  return readDocument(document, prepared.xml.entities);
}

function readDocument(document: XmlElement, entities: EntityTable): AirXmlResult {
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== ROOT) return { errors: [{ path: roots.map(displayName).join(', ') || '(document)', message: `the root element must be ${ROOT}` }] };
  const reader = new Reader(entities);
  const modules = reader.children(document, ROOT);
  if (modules.length !== 1) return { errors: [{ path: ROOT, message: 'the document must have exactly one ARINC_653_Module' }] };
  const module = modules[0]!;
  reader.shape(
    module,
    ROOT,
    ['ModuleName', 'ModuleVersion', 'ModuleId'],
    ['Partition', 'Partition_Memory', 'Module_Schedule', 'System_HM_Table', 'Module_HM_Table', 'Partition_HM_Table', 'Connection_Table', 'AIR_Configuration'],
    ['SharedMemory', 'LogbookSystem'],
  );

  const partitionCount = reader.children(module, 'Partition').length;
  if (partitionCount > CONFIG_LIMITS.partitions) {
    // Everything else names partitions: one error, not one per reference to a partition not read.
    return { errors: [{ path: `${ROOT}.Partition`, message: `${partitionCount} partitions; at most ${CONFIG_LIMITS.partitions} are supported` }] };
  }
  const partitions = reader.children(module, 'Partition').map((element, index) => readPartition(reader, element, `${ROOT}.Partition[${index}]`));
  const resolve = (element: XmlElement, path: string): string | undefined => resolvePartition(reader, partitions, element, path);

  reader.children(module, 'Partition_Memory').forEach((element, index) => {
    const path = `${ROOT}.Partition_Memory[${index}]`;
    reader.shape(element, path, ['PartitionIdentifier', 'PartitionName'], ['Memory_Requirements']);
    const name = resolve(element, path);
    let total = 0;
    reader.children(element, 'Memory_Requirements').forEach((requirement, requirementIndex) => {
      const requirementPath = `${path}.Memory_Requirements[${requirementIndex}]`;
      reader.shape(requirement, requirementPath, ['Type', 'SizeBytes', 'Access', 'PhysicalAddress', 'RegionName'], []);
      total += reader.integer(requirement, 'SizeBytes', requirementPath, true) ?? 0;
    });
    const partition = partitions.find((candidate) => candidate.name === name);
    if (!partition) return;
    const sum = (partition.memoryFromRequirements ?? 0) + total;
    if (partition.memorySize !== undefined) reader.fail(path, `the memory of partition ${partition.name} is also given by its PartitionConfiguration Memory element`);
    else if (!Number.isSafeInteger(sum)) reader.fail(path, `the memory requirements of partition ${partition.name} add up to more than ${Number.MAX_SAFE_INTEGER} bytes`);
    else partition.memoryFromRequirements = sum;
  });

  const schedules = reader.boundedChildren(module, 'Module_Schedule', ROOT, CONFIG_LIMITS.schedules, 'schedules').map((element, index) => readSchedule(reader, element, `${ROOT}.Module_Schedule[${index}]`, index, resolve));

  const connectionTable = reader.single(module, 'Connection_Table', ROOT);
  const channels: AirChannelConfig[] = [];
  if (connectionTable) {
    const tablePath = `${ROOT}.Connection_Table`;
    reader.shape(connectionTable, tablePath, [], ['Channel']);
    reader.boundedChildren(connectionTable, 'Channel', tablePath, CONFIG_LIMITS.channels, 'channels').forEach((element, index) => {
      const channel = readChannel(reader, element, `${tablePath}.Channel[${index}]`, resolve);
      if (channel) channels.push(channel);
    });
  }

  const healthMonitor = readHealthMonitor(reader, module, resolve, partitions.map((partition) => partition.name));

  let kernelTick: Nanoseconds = 1_000_000_000 / DEFAULT_TICKS_PER_SECOND;
  const air = reader.single(module, 'AIR_Configuration', ROOT);
  if (air) {
    const path = `${ROOT}.AIR_Configuration`;
    reader.shape(air, path, ['TicksPerSecond', 'RequiredCores'], []);
    const ticks = reader.integer(air, 'TicksPerSecond', path, true);
    if (ticks !== undefined) {
      const most = 1_000_000_000 / CONFIG_LIMITS.minKernelTick;
      if (ticks < 1 || 1_000_000_000 % ticks !== 0) reader.fail(`${path}.TicksPerSecond`, `${ticks} ticks per second is not a whole number of nanoseconds per tick`);
      else if (ticks > most) reader.fail(`${path}.TicksPerSecond`, `${ticks} ticks per second: at most ${most} are supported (a kernel tick of at least 10us)`);
      else kernelTick = 1_000_000_000 / ticks;
    }
    const cores = reader.integer(air, 'RequiredCores', path, false);
    if (cores !== undefined && cores !== 1) reader.fail(`${path}.RequiredCores`, `${cores} cores: the simulated module has one processor`);
  }

  const name = reader.attribute(module, 'ModuleName', ROOT);
  if (reader.errors.length > 0) return { errors: reader.errors };
  const config: AirConfig = {
    ...(name !== undefined ? { name } : {}),
    kernelTick,
    partitions: partitions.map(
      (partition): AirPartitionConfig => ({
        id: partition.id,
        name: partition.name,
        memorySize: partition.memorySize ?? partition.memoryFromRequirements ?? DEFAULT_PARTITION_MEMORY,
        system: partition.system,
        permissions: partition.permissions,
        ports: partition.ports,
        ipiTargets: [],
      }),
    ),
    schedules: schedules.filter((schedule): schedule is AirScheduleConfig => schedule !== undefined),
    channels,
    routes: [],
    healthMonitor,
  };
  return { config, errors: [] };
}

function readPartition(reader: Reader, element: XmlElement, path: string): PartitionDraft {
  reader.shape(element, path, ['PartitionIdentifier', 'PartitionName', 'Criticality', 'SystemPartition', 'EntryPoint'], ['PartitionConfiguration', 'Sampling_Port', 'Queuing_Port']);
  const draft: PartitionDraft = {
    id: reader.integer(element, 'PartitionIdentifier', path, true) ?? -1,
    name: reader.required(element, 'PartitionName', path) ?? '',
    system: reader.boolean(element, 'SystemPartition', path) ?? false,
    memorySize: undefined,
    memoryFromRequirements: undefined,
    permissions: [],
    ports: [],
    path,
  };
  const configuration = reader.single(element, 'PartitionConfiguration', path);
  if (configuration) {
    const configurationPath = `${path}.PartitionConfiguration`;
    reader.shape(configuration, configurationPath, ['Personality', 'Cores'], ['Memory', 'Permissions'], ['Libs', 'Devices', 'Cache']);
    const cores = reader.integer(configuration, 'Cores', configurationPath, false);
    if (cores !== undefined && cores !== 1) reader.fail(`${configurationPath}.Cores`, `${cores} cores: partitions on more than one core are not modelled`);
    const memory = reader.single(configuration, 'Memory', configurationPath);
    if (memory) {
      reader.shape(memory, `${configurationPath}.Memory`, ['Size'], []);
      draft.memorySize = reader.integer(memory, 'Size', `${configurationPath}.Memory`, true);
    }
    const permissions = reader.single(configuration, 'Permissions', configurationPath);
    if (permissions) {
      const words = reader.text(permissions, `${configurationPath}.Permissions`).split(/[;,\s]+/).filter((word) => word.length > 0);
      for (const word of words) {
        if (isAirPermission(word)) draft.permissions.push(word);
        else reader.fail(`${configurationPath}.Permissions`, `unknown permission ${quote(word)}`);
      }
    }
  }
  const portCount = reader.children(element, 'Sampling_Port').length + reader.children(element, 'Queuing_Port').length;
  if (portCount > CONFIG_LIMITS.portsPerPartition) {
    reader.fail(path, `${portCount} ports (Sampling_Port and Queuing_Port); at most ${CONFIG_LIMITS.portsPerPartition} per partition are supported`);
    return draft;
  }
  reader.children(element, 'Sampling_Port').forEach((port, index) => {
    const portPath = `${path}.Sampling_Port[${index}]`;
    reader.shape(port, portPath, ['Name', 'MaxMessageSize', 'Direction', 'RefreshRateSeconds'], []);
    const name = reader.required(port, 'Name', portPath);
    const size = reader.integer(port, 'MaxMessageSize', portPath, true);
    const direction = readDirection(reader, port, portPath);
    const refresh = reader.seconds(port, 'RefreshRateSeconds', portPath);
    if (name !== undefined && size !== undefined && direction !== undefined && refresh !== undefined) {
      draft.ports.push({ name, kind: 'sampling', direction, maxMessageSize: size, maxMessages: 1, refreshPeriod: refresh });
    }
  });
  reader.children(element, 'Queuing_Port').forEach((port, index) => {
    const portPath = `${path}.Queuing_Port[${index}]`;
    reader.shape(port, portPath, ['Name', 'MaxMessageSize', 'Direction', 'MaxNbMessages'], []);
    const name = reader.required(port, 'Name', portPath);
    const size = reader.integer(port, 'MaxMessageSize', portPath, true);
    const direction = readDirection(reader, port, portPath);
    const messages = reader.integer(port, 'MaxNbMessages', portPath, true, 65536);
    if (name !== undefined && size !== undefined && direction !== undefined && messages !== undefined) {
      draft.ports.push({ name, kind: 'queuing', direction, maxMessageSize: size, maxMessages: messages, refreshPeriod: 0 });
    }
  });
  return draft;
}

function readDirection(reader: Reader, element: XmlElement, path: string): 'source' | 'destination' | undefined {
  const value = reader.required(element, 'Direction', path);
  if (value === undefined) return undefined;
  if (value.trim() === 'SOURCE') return 'source';
  if (value.trim() === 'DESTINATION') return 'destination';
  return reader.fail(`${path}.Direction`, `${quote(value)} is not SOURCE or DESTINATION`);
}

/** The partition an element names by PartitionIdentifier and/or PartitionName (both must agree). */
function resolvePartition(reader: Reader, partitions: readonly PartitionDraft[], element: XmlElement, path: string): string | undefined {
  const name = reader.attribute(element, 'PartitionName', path);
  const id = reader.integer(element, 'PartitionIdentifier', path, false);
  if (name === undefined && id === undefined) {
    if (!reader.has(element, 'PartitionIdentifier') && !reader.has(element, 'PartitionName')) reader.fail(path, 'names no partition (PartitionIdentifier or PartitionName)');
    return undefined;
  }
  const byName = name === undefined ? undefined : partitions.find((partition) => partition.name === name);
  const byId = id === undefined ? undefined : partitions.find((partition) => partition.id === id);
  if (name !== undefined && !byName) return reader.fail(`${path}.PartitionName`, `unknown partition ${quote(name)}`);
  if (id !== undefined && !byId) return reader.fail(`${path}.PartitionIdentifier`, `no partition has identifier ${id}`);
  if (byName && byId && byName !== byId) return reader.fail(path, `PartitionIdentifier ${byId.id} is partition ${byId.name}, not ${byName.name}`);
  return (byName ?? byId)!.name;
}

function readSchedule(
  reader: Reader,
  element: XmlElement,
  path: string,
  index: number,
  resolve: (element: XmlElement, path: string) => string | undefined,
): AirScheduleConfig | undefined {
  reader.shape(element, path, ['ScheduleIdentifier', 'ScheduleName', 'InitialModuleSchedule', 'MajorFrameSeconds'], ['Partition_Schedule']);
  const id = reader.integer(element, 'ScheduleIdentifier', path, false) ?? index;
  const name = reader.attribute(element, 'ScheduleName', path) ?? `schedule${id}`;
  const initial = reader.boolean(element, 'InitialModuleSchedule', path) ?? false;
  const majorFrame = reader.seconds(element, 'MajorFrameSeconds', path);
  let windowCount = 0;
  const partitionSchedules = reader.children(element, 'Partition_Schedule');
  const windowTotal = partitionSchedules.reduce((sum, entry) => sum + reader.children(entry, 'Window_Schedule').length, 0);
  if (windowTotal > CONFIG_LIMITS.windowsPerSchedule) {
    return reader.fail(path, `${windowTotal} windows (Window_Schedule); at most ${CONFIG_LIMITS.windowsPerSchedule} per schedule are supported`);
  }
  const entries = partitionSchedules.map((entry, entryIndex): AirPartitionScheduleConfig | undefined => {
    const entryPath = `${path}.Partition_Schedule[${entryIndex}]`;
    reader.shape(entry, entryPath, ['PartitionIdentifier', 'PartitionName', 'PeriodSeconds', 'PeriodDurationSeconds', 'SetModuleSchedule', 'ScheduleChangeAction'], ['Window_Schedule']);
    const partition = resolve(entry, entryPath);
    const period = reader.seconds(entry, 'PeriodSeconds', entryPath);
    const periodDuration = reader.seconds(entry, 'PeriodDurationSeconds', entryPath);
    const setModuleSchedule = reader.boolean(entry, 'SetModuleSchedule', entryPath) ?? false;
    const changeAction: ScheduleChangeAction =
      reader.choice(entry, 'ScheduleChangeAction', entryPath, isScheduleChangeAction, 'IGNORE, IDLE, WARM_START, COLD_START') ?? 'IGNORE';
    const windows = reader.children(entry, 'Window_Schedule').map((window, windowIndex): AirWindowConfig | undefined => {
      const windowPath = `${entryPath}.Window_Schedule[${windowIndex}]`;
      reader.shape(window, windowPath, ['WindowIdentifier', 'WindowStartSeconds', 'WindowDurationSeconds', 'PartitionPeriodStart'], []);
      const windowId = reader.integer(window, 'WindowIdentifier', windowPath, false) ?? windowCount;
      windowCount++;
      const start = reader.seconds(window, 'WindowStartSeconds', windowPath);
      const duration = reader.seconds(window, 'WindowDurationSeconds', windowPath);
      const periodStart = reader.boolean(window, 'PartitionPeriodStart', windowPath) ?? false;
      return start === undefined || duration === undefined ? undefined : { id: windowId, start, duration, periodStart };
    });
    if (partition === undefined || period === undefined || periodDuration === undefined || windows.some((window) => window === undefined)) return undefined;
    return { partition, period, periodDuration, setModuleSchedule, changeAction, windows: windows as AirWindowConfig[] };
  });
  if (majorFrame === undefined || entries.some((entry) => entry === undefined)) return undefined;
  return { id, name, initial, majorFrame, partitions: entries as AirPartitionScheduleConfig[] };
}

function readChannel(reader: Reader, element: XmlElement, path: string, resolve: (element: XmlElement, path: string) => string | undefined): AirChannelConfig | undefined {
  reader.shape(element, path, ['ChannelIdentifier', 'ChannelName'], ['Source', 'Destination']);
  const end = (container: XmlElement, containerPath: string): AirPortRef[] => {
    reader.shape(container, containerPath, [], ['Standard_Partition', 'Pseudo_Partition']);
    if (reader.children(container, 'Pseudo_Partition').length > 0) reader.fail(`${containerPath}.Pseudo_Partition`, 'pseudo-partitions (devices outside the module) are not modelled');
    return reader.children(container, 'Standard_Partition').flatMap((standard, index) => {
      const standardPath = `${containerPath}.Standard_Partition[${index}]`;
      reader.shape(standard, standardPath, ['PartitionIdentifier', 'PartitionName', 'PortName', 'PhysicalAddress'], []);
      const partition = resolve(standard, standardPath);
      const port = reader.required(standard, 'PortName', standardPath);
      return partition === undefined || port === undefined ? [] : [{ partition, port }];
    });
  };
  const sources = reader.children(element, 'Source');
  if (sources.length !== 1) return reader.fail(`${path}.Source`, `a channel needs exactly one Source, found ${sources.length}`);
  const source = end(sources[0]!, `${path}.Source`);
  if (source.length !== 1) return reader.fail(`${path}.Source`, `the Source needs exactly one Standard_Partition, found ${source.length}`);
  const destinationElements = reader.children(element, 'Destination');
  if (destinationElements.length === 0) return reader.fail(`${path}.Destination`, 'a channel needs at least one Destination');
  const destinationCount = destinationElements.reduce((sum, destination) => sum + reader.children(destination, 'Standard_Partition').length, 0);
  if (destinationCount > CONFIG_LIMITS.destinationsPerChannel) {
    return reader.fail(`${path}.Destination`, `${destinationCount} destinations; at most ${CONFIG_LIMITS.destinationsPerChannel} per channel are supported`);
  }
  const destinations = destinationElements.flatMap((destination, index) => end(destination, `${path}.Destination[${index}]`));
  return { source: source[0]!, destinations };
}

function readHealthMonitor(
  reader: Reader,
  module: XmlElement,
  resolve: (element: XmlElement, path: string) => string | undefined,
  partitionNames: readonly string[],
) {
  const systemTable = reader.single(module, 'System_HM_Table', ROOT);
  const moduleTable = reader.single(module, 'Module_HM_Table', ROOT);
  const partitionTables = reader.children(module, 'Partition_HM_Table');
  if (!systemTable && !moduleTable && partitionTables.length === 0) return defaultHealthMonitor(partitionNames);

  /** Walks System_State_Entry elements, calling `read` for each of their `entryName` children. */
  const states = (table: XmlElement, tablePath: string, entryName: string, read: (entry: XmlElement, path: string, state: number) => void): void => {
    reader.children(table, 'System_State_Entry').forEach((stateEntry, stateIndex) => {
      const statePath = `${tablePath}.System_State_Entry[${stateIndex}]`;
      reader.shape(stateEntry, statePath, ['SystemState'], [entryName]);
      const state = reader.integer(stateEntry, 'SystemState', statePath, true);
      reader.children(stateEntry, entryName).forEach((entry, entryIndex) => {
        if (state !== undefined) read(entry, `${statePath}.${entryName}[${entryIndex}]`, state);
      });
    });
  };

  const system: SystemHmEntry[] = [];
  if (systemTable) {
    const path = `${ROOT}.System_HM_Table`;
    reader.shape(systemTable, path, [], ['System_State_Entry']);
    states(systemTable, path, 'Error_ID_Level', (entry, entryPath, state) => {
      reader.shape(entry, entryPath, ['ErrorIdentifier', 'ErrorLevel', 'ErrorCode'], []);
      const error = reader.integer(entry, 'ErrorIdentifier', entryPath, true);
      const level = reader.choice(entry, 'ErrorLevel', entryPath, isHmLevel, 'MODULE, PARTITION, PROCESS');
      if (level === undefined && !reader.has(entry, 'ErrorLevel')) reader.fail(`${entryPath}.ErrorLevel`, 'missing required attribute');
      const errorCode = reader.choice(entry, 'ErrorCode', entryPath, isArincErrorName, 'the ARINC 653 error codes (DEADLINE_MISSED, APPLICATION_ERROR, ...)');
      if (error !== undefined && level !== undefined) system.push({ state, error, level, ...(errorCode ? { errorCode } : {}) });
    });
  }

  const moduleEntries: ModuleHmEntry[] = [];
  if (moduleTable) {
    const path = `${ROOT}.Module_HM_Table`;
    reader.shape(moduleTable, path, ['ModuleCallback'], ['System_State_Entry']);
    states(moduleTable, path, 'Error_ID_Action', (entry, entryPath, state) => {
      reader.shape(entry, entryPath, ['ErrorIdentifier', 'Action'], []);
      const error = reader.integer(entry, 'ErrorIdentifier', entryPath, true);
      const action = reader.choice(entry, 'Action', entryPath, isModuleHmAction, 'IGNORE, SHUTDOWN, RESET');
      if (action === undefined && !reader.has(entry, 'Action')) reader.fail(`${entryPath}.Action`, 'missing required attribute');
      if (error !== undefined && action !== undefined) moduleEntries.push({ state, error, action });
    });
  }

  const partitions: PartitionHmTable[] = [];
  partitionTables.forEach((table, tableIndex) => {
    const path = `${ROOT}.Partition_HM_Table[${tableIndex}]`;
    reader.shape(table, path, ['PartitionIdentifier', 'PartitionName', 'PartitionCallback'], ['System_State_Entry']);
    const partition = resolve(table, path);
    const entries: PartitionHmEntry[] = [];
    states(table, path, 'Error_ID_Action', (entry, entryPath, state) => {
      reader.shape(entry, entryPath, ['ErrorIdentifier', 'Action'], []);
      const error = reader.integer(entry, 'ErrorIdentifier', entryPath, true);
      const action = reader.choice(entry, 'Action', entryPath, isPartitionHmAction, 'IGNORE, IDLE, WARM_START, COLD_START');
      if (action === undefined && !reader.has(entry, 'Action')) reader.fail(`${entryPath}.Action`, 'missing required attribute');
      if (error !== undefined && action !== undefined) entries.push({ state, error, action });
    });
    if (partition !== undefined) partitions.push({ partition, entries });
  });
  return { system, module: moduleEntries, partitions };
}
