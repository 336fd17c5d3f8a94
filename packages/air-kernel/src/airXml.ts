/**
 * Reads an ARINC 653 module configuration in XML as AIR's configurator reads it (ARINC 653
 * Part 1 configuration schema element and attribute names, plus AIR's PartitionConfiguration,
 * WindowConfiguration and AIR_Configuration) into the kernel's AirConfig.
 *
 * AIR's configurator (github.com/air-gmv/air, air/tools/configurator/; below "a653" is
 * parsers/a653/parser.py a653parser, "air" parsers/air/parser.py airParser, "xml"
 * utils/xml_parser.py) asks for the elements and attributes it knows by name (xml
 * xmlParseTag: findall; xmlParseAttribute: attrib.get) and never looks at anything else.
 * So, here:
 *
 * Read (and modelled):
 *
 *   ARINC_653_Module            ModuleName
 *     Partition                 PartitionIdentifier PartitionName SystemPartition Criticality(LEVEL_A..E)
 *       PartitionConfiguration  Cores(=1)
 *         Memory                Size                     (bytes, decimal or 0x hex, more than 0)
 *         Permissions           text: FPU_CONTROL; ...; SUPERVISOR (default GLOBAL_TIME, as air parse_partition_extensions)
 *       Sampling_Port           Name MaxMessageSize Direction RefreshRateSeconds
 *       Queuing_Port            Name MaxMessageSize Direction MaxNbMessages
 *     Partition_Memory          PartitionIdentifier PartitionName
 *       Memory_Requirements     SizeBytes (summed)
 *     Module_Schedule           ScheduleIdentifier ScheduleName InitialModuleSchedule MajorFrameSeconds
 *       Partition_Schedule      PartitionIdentifier PartitionName PeriodSeconds PeriodDurationSeconds
 *                               SetModuleSchedule ScheduleChangeAction
 *         Window_Schedule       WindowIdentifier WindowStartSeconds WindowDurationSeconds PartitionPeriodStart
 *         WindowConfiguration   WindowIdentifier Cores(="0")   (the core a window runs on: air parse_window_extensions)
 *     System_HM_Table > System_State_Entry(SystemState) > Error_ID_Level(ErrorIdentifier ErrorLevel ErrorCode)
 *     Module_HM_Table > System_State_Entry(SystemState) > Error_ID_Action(ErrorIdentifier Action)
 *     Partition_HM_Table(PartitionIdentifier PartitionName PartitionCallback)
 *                     > System_State_Entry(SystemState) > Error_ID_Action(ErrorIdentifier Action)
 *     Connection_Table > Channel(ChannelIdentifier ChannelName)
 *                      > Source / Destination > Standard_Partition(PartitionIdentifier PartitionName PortName PhysicalAddress)
 *     AIR_Configuration         TicksPerSecond RequiredCores(=1) Target
 *     air_module_ext            air_ticks_per_second air_cores(=1)   (AIR's older spelling, with a warning as AIR gives)
 *
 * Accepted and ignored without a word: what AIR reads to build a partition and paravirt has
 * no use for - Description, xmlns / xsi attributes, ModuleVersion, ModuleId, EntryPoint,
 * Personality, Libs, Devices, Cache, Memory Unit, Queuing_Port Discipline, ChannelIdentifier,
 * ChannelName, PhysicalAddress, PartitionCallback, ModuleCallback, Memory_Requirements Type
 * Access RegionName, AIR_Configuration Target (the board is --arch).
 *
 * Accepted with a warning (AirXmlResult.warnings; the file still runs):
 *  - what AIR's configurator does not read at all (it ignores it): unknown elements and
 *    attributes (PartitionConfiguration Mode, LogbookSystem, a misspelt name ...);
 *  - what AIR reads and paravirt does not model: PartitionConfiguration IOP (an I/O
 *    partition's device configuration), SharedMemory areas;
 *  - what AIR reads with a fallback and a warning of its own (xml xmlParseAttribute with a
 *    default): a boolean other than true/false (any letter case) where AIR has a default, an
 *    unknown ScheduleChangeAction, a Cores / RequiredCores that is not a core count (read as
 *    1); unknown permissions (dropped, as air parse_partition_extensions drops them); an
 *    element AIR reads once given twice (the first is read, as xml xmlParseTag);
 *    air_module_ext (deprecated, as air parse_old_module_extension says);
 *  - a Partition without PartitionConfiguration or Personality, which AIR's configurator
 *    requires to build the partition: paravirt needs neither and uses AIR's defaults;
 *  - a partition smaller than 64 KiB (AIR maps pages of a few KiB): read as 64 KiB, the
 *    least a paravirt partition has (kernel-core MINIMUM_PARTITION_MEMORY).
 *
 * Refused (errors naming their path): what AIR refuses - missing required attributes, values
 * it cannot read, an unknown ErrorCode at PROCESS level (AIR's names: POWER_FAILURE, not
 * POWER_FAIL), a SystemPartition that is not a boolean, more than one Module_Schedule without
 * InitialModuleSchedule, a WindowConfiguration for no window of its Partition_Schedule, more
 * than 50000 TicksPerSecond, a port in no channel (a653 parse) - and what is not modelled:
 * Pseudo_Partition channel ends, and multicore modules: a RequiredCores (or air_cores),
 * partition Cores or WindowConfiguration Cores asking for more than one core is the one
 * error of the file, naming that element. Defaults: no AIR_Configuration means 1000 ticks
 * per second (not as in AIR, whose airParser starts from 100); a partition without memory
 * gets 1 MiB; without any HM table every partition gets what AIR's configurator generates
 * (hm.ts configuratorHealthMonitor: IGNORE, IDLE in PARTITION_HM). The architecture is not part of the
 * file (AIR's configurator takes it on its command line).
 *
 * The reader checks structure and values; validateAirConfig makes the configurator's
 * semantic checks (frames, periods, windows, channels) on the result. What of XML's DTD
 * machinery a file may use (internal entities, expanded fully; no external DTDs or entities),
 * and the bounds on nesting, size and entity expansion, are xmlDocument.ts's; the list limits
 * (partitions, schedules, windows, ports, channels) are CONFIG_LIMITS. Nothing here throws:
 * an exception of the XML library is one error line.
 */
import { MINIMUM_PARTITION_MEMORY } from '@paravirt/kernel-core';
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
  AIR_XML_ERROR_CODES,
  type ArincErrorName,
  configuratorHealthMonitor,
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
  /**
   * What the file says that is accepted but ignored, or read with a fallback, each with its
   * path (see the header of this file); never a reason to refuse the file. Present with
   * errors too (they may explain them: a misspelt attribute is a warning, the attribute it
   * should have been a missing one).
   */
  readonly warnings: readonly ConfigError[];
}

const ROOT = 'ARINC_653_Module';
const DEFAULT_TICKS_PER_SECOND = 1000;
const DEFAULT_PARTITION_MEMORY = 1 << 20;
/** As in AIR (air/configurations.py, Configuration.validate_ticks_per_second): 0 < TicksPerSecond <= 50000. */
const AIR_MAX_TICKS_PER_SECOND = 50_000;
/** As in AIR (air/parser.py parse_partition_extensions): a partition without Permissions gets GLOBAL_TIME. */
const DEFAULT_PERMISSIONS: readonly AirPermission[] = ['GLOBAL_TIME'];
const CRITICALITIES = ['LEVEL_A', 'LEVEL_B', 'LEVEL_C', 'LEVEL_D', 'LEVEL_E'];
/** Warnings listed at most; past that, one more says how many were left out. */
const MAX_WARNINGS = 50;
const MULTICORE = 'multicore is not modelled (paravirt simulates one processor)';
/** How AIR's configurator treats what it does not ask for (xml xmlParseTag / xmlParseAttribute). */
const IGNORED_AS_AIR = "ignored, as AIR's configurator ignores it";

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

/** A whole number as AIR's str2int reads one (decimal or 0x hexadecimal), or undefined. */
function wholeNumber(value: string): number | undefined {
  const match = /^\s*(0[xX][0-9a-fA-F]+|\d+)\s*$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** A core list as AIR's str2intList reads one ("0", "0;1;2"), or undefined if an entry is not a number. */
function coreList(value: string): number[] | undefined {
  const entries = value
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const cores = entries.map(wholeNumber);
  return cores.every((core): core is number => core !== undefined) ? cores : undefined;
}

class Reader {
  readonly errors: ConfigError[] = [];
  private readonly warningList: ConfigError[] = [];
  private warningsLeftOut = 0;
  private readonly reported = new Set<string>();

  constructor(private readonly entities: EntityTable) {}

  fail(path: string, message: string): undefined {
    const key = `error\n${path}\n${message}`;
    if (!this.reported.has(key)) this.errors.push({ path, message });
    this.reported.add(key);
    return undefined;
  }

  warn(path: string, message: string): void {
    const key = `warning\n${path}\n${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (this.warningList.length < MAX_WARNINGS) this.warningList.push({ path, message });
    else this.warningsLeftOut++;
  }

  get warnings(): readonly ConfigError[] {
    if (this.warningsLeftOut === 0) return this.warningList;
    return [...this.warningList, { path: ROOT, message: `${this.warningsLeftOut} more warning${this.warningsLeftOut > 1 ? 's' : ''} not listed` }];
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

  /** The first `name` child, if any: as in AIR (xml xmlParseTag with maxAllowed 1), more than one is a warning and the first is read. */
  single(element: XmlElement, name: string, path: string): XmlElement | undefined {
    const list = this.children(element, name);
    if (list.length > 1) this.warn(`${path}.${name}`, `appears ${list.length} times; only the first is read, as AIR's configurator reads it`);
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

  /**
   * Warns about attributes and child elements that are in none of the lists: AIR's
   * configurator reads what it asks for by name and ignores the rest (xml xmlParseTag,
   * xmlParseAttribute), so do we, saying so. `silent` names what AIR reads and paravirt
   * ignores without a word; xmlns / xsi attributes and Description are always fine.
   */
  shape(element: XmlElement, path: string, attributes: readonly string[], children: readonly string[], silent: readonly string[] = []): void {
    const owner = path.split('.').at(-1)!.replace(/\[\d+\]$/, '');
    for (const key of Object.keys(element)) {
      if (key === '#text' || key === '#cdata') continue;
      if (key.startsWith('@_')) {
        const name = key.slice(2);
        if (name === 'Description' || name.startsWith('xmlns') || name.startsWith('xsi:') || attributes.includes(name) || silent.includes(name)) continue;
        this.warn(`${path}.${name}`, `unknown attribute of ${owner}: ${IGNORED_AS_AIR}`);
      } else if (!children.includes(key) && !silent.includes(key)) {
        this.warn(`${path}.${displayName(key)}`, `unknown element inside ${owner}: ${IGNORED_AS_AIR}`);
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
    const number = wholeNumber(value);
    if (number === undefined) return this.fail(`${path}.${name}`, `${quote(value)} is not a whole number (decimal or 0x hexadecimal)`);
    if (!Number.isSafeInteger(number) || number > max) return this.fail(`${path}.${name}`, `${quote(value)} is too large (at most ${max})`);
    return number;
  }

  /**
   * A boolean as AIR reads one (utils/parser.py str2bool): "true" or "false" in any letter
   * case, nothing else ("1", " true" are not). Anything else is, as in AIR's
   * xml xmlParseAttribute, an error where AIR has no default, and a warning and the
   * default where it has one (`fallback`).
   */
  boolean(element: XmlElement, name: string, path: string, fallback?: boolean): boolean | undefined {
    const value = this.attribute(element, name, path);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (fallback === undefined) return this.fail(`${path}.${name}`, `${quote(value)} is not a boolean (true or false, in any letter case)`);
    this.warn(`${path}.${name}`, `${quote(value)} is not a boolean (true or false, in any letter case): read as ${fallback}, as AIR's configurator reads it`);
    return fallback;
  }

  /** A core count (Cores, RequiredCores): as in AIR (air/configurations.py validate_core_count, default 1), one that is not a count is a warning and 1. */
  cores(element: XmlElement, name: string, path: string): void {
    const value = this.attribute(element, name, path);
    if (value === undefined) return;
    const count = wholeNumber(value);
    if (count === undefined || count < 1) this.warn(`${path}.${name}`, `${quote(value)} is not a number of cores: read as 1, as AIR's configurator reads it`);
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

  /** One of a list of words; `fallback` as in boolean (AIR's default, with a warning). */
  choice<T extends string>(element: XmlElement, name: string, path: string, check: (value: string) => value is T, allowed: string, fallback?: T): T | undefined {
    const value = this.attribute(element, name, path);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (check(trimmed)) return trimmed;
    if (fallback === undefined) return this.fail(`${path}.${name}`, `${quote(value)} is not one of ${allowed}`);
    this.warn(`${path}.${name}`, `${quote(value)} is not one of ${allowed}: read as ${fallback}, as AIR's configurator reads it`);
    return fallback;
  }
}

interface PartitionDraft {
  id: number;
  name: string;
  system: boolean;
  memorySize: number | undefined;
  memoryFromRequirements: number | undefined;
  /** Where the memory size was given (Memory Size, or the Partition_Memory element). */
  memoryPath: string | undefined;
  permissions: AirPermission[];
  ports: AirPortConfig[];
  /** Paths of the ports, in the order of `ports` (for the unused-port check). */
  portPaths: string[];
  path: string;
}

/** Reads ARINC 653 / AIR XML. `config` is present when the file could be read (it may still fail validateAirConfig). */
export function readAirXml(text: string): AirXmlResult {
  const tooLong = fileTooLong(text);
  if (tooLong) return { errors: [tooLong], warnings: [] };
  const prepared = prepareXml(text);
  if ('error' in prepared) return { errors: [prepared.error], warnings: [] };
  let document: XmlElement;
  try {
    const valid = XMLValidator.validate(prepared.xml.text);
    if (valid !== true) return { errors: [{ path: `line ${valid.err.line}`, message: oneLine(valid.err.msg) }], warnings: [] };
    document = parser.parse(prepared.xml.text) as XmlElement;
  } catch (error) {
    // The XML library's own refusals (and anything unforeseen) end as one line, never a stack trace.
    return { errors: [{ path: '(file)', message: `cannot read the XML: ${oneLine(error instanceof Error ? error.message.split('\n')[0]! : String(error))}` }], warnings: [] };
  }
  return readDocument(document, prepared.xml.entities);
}

/**
 * The one refusal of a multicore module: the first element that asks for more than one core,
 * looked for before anything else so that it is the file's only error. What counts is what
 * AIR's configurator reads: the module's core count (AIR_Configuration RequiredCores, else
 * the older air_module_ext air_cores: air parse_module_extensions), a partition's
 * PartitionConfiguration Cores and the cores a WindowConfiguration puts a window on (air
 * parse_partition_extensions, parse_window_extensions).
 */
function multicoreRequest(probe: Reader, module: XmlElement): ConfigError | undefined {
  const count = (element: XmlElement, name: string, path: string): number | undefined => {
    const value = probe.attribute(element, name, path);
    return value === undefined ? undefined : wholeNumber(value);
  };
  const air = probe.children(module, 'AIR_Configuration')[0];
  const old = probe.children(module, 'air_module_ext')[0];
  const [moduleElement, moduleTag, moduleAttribute] = air ? [air, 'AIR_Configuration', 'RequiredCores'] : [old, 'air_module_ext', 'air_cores'];
  if (moduleElement) {
    const cores = count(moduleElement, moduleAttribute, `${ROOT}.${moduleTag}`);
    if (cores !== undefined && cores > 1) return { path: `${ROOT}.${moduleTag}.${moduleAttribute}`, message: `the module asks for ${cores} cores: ${MULTICORE}` };
  }
  const partitions = probe.children(module, 'Partition');
  for (const [index, partition] of partitions.entries()) {
    const configuration = probe.children(partition, 'PartitionConfiguration')[0];
    if (!configuration) continue;
    const path = `${ROOT}.Partition[${index}].PartitionConfiguration`;
    const cores = count(configuration, 'Cores', path);
    const name = probe.attribute(partition, 'PartitionName', `${ROOT}.Partition[${index}]`);
    if (cores !== undefined && cores > 1) return { path: `${path}.Cores`, message: `partition ${name === undefined ? index : quote(name)} asks for ${cores} cores: ${MULTICORE}` };
  }
  for (const [scheduleIndex, schedule] of probe.children(module, 'Module_Schedule').entries()) {
    for (const [entryIndex, entry] of probe.children(schedule, 'Partition_Schedule').entries()) {
      for (const [index, extension] of probe.children(entry, 'WindowConfiguration').entries()) {
        const path = `${ROOT}.Module_Schedule[${scheduleIndex}].Partition_Schedule[${entryIndex}].WindowConfiguration[${index}]`;
        const value = probe.attribute(extension, 'Cores', path);
        const cores = value === undefined ? undefined : coreList(value);
        if (value === undefined || cores === undefined || !cores.some((core) => core > 0)) continue;
        const window = probe.attribute(extension, 'WindowIdentifier', path);
        return { path: `${path}.Cores`, message: `window ${window ?? index} asks for core${cores.length > 1 ? 's' : ''} ${quote(value)}: ${MULTICORE}` };
      }
    }
  }
  return undefined;
}

function readDocument(document: XmlElement, entities: EntityTable): AirXmlResult {
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== ROOT) return { errors: [{ path: roots.map(displayName).join(', ') || '(document)', message: `the root element must be ${ROOT}` }], warnings: [] };
  const reader = new Reader(entities);
  const modules = reader.children(document, ROOT);
  if (modules.length !== 1) return { errors: [{ path: ROOT, message: 'the document must have exactly one ARINC_653_Module' }], warnings: [] };
  const module = modules[0]!;
  const multicore = multicoreRequest(new Reader(entities), module);
  if (multicore) return { errors: [multicore], warnings: [] };
  reader.shape(
    module,
    ROOT,
    ['ModuleName'],
    ['Partition', 'Partition_Memory', 'Module_Schedule', 'System_HM_Table', 'Module_HM_Table', 'Partition_HM_Table', 'Connection_Table', 'AIR_Configuration', 'air_module_ext', 'SharedMemory'],
    ['ModuleVersion', 'ModuleId'],
  );
  reader.children(module, 'SharedMemory').forEach((_area, index) => {
    // AIR maps these areas into the partitions that name them (air parse_shared_memory); paravirt's partitions share nothing.
    reader.warn(`${ROOT}.SharedMemory[${index}]`, 'shared memory areas are not modelled: ignored (the partitions get no shared area)');
  });

  const partitionCount = reader.children(module, 'Partition').length;
  if (partitionCount > CONFIG_LIMITS.partitions) {
    // Everything else names partitions: one error, not one per reference to a partition not read.
    return { errors: [{ path: `${ROOT}.Partition`, message: `${partitionCount} partitions; at most ${CONFIG_LIMITS.partitions} are supported` }], warnings: [] };
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
      reader.shape(requirement, requirementPath, ['SizeBytes'], [], ['Type', 'Access', 'PhysicalAddress', 'RegionName']);
      total += reader.integer(requirement, 'SizeBytes', requirementPath, true) ?? 0;
    });
    const partition = partitions.find((candidate) => candidate.name === name);
    if (!partition) return;
    const sum = (partition.memoryFromRequirements ?? 0) + total;
    if (partition.memorySize !== undefined) reader.fail(path, `the memory of partition ${partition.name} is also given by its PartitionConfiguration Memory element`);
    else if (!Number.isSafeInteger(sum)) reader.fail(path, `the memory requirements of partition ${partition.name} add up to more than ${Number.MAX_SAFE_INTEGER} bytes`);
    else {
      partition.memoryFromRequirements = sum;
      partition.memoryPath = path;
    }
  });
  for (const partition of partitions) {
    const size = partition.memorySize ?? partition.memoryFromRequirements;
    if (size === undefined || size === 0 || size >= MINIMUM_PARTITION_MEMORY || partition.memoryPath === undefined) continue;
    // AIR maps partitions in pages of a few KiB (Memory Unit); a paravirt partition holds an application and its executive.
    reader.warn(partition.memoryPath, `${size} bytes, read as 64KiB: AIR sizes a partition for its own program, a paravirt partition runs an application and has at least 64KiB`);
    if (partition.memorySize !== undefined) partition.memorySize = MINIMUM_PARTITION_MEMORY;
    else partition.memoryFromRequirements = MINIMUM_PARTITION_MEMORY;
  }

  const scheduleElements = reader.boundedChildren(module, 'Module_Schedule', ROOT, CONFIG_LIMITS.schedules, 'schedules');
  // As in AIR (a653 parse: xmlParseTag with minRequired 1): at least one Partition and one Module_Schedule.
  if (partitionCount === 0) reader.fail(`${ROOT}.Partition`, 'missing: a module needs at least one Partition');
  if (reader.children(module, 'Module_Schedule').length === 0) reader.fail(`${ROOT}.Module_Schedule`, 'missing: a module needs at least one Module_Schedule');
  const schedules = scheduleElements.map((element, index) => readSchedule(reader, element, `${ROOT}.Module_Schedule[${index}]`, index, scheduleElements.length, resolve));

  const connectionTable = reader.single(module, 'Connection_Table', ROOT);
  const channels: AirChannelConfig[] = [];
  /** Ports some Standard_Partition names: as in AIR (a653 parse), a port no channel uses is an error. */
  const connected = new Set<string>();
  if (connectionTable) {
    const tablePath = `${ROOT}.Connection_Table`;
    reader.shape(connectionTable, tablePath, [], ['Channel']);
    reader.boundedChildren(connectionTable, 'Channel', tablePath, CONFIG_LIMITS.channels, 'channels').forEach((element, index) => {
      const channel = readChannel(reader, element, `${tablePath}.Channel[${index}]`, resolve, connected);
      if (channel) channels.push(channel);
    });
  }
  for (const partition of partitions) {
    partition.ports.forEach((port, index) => {
      if (!connected.has(`${partition.name}\n${port.name}`)) reader.fail(partition.portPaths[index]!, `port ${quote(port.name)} is in no channel of the Connection_Table (AIR's configurator refuses unused ports)`);
    });
  }

  const healthMonitor = readHealthMonitor(reader, module, resolve, partitions.map((partition) => partition.name));
  const kernelTick = readModuleExtensions(reader, module);

  const name = reader.attribute(module, 'ModuleName', ROOT);
  if (reader.errors.length > 0) return { errors: reader.errors, warnings: reader.warnings };
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
  return { config, errors: [], warnings: reader.warnings };
}

/**
 * The kernel tick from AIR_Configuration, or from the older air_module_ext that AIR still
 * reads with a deprecation warning (air parse_old_module_extension); when both are there,
 * AIR_Configuration wins, as air parse_module_extensions reads it second. Core counts were
 * checked by multicoreRequest; here one that is not a count is a warning.
 */
function readModuleExtensions(reader: Reader, module: XmlElement): Nanoseconds {
  let kernelTick: Nanoseconds = 1_000_000_000 / DEFAULT_TICKS_PER_SECOND;
  const ticks = (element: XmlElement, attribute: string, path: string): void => {
    const value = reader.integer(element, attribute, path, true);
    if (value === undefined) return;
    const most = 1_000_000_000 / CONFIG_LIMITS.minKernelTick;
    if (value < 1 || 1_000_000_000 % value !== 0) reader.fail(`${path}.${attribute}`, `${value} ticks per second is not a whole number of nanoseconds per tick`);
    else if (value > most) reader.fail(`${path}.${attribute}`, `${value} ticks per second: at most ${most} are supported (a kernel tick of at least 10us)`);
    else if (value > AIR_MAX_TICKS_PER_SECOND) reader.fail(`${path}.${attribute}`, `${value} ticks per second: AIR's configurator takes at most ${AIR_MAX_TICKS_PER_SECOND}`);
    else kernelTick = 1_000_000_000 / value;
  };
  const old = reader.single(module, 'air_module_ext', ROOT);
  if (old) {
    const path = `${ROOT}.air_module_ext`;
    reader.warn(path, "deprecated AIR extension (AIR_Configuration replaces it): read as AIR's configurator reads it");
    reader.shape(old, path, ['air_ticks_per_second', 'air_cores'], []);
    ticks(old, 'air_ticks_per_second', path);
    reader.cores(old, 'air_cores', path);
  }
  const air = reader.single(module, 'AIR_Configuration', ROOT);
  if (air) {
    const path = `${ROOT}.AIR_Configuration`;
    // Target lists the boards the module is meant for; paravirt's board is --arch.
    reader.shape(air, path, ['TicksPerSecond', 'RequiredCores'], [], ['Target']);
    ticks(air, 'TicksPerSecond', path);
    reader.cores(air, 'RequiredCores', path);
  }
  return kernelTick;
}

function readPartition(reader: Reader, element: XmlElement, path: string): PartitionDraft {
  reader.shape(element, path, ['PartitionIdentifier', 'PartitionName', 'Criticality', 'SystemPartition'], ['PartitionConfiguration', 'Sampling_Port', 'Queuing_Port'], ['EntryPoint']);
  const draft: PartitionDraft = {
    id: reader.integer(element, 'PartitionIdentifier', path, true) ?? -1,
    name: reader.required(element, 'PartitionName', path) ?? '',
    // No default in AIR (a653 parse_partition): a value that is not a boolean is an error.
    system: reader.boolean(element, 'SystemPartition', path) ?? false,
    memorySize: undefined,
    memoryFromRequirements: undefined,
    memoryPath: undefined,
    permissions: [...DEFAULT_PERMISSIONS],
    ports: [],
    portPaths: [],
    path,
  };
  // As in AIR (a653/definitions.py VALID_CRITICALITY_TYPE): LEVEL_A to LEVEL_E; it has no effect here.
  const criticality = reader.attribute(element, 'Criticality', path);
  if (criticality !== undefined && !CRITICALITIES.includes(criticality)) reader.fail(`${path}.Criticality`, `${quote(criticality)} is not one of ${CRITICALITIES.join(', ')}`);
  const configuration = reader.single(element, 'PartitionConfiguration', path);
  if (!configuration) {
    // AIR requires it (air parse_partition_extensions: xmlParseTag with minRequired 1); its defaults are ours.
    reader.warn(`${path}.PartitionConfiguration`, "missing: AIR's configurator requires it to build the partition; AIR's defaults used (one core, 1 MiB, permission GLOBAL_TIME)");
  } else {
    const configurationPath = `${path}.PartitionConfiguration`;
    reader.shape(configuration, configurationPath, ['Cores', 'IOP'], ['Memory', 'Permissions'], ['Personality', 'Libs', 'Devices', 'Cache']);
    if (!reader.has(configuration, 'Personality')) {
      reader.warn(`${configurationPath}.Personality`, "missing: AIR's configurator requires it (the partition's operating system); paravirt runs the application --app names");
    }
    reader.cores(configuration, 'Cores', configurationPath);
    const iop = reader.attribute(configuration, 'IOP', configurationPath);
    if (iop !== undefined) {
      // AIR generates an I/O partition from this file (air parse_other, IOParser); paravirt has no I/O partitions.
      reader.warn(`${configurationPath}.IOP`, `I/O partitions are not modelled: ${quote(iop)} is ignored (the partition runs without its devices)`);
    }
    const memory = reader.single(configuration, 'Memory', configurationPath);
    if (memory) {
      const memoryPath = `${configurationPath}.Memory`;
      reader.shape(memory, memoryPath, ['Size'], [], ['Unit']);
      const size = reader.integer(memory, 'Size', memoryPath, true);
      // As in AIR (air/configurations.py validate_size): more than 0.
      if (size === 0) reader.fail(`${memoryPath}.Size`, 'must be more than 0 bytes');
      else if (size !== undefined) {
        draft.memorySize = size;
        draft.memoryPath = `${memoryPath}.Size`;
      }
    }
    const permissions = reader.single(configuration, 'Permissions', configurationPath);
    if (permissions) {
      const permissionsPath = `${configurationPath}.Permissions`;
      draft.permissions = [];
      const words = reader.text(permissions, permissionsPath).split(/[;,\s]+/).filter((word) => word.length > 0);
      for (const word of words) {
        // As in AIR (air parse_partition_extensions): an unknown permission is dropped with a warning.
        if (!isAirPermission(word)) reader.warn(permissionsPath, `unknown permission ${quote(word)}: dropped, as AIR's configurator drops it`);
        else if (!draft.permissions.includes(word)) draft.permissions.push(word);
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
      draft.portPaths.push(portPath);
    }
  });
  reader.children(element, 'Queuing_Port').forEach((port, index) => {
    const portPath = `${path}.Queuing_Port[${index}]`;
    reader.shape(port, portPath, ['Name', 'MaxMessageSize', 'Direction', 'MaxNbMessages'], [], ['Discipline']);
    const name = reader.required(port, 'Name', portPath);
    const size = reader.integer(port, 'MaxMessageSize', portPath, true);
    const direction = readDirection(reader, port, portPath);
    const messages = reader.integer(port, 'MaxNbMessages', portPath, true, 65536);
    if (name !== undefined && size !== undefined && direction !== undefined && messages !== undefined) {
      draft.ports.push({ name, kind: 'queuing', direction, maxMessageSize: size, maxMessages: messages, refreshPeriod: 0 });
      draft.portPaths.push(portPath);
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
  scheduleCount: number,
  resolve: (element: XmlElement, path: string) => string | undefined,
): AirScheduleConfig | undefined {
  reader.shape(element, path, ['ScheduleIdentifier', 'ScheduleName', 'InitialModuleSchedule', 'MajorFrameSeconds'], ['Partition_Schedule']);
  const id = reader.integer(element, 'ScheduleIdentifier', path, false) ?? index;
  const name = reader.attribute(element, 'ScheduleName', path) ?? `schedule${id}`;
  // As in AIR (a653 parse_schedule): required when the module has several schedules, default true.
  if (scheduleCount > 1 && !reader.has(element, 'InitialModuleSchedule')) {
    reader.fail(`${path}.InitialModuleSchedule`, `missing required attribute (the module has ${scheduleCount} Module_Schedule elements)`);
  }
  const initial = reader.boolean(element, 'InitialModuleSchedule', path, true) ?? scheduleCount === 1;
  const majorFrame = reader.seconds(element, 'MajorFrameSeconds', path);
  let windowCount = 0;
  const partitionSchedules = reader.children(element, 'Partition_Schedule');
  // As in AIR (a653 parse_schedule, parse_partition_schedule): at least one Partition_Schedule, each with a window.
  if (partitionSchedules.length === 0) reader.fail(`${path}.Partition_Schedule`, 'missing: a Module_Schedule needs at least one Partition_Schedule');
  const windowTotal = partitionSchedules.reduce((sum, entry) => sum + reader.children(entry, 'Window_Schedule').length, 0);
  if (windowTotal > CONFIG_LIMITS.windowsPerSchedule) {
    return reader.fail(path, `${windowTotal} windows (Window_Schedule); at most ${CONFIG_LIMITS.windowsPerSchedule} per schedule are supported`);
  }
  const entries = partitionSchedules.map((entry, entryIndex): AirPartitionScheduleConfig | undefined => {
    const entryPath = `${path}.Partition_Schedule[${entryIndex}]`;
    reader.shape(entry, entryPath, ['PartitionIdentifier', 'PartitionName', 'PeriodSeconds', 'PeriodDurationSeconds', 'SetModuleSchedule', 'ScheduleChangeAction'], ['Window_Schedule', 'WindowConfiguration']);
    const partition = resolve(entry, entryPath);
    const period = reader.seconds(entry, 'PeriodSeconds', entryPath);
    const periodDuration = reader.seconds(entry, 'PeriodDurationSeconds', entryPath);
    // Defaults as in AIR (a653 parse_partition_schedule): false and IGNORE, also for values it cannot read.
    const setModuleSchedule = reader.boolean(entry, 'SetModuleSchedule', entryPath, false) ?? false;
    const changeAction: ScheduleChangeAction = reader.choice(entry, 'ScheduleChangeAction', entryPath, isScheduleChangeAction, 'IGNORE, IDLE, WARM_START, COLD_START', 'IGNORE') ?? 'IGNORE';
    const windows = reader.children(entry, 'Window_Schedule').map((window, windowIndex): AirWindowConfig | undefined => {
      const windowPath = `${entryPath}.Window_Schedule[${windowIndex}]`;
      reader.shape(window, windowPath, ['WindowIdentifier', 'WindowStartSeconds', 'WindowDurationSeconds', 'PartitionPeriodStart'], []);
      const windowId = reader.integer(window, 'WindowIdentifier', windowPath, false) ?? windowCount;
      windowCount++;
      const start = reader.seconds(window, 'WindowStartSeconds', windowPath);
      const duration = reader.seconds(window, 'WindowDurationSeconds', windowPath);
      const periodStart = reader.boolean(window, 'PartitionPeriodStart', windowPath, false) ?? false;
      return start === undefined || duration === undefined ? undefined : { id: windowId, start, duration, periodStart };
    });
    if (windows.length === 0) reader.fail(`${entryPath}.Window_Schedule`, 'missing: a Partition_Schedule needs at least one Window_Schedule');
    readWindowConfigurations(reader, entry, entryPath, windows);
    if (partition === undefined || period === undefined || periodDuration === undefined || windows.some((window) => window === undefined)) return undefined;
    return { partition, period, periodDuration, setModuleSchedule, changeAction, windows: windows as AirWindowConfig[] };
  });
  if (majorFrame === undefined || entries.some((entry) => entry === undefined)) return undefined;
  return { id, name, initial, majorFrame, partitions: entries as AirPartitionScheduleConfig[] };
}

/**
 * WindowConfiguration, AIR's extension inside a Partition_Schedule: which cores the window
 * WindowIdentifier of this Partition_Schedule runs on (Cores, a list like "0;1"). As in AIR
 * (air parse_window_extensions): both attributes required, the window must be one of this
 * Partition_Schedule's, and the list holds one core per core of the partition - here always
 * one, core 0 (multicoreRequest refused any other core before). Windows without one run on
 * core 0, as in AIR.
 */
function readWindowConfigurations(reader: Reader, entry: XmlElement, entryPath: string, windows: ReadonlyArray<AirWindowConfig | undefined>): void {
  reader.children(entry, 'WindowConfiguration').forEach((extension, index) => {
    const path = `${entryPath}.WindowConfiguration[${index}]`;
    reader.shape(extension, path, ['WindowIdentifier', 'Cores'], []);
    const id = reader.integer(extension, 'WindowIdentifier', path, true);
    const value = reader.required(extension, 'Cores', path);
    if (value !== undefined) {
      const cores = coreList(value);
      if (cores === undefined || cores.length === 0) reader.fail(`${path}.Cores`, `${quote(value)} is not a list of core numbers (e.g. "0" or "0;1")`);
      else if (cores.length !== 1) reader.fail(`${path}.Cores`, `${quote(value)} names ${cores.length} cores; the partition runs on one, core 0`);
    }
    if (id !== undefined && windows.every((window) => window === undefined || window.id !== id)) {
      reader.fail(`${path}.WindowIdentifier`, `no Window_Schedule of this Partition_Schedule has WindowIdentifier ${id}`);
    }
  });
}

function readChannel(
  reader: Reader,
  element: XmlElement,
  path: string,
  resolve: (element: XmlElement, path: string) => string | undefined,
  connected: Set<string>,
): AirChannelConfig | undefined {
  reader.shape(element, path, [], ['Source', 'Destination'], ['ChannelIdentifier', 'ChannelName']);
  const end = (container: XmlElement, containerPath: string): AirPortRef[] => {
    reader.shape(container, containerPath, [], ['Standard_Partition', 'Pseudo_Partition']);
    if (reader.children(container, 'Pseudo_Partition').length > 0) reader.fail(`${containerPath}.Pseudo_Partition`, 'pseudo-partitions (devices outside the module) are not modelled');
    return reader.children(container, 'Standard_Partition').flatMap((standard, index) => {
      const standardPath = `${containerPath}.Standard_Partition[${index}]`;
      reader.shape(standard, standardPath, ['PartitionIdentifier', 'PartitionName', 'PortName'], [], ['PhysicalAddress']);
      const partition = resolve(standard, standardPath);
      const port = reader.required(standard, 'PortName', standardPath);
      if (partition !== undefined && port !== undefined) connected.add(`${partition}\n${port}`);
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

/**
 * Error_ID_Level ErrorCode, as in AIR (air parse_system_hm): read only at PROCESS level, and
 * there required and one of AIR's names (hm.ts AIR_XML_ERROR_CODES: POWER_FAILURE, not
 * ARINC's POWER_FAIL). At the other levels AIR does not look at it; a name it would take
 * still names the event here, anything else is a warning.
 */
function readErrorCode(reader: Reader, entry: XmlElement, path: string, level: string | undefined): ArincErrorName | undefined {
  const value = reader.attribute(entry, 'ErrorCode', path);
  const allowed = [...AIR_XML_ERROR_CODES.keys()].join(', ');
  if (level === 'PROCESS' && value === undefined) {
    if (!reader.has(entry, 'ErrorCode')) reader.fail(`${path}.ErrorCode`, `missing required attribute (ErrorLevel PROCESS names its error: ${allowed})`);
    return undefined;
  }
  if (value === undefined) return undefined;
  const code = AIR_XML_ERROR_CODES.get(value.trim());
  if (code !== undefined) return code;
  const hint = value.trim() === 'POWER_FAIL' ? " (AIR's configurator spells it POWER_FAILURE)" : '';
  if (level === 'PROCESS') return reader.fail(`${path}.ErrorCode`, `${quote(value)} is not one of ${allowed}${hint}`);
  reader.warn(`${path}.ErrorCode`, `${quote(value)} is not one of ${allowed}${hint}: ignored, as AIR's configurator reads ErrorCode only at ErrorLevel PROCESS`);
  return undefined;
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
  // No tables: what AIR's configurator generates (IGNORE; IDLE for errors in the partition's HM).
  if (!systemTable && !moduleTable && partitionTables.length === 0) return configuratorHealthMonitor(partitionNames);

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
      const errorCode = readErrorCode(reader, entry, entryPath, level);
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
