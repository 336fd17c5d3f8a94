import { describe, expect, it } from 'vitest';
import { isAirXml, readAirXml } from './airXml.js';
import { validateAirConfig } from './config.js';
import { AirError, configuratorHealthMonitor, HealthMonitorTables, SystemState } from './hm.js';
import { fixtureText, MS } from './internal/harness.js';

const module = (body: string, attributes = '') => `<?xml version="1.0"?>\n<ARINC_653_Module ModuleName="m"${attributes}>\n${body}\n</ARINC_653_Module>\n`;
const minimalPartition = `<Partition PartitionIdentifier="1" PartitionName="a"/>`;
const IGNORED = "ignored, as AIR's configurator ignores it";
const MISSING_CONFIGURATION = "missing: AIR's configurator requires it to build the partition; AIR's defaults used (one core, 1 MiB, permission GLOBAL_TIME)";
const minimalSchedule = `<Module_Schedule ScheduleIdentifier="1" ScheduleName="s" MajorFrameSeconds="0.1">
  <Partition_Schedule PartitionName="a" PeriodSeconds="0.1" PeriodDurationSeconds="0.05">
    <Window_Schedule WindowIdentifier="1" WindowStartSeconds="0" WindowDurationSeconds="0.05"/>
  </Partition_Schedule>
</Module_Schedule>`;

describe('readAirXml on the two-schedule fixture', () => {
  const result = readAirXml(fixtureText('two-schedules.xml'));
  const config = result.config!;

  it('reads without errors or warnings and passes the configurator checks', () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(validateAirConfig(config)).toEqual([]);
    expect(config.name).toBe('two-schedules');
    expect(config.kernelTick).toBe(MS);
  });

  it('reads partitions: identifiers, memory, permissions and ports', () => {
    expect(config.partitions.map((p) => [p.id, p.name, p.memorySize, p.system, p.permissions])).toEqual([
      [1, 'ctrl', 0x100000, true, ['SET_PARTITION_MODE', 'MODULE_CONTROL', 'GLOBAL_TIME']],
      [2, 'nav', 0x100000, false, ['FPU_CONTROL']],
      [3, 'payload', 0x100000, false, []],
      [4, 'logger', 0x80000, false, ['SUPERVISOR']],
    ]);
    expect(config.partitions[0]!.ports).toEqual([{ name: 'position', kind: 'sampling', direction: 'destination', maxMessageSize: 16, maxMessages: 1, refreshPeriod: 50 * MS }]);
    expect(config.partitions[2]!.ports).toEqual([{ name: 'records', kind: 'queuing', direction: 'source', maxMessageSize: 32, maxMessages: 2, refreshPeriod: 0 }]);
  });

  it('reads both module schedules with their partition schedules, windows and change actions', () => {
    const [nominal, degraded] = config.schedules;
    expect(nominal).toMatchObject({ id: 1, name: 'nominal', initial: true, majorFrame: 100 * MS });
    expect(degraded).toMatchObject({ id: 2, name: 'degraded', initial: false, majorFrame: 200 * MS });
    expect(nominal!.partitions[1]).toEqual({
      partition: 'nav',
      period: 50 * MS,
      periodDuration: 20 * MS,
      setModuleSchedule: false,
      changeAction: 'IGNORE',
      windows: [
        { id: 102, start: 10 * MS, duration: 20 * MS, periodStart: true },
        { id: 103, start: 50 * MS, duration: 20 * MS, periodStart: true },
      ],
    });
    expect(degraded!.partitions.map((entry) => [entry.partition, entry.setModuleSchedule, entry.changeAction])).toEqual([
      ['ctrl', true, 'IGNORE'],
      ['nav', false, 'WARM_START'],
      ['payload', false, 'IDLE'],
      ['logger', false, 'COLD_START'],
    ]);
    expect(degraded!.partitions[3]!.windows).toEqual([{ id: 205, start: 180 * MS, duration: 10 * MS, periodStart: true }]);
  });

  it('reads the three HM tables and the connection table', () => {
    expect(config.healthMonitor.system).toEqual([
      { state: 3, error: 1, level: 'PARTITION' },
      { state: 3, error: 2, level: 'PARTITION' },
      { state: 3, error: 7, level: 'MODULE' },
      { state: 4, error: 12, level: 'PROCESS', errorCode: 'APPLICATION_ERROR' },
      { state: 4, error: 13, level: 'PROCESS', errorCode: 'DEADLINE_MISSED' },
    ]);
    expect(config.healthMonitor.module).toEqual([{ state: 3, error: 7, action: 'SHUTDOWN' }]);
    expect(config.healthMonitor.partitions).toEqual([
      {
        partition: 'nav',
        entries: [
          { state: 3, error: 1, action: 'COLD_START' },
          { state: 3, error: 2, action: 'IDLE' },
          { state: 4, error: 12, action: 'IGNORE' },
          { state: 4, error: 13, action: 'WARM_START' },
        ],
      },
      { partition: 'payload', entries: [{ state: 3, error: 1, action: 'WARM_START' }] },
    ]);
    expect(config.channels).toEqual([
      { source: { partition: 'nav', port: 'position' }, destinations: [{ partition: 'ctrl', port: 'position' }] },
      { source: { partition: 'payload', port: 'records' }, destinations: [{ partition: 'logger', port: 'records' }] },
    ]);
    expect(config.routes).toEqual([]);
  });
});

describe('readAirXml errors and defaults', () => {
  it('ignores unknown elements and attributes inside known ones, as AIR does, with a warning naming their path', () => {
    const result = readAirXml(
      module(`<Partition PartitionIdentifier="1" PartitionName="a" Colour="blue">
  <PartitionConfiguration Personality="RTEMS5"><Memory Size="0x10000"/><Turbo/></PartitionConfiguration>
  <Process Name="p"/>
</Partition>
${minimalSchedule}
<Extra/>`),
    );
    expect(result.errors).toEqual([]);
    expect(result.config!.partitions[0]!.memorySize).toBe(0x10000);
    expect(result.warnings).toEqual([
      { path: 'ARINC_653_Module.Extra', message: `unknown element inside ARINC_653_Module: ${IGNORED}` },
      { path: 'ARINC_653_Module.Partition[0].Process', message: `unknown element inside Partition: ${IGNORED}` },
      { path: 'ARINC_653_Module.Partition[0].Colour', message: `unknown attribute of Partition: ${IGNORED}` },
      { path: 'ARINC_653_Module.Partition[0].PartitionConfiguration.Turbo', message: `unknown element inside PartitionConfiguration: ${IGNORED}` },
    ]);
  });

  it('reports bad values, bad references and missing attributes with their path; reads what AIR reads with a default as AIR does', () => {
    const result = readAirXml(
      module(`${minimalPartition}
<Partition PartitionIdentifier="x2" PartitionName="b"><PartitionConfiguration Personality="BARE"><Permissions>SET_SCHEDULE; WARP</Permissions></PartitionConfiguration></Partition>
<Module_Schedule ScheduleName="s" MajorFrameSeconds="1/10" InitialModuleSchedule="yes">
  <Partition_Schedule PartitionName="a" PartitionIdentifier="9" PeriodSeconds="0.1" PeriodDurationSeconds="0.05" ScheduleChangeAction="REBOOT">
    <Window_Schedule WindowStartSeconds="0.0000000001" WindowDurationSeconds="0.05"/>
  </Partition_Schedule>
  <Partition_Schedule PeriodSeconds="0.1" PeriodDurationSeconds="0.05"/>
</Module_Schedule>
<AIR_Configuration TicksPerSecond="3" RequiredCores="1"/>`),
    );
    expect(result.errors).toEqual([
      { path: 'ARINC_653_Module.Partition[1].PartitionIdentifier', message: '"x2" is not a whole number (decimal or 0x hexadecimal)' },
      { path: 'ARINC_653_Module.Module_Schedule[0].MajorFrameSeconds', message: '"1/10" is not a number of seconds (e.g. 0.02)' },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].PartitionIdentifier', message: 'no partition has identifier 9' },
      {
        path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].Window_Schedule[0].WindowStartSeconds',
        message: '"0.0000000001": duration "0.0000000001s" is finer than a nanosecond',
      },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[1]', message: 'names no partition (PartitionIdentifier or PartitionName)' },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[1].Window_Schedule', message: 'missing: a Partition_Schedule needs at least one Window_Schedule' },
      { path: 'ARINC_653_Module.AIR_Configuration.TicksPerSecond', message: '3 ticks per second is not a whole number of nanoseconds per tick' },
    ]);
    expect(result.warnings).toEqual([
      { path: 'ARINC_653_Module.Partition[0].PartitionConfiguration', message: MISSING_CONFIGURATION },
      { path: 'ARINC_653_Module.Partition[1].PartitionConfiguration.Permissions', message: 'unknown permission "WARP": dropped, as AIR\'s configurator drops it' },
      { path: 'ARINC_653_Module.Module_Schedule[0].InitialModuleSchedule', message: '"yes" is not a boolean (true or false, in any letter case): read as true, as AIR\'s configurator reads it' },
      {
        path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].ScheduleChangeAction',
        message: '"REBOOT" is not one of IGNORE, IDLE, WARM_START, COLD_START: read as IGNORE, as AIR\'s configurator reads it',
      },
    ]);
  });

  it('reports XML syntax errors with their line and a wrong root element', () => {
    expect(readAirXml('<ARINC_653_Module>\n  <Partition>\n</ARINC_653_Module>').errors).toEqual([
      { path: 'line 3', message: "Expected closing tag 'Partition' (opened in line 2, col 3) instead of closing tag 'ARINC_653_Module'." },
    ]);
    expect(readAirXml('<pok><partitions/></pok>').errors).toEqual([{ path: 'pok', message: 'the root element must be ARINC_653_Module' }]);
  });

  it('refuses pseudo-partition channel ends', () => {
    const result = readAirXml(
      module(`<Partition PartitionIdentifier="1" PartitionName="a"><Queuing_Port Name="out" MaxMessageSize="8" Direction="SOURCE" MaxNbMessages="2"/></Partition>
${minimalSchedule}
<Connection_Table><Channel ChannelIdentifier="1">
  <Source><Standard_Partition PartitionName="a" PortName="out"/></Source>
  <Destination><Pseudo_Partition Name="dev" PhysicalAddress="0x80000100"/></Destination>
</Channel></Connection_Table>`),
    );
    expect(result.errors).toEqual([
      { path: 'ARINC_653_Module.Connection_Table.Channel[0].Destination[0].Pseudo_Partition', message: 'pseudo-partitions (devices outside the module) are not modelled' },
    ]);
  });

  it('applies AIR defaults: 1000 ticks/s, 1 MiB partitions, ARINC Partition_Memory sizes, default HM tables', () => {
    const result = readAirXml(
      module(`${minimalPartition}
<Partition PartitionIdentifier="2" PartitionName="b"/>
<Partition_Memory PartitionName="b">
  <Memory_Requirements Type="CODE" SizeBytes="0x20000" Access="READ_ONLY"/>
  <Memory_Requirements Type="DATA" SizeBytes="0x30000" Access="READ_WRITE"/>
</Partition_Memory>
${minimalSchedule}
<SharedMemory Id="1" Name="shm" Size="0x1000"/>`),
    );
    expect(result.errors).toEqual([]);
    const config = result.config!;
    expect(config.kernelTick).toBe(MS);
    expect(config.partitions.map((p) => p.memorySize)).toEqual([1 << 20, 0x50000]);
    // No HM table: what AIR's configurator completes a table with (__complete_table) - IGNORE
    // in the partition states up to PARTITION_PROC, IDLE for an error in the partition's HM.
    expect(config.healthMonitor).toEqual(configuratorHealthMonitor(['a', 'b']));
    const tables = new HealthMonitorTables(config.healthMonitor);
    expect(tables.decide('a', SystemState.PARTITION_PROC, AirError.SEGMENTATION_ERROR).action).toBe('IGNORE');
    expect(tables.decide('a', SystemState.PARTITION_INIT, AirError.VIOLATION_ERROR).action).toBe('IGNORE');
    expect(tables.decide('b', SystemState.PARTITION_HM, AirError.USR0_ERROR).action).toBe('IDLE');
    // b is not scheduled: legal, it just never runs.
    expect(validateAirConfig(config)).toEqual([]);
  });

  it('never throws: every truncation of the fixture and odd documents come back as errors', () => {
    const full = fixtureText('two-schedules.xml');
    for (let cut = 0; cut < full.length; cut += 97) {
      const prefix = full.slice(0, cut);
      if (prefix.includes('</ARINC_653_Module>')) continue;
      const result = readAirXml(prefix);
      expect(result.config).toBeUndefined();
      expect(result.errors.length).toBeGreaterThan(0);
    }
    for (const odd of ['garbage', '<a/><b/>', '<ARINC_653_Module><ARINC_653_Module/></ARINC_653_Module>', '<ARINC_653_Module><Module_Schedule><Partition_Schedule/></Module_Schedule></ARINC_653_Module>']) {
      expect(readAirXml(odd).errors.length).toBeGreaterThan(0);
    }
    expect(readAirXml('<ARINC_653_Module><Partition/></ARINC_653_Module>').errors).toEqual([
      { path: 'ARINC_653_Module.Partition[0].PartitionIdentifier', message: 'missing required attribute' },
      { path: 'ARINC_653_Module.Partition[0].PartitionName', message: 'missing required attribute' },
      { path: 'ARINC_653_Module.Module_Schedule', message: 'missing: a module needs at least one Module_Schedule' },
    ]);
  });

  it('tells ARINC 653 XML from other formats by content', () => {
    expect(isAirXml(fixtureText('two-schedules.xml'))).toBe(true);
    expect(isAirXml('<ARINC_653_Module/>')).toBe(true);
    expect(isAirXml('kernel:\n  scheduler: {}\n')).toBe(false);
    expect(isAirXml('<?xml version="1.0"?><pok/>')).toBe(false);
  });
});

/**
 * AIR's own constructs, as its configurator reads them (air/tools/configurator/parsers/a653/parser.py,
 * parsers/air/parser.py, utils/xml_parser.py): a two-partition module written the way AIR's
 * examples are, with `extra` replacing parts of it.
 */
function airStyle(replace: Readonly<Record<string, string>> = {}): string {
  let text = `<?xml version="1.0" encoding="UTF-8"?>
<ARINC_653_Module ModuleName="airstyle">
  <Partition PartitionIdentifier="1" PartitionName="left" Criticality="LEVEL_B" SystemPartition="FALSE" EntryPoint="main">
    <Sampling_Port Name="OUT" Direction="SOURCE" MaxMessageSize="64" RefreshRateSeconds="0.5"/>
    <PartitionConfiguration Personality="RTEMS5" Cores="1">
      <Libs>LIBAIR; LIBPRINTF</Libs>
      <Cache>CODE</Cache>
      <Memory Size="0x200000" Unit="0x1000"/>
      <Permissions>SET_PARTITION_MODE; GLOBAL_TIME;</Permissions>
    </PartitionConfiguration>
  </Partition>
  <Partition PartitionIdentifier="2" PartitionName="right" Criticality="LEVEL_C" SystemPartition="True" EntryPoint="main">
    <Sampling_Port Name="IN" Direction="DESTINATION" MaxMessageSize="64" RefreshRateSeconds="0.5"/>
    <PartitionConfiguration Personality="Bare" Cores="1">
      <Memory Size="0x100000"/>
    </PartitionConfiguration>
  </Partition>
  <Module_Schedule ScheduleIdentifier="7" ScheduleName="only" MajorFrameSeconds="0.2">
    <Partition_Schedule PartitionIdentifier="1" PartitionName="left" PeriodSeconds="0.1" PeriodDurationSeconds="0.05" SetModuleSchedule="TRUE">
      <Window_Schedule WindowIdentifier="11" WindowStartSeconds="0.0" WindowDurationSeconds="0.05" PartitionPeriodStart="True"/>
      <Window_Schedule WindowIdentifier="12" WindowStartSeconds="0.1" WindowDurationSeconds="0.05" PartitionPeriodStart="true"/>
      <WindowConfiguration WindowIdentifier="11" Cores="0"/>
      <WindowConfiguration WindowIdentifier="12" Cores="0"/>
    </Partition_Schedule>
    <Partition_Schedule PartitionIdentifier="2" PartitionName="right" PeriodSeconds="0.2" PeriodDurationSeconds="0.1">
      <Window_Schedule WindowIdentifier="21" WindowStartSeconds="0.05" WindowDurationSeconds="0.05" PartitionPeriodStart="False"/>
      <Window_Schedule WindowIdentifier="22" WindowStartSeconds="0.15" WindowDurationSeconds="0.05"/>
      <WindowConfiguration WindowIdentifier="21" Cores="0"/>
    </Partition_Schedule>
  </Module_Schedule>
  <Connection_Table>
    <Channel ChannelIdentifier="1" ChannelName="link">
      <Source><Standard_Partition PartitionIdentifier="1" PartitionName="left" PortName="OUT"/></Source>
      <Destination><Standard_Partition PartitionIdentifier="2" PartitionName="right" PortName="IN"/></Destination>
    </Channel>
  </Connection_Table>
  <AIR_Configuration TicksPerSecond="200" RequiredCores="1"/>
</ARINC_653_Module>
`;
  for (const [from, to] of Object.entries(replace)) {
    if (!text.includes(from)) throw new Error(`airStyle: no ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

const SCHEDULE = 'ARINC_653_Module.Module_Schedule[0]';
const CONFIGURATION = 'ARINC_653_Module.Partition[0].PartitionConfiguration';

describe('readAirXml: AIR constructs, as AIR\'s configurator reads them', () => {
  it('reads an AIR-style module without errors or warnings: WindowConfiguration on core 0, booleans in any letter case', () => {
    const result = readAirXml(airStyle());
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const config = result.config!;
    expect(validateAirConfig(config)).toEqual([]);
    expect(config.kernelTick).toBe(5 * MS);
    expect(config.partitions.map((p) => [p.name, p.system, p.memorySize, p.permissions])).toEqual([
      ['left', false, 0x200000, ['SET_PARTITION_MODE', 'GLOBAL_TIME']],
      ['right', true, 0x100000, ['GLOBAL_TIME']],
    ]);
    const [left, right] = config.schedules[0]!.partitions;
    // A single schedule is the initial one (AIR's default for InitialModuleSchedule).
    expect(config.schedules[0]!.initial).toBe(true);
    expect(left!.setModuleSchedule).toBe(true);
    expect(left!.windows.map((w) => [w.id, w.start / MS, w.periodStart])).toEqual([
      [11, 0, true],
      [12, 100, true],
    ]);
    expect(right!.windows.map((w) => [w.id, w.periodStart])).toEqual([
      [21, false],
      [22, false],
    ]);
  });

  it('WindowConfiguration: names a window of its Partition_Schedule, with one core, core 0', () => {
    const result = readAirXml(
      airStyle({
        '<WindowConfiguration WindowIdentifier="12" Cores="0"/>': '<WindowConfiguration WindowIdentifier="21" Cores="0"/><WindowConfiguration WindowIdentifier="11"/><WindowConfiguration WindowIdentifier="12" Cores="zero"/><WindowConfiguration WindowIdentifier="12" Cores="0;0"/>',
      }),
    );
    const at = `${SCHEDULE}.Partition_Schedule[0].WindowConfiguration`;
    expect(result.errors).toEqual([
      { path: `${at}[1].WindowIdentifier`, message: 'no Window_Schedule of this Partition_Schedule has WindowIdentifier 21' },
      { path: `${at}[2].Cores`, message: 'missing required attribute' },
      { path: `${at}[3].Cores`, message: '"zero" is not a list of core numbers (e.g. "0" or "0;1")' },
      { path: `${at}[4].Cores`, message: '"0;0" names 2 cores; the partition runs on one, core 0' },
    ]);
  });

  it('accepts, with a warning, what AIR ignores or paravirt does not model: Mode, IOP, SharedMemory, LogbookSystem', () => {
    const result = readAirXml(
      airStyle({
        '<PartitionConfiguration Personality="RTEMS5" Cores="1">': '<PartitionConfiguration Personality="RTEMS5" Cores="1" Mode="source" IOP="iop.xml">',
        '<Connection_Table>': '<SharedMemory Id="1" Name="area" Size="0x1000"><PartitionAccess PartitionIdentifier="1" Permissions="RW"/></SharedMemory>\n  <LogbookSystem Name="log"/>\n  <Connection_Table>',
      }),
    );
    expect(result.errors).toEqual([]);
    expect(result.config).toBeDefined();
    expect(result.warnings).toEqual([
      { path: 'ARINC_653_Module.LogbookSystem', message: `unknown element inside ARINC_653_Module: ${IGNORED}` },
      { path: 'ARINC_653_Module.SharedMemory[0]', message: 'shared memory areas are not modelled: ignored (the partitions get no shared area)' },
      { path: `${CONFIGURATION}.Mode`, message: `unknown attribute of PartitionConfiguration: ${IGNORED}` },
      { path: `${CONFIGURATION}.IOP`, message: 'I/O partitions are not modelled: "iop.xml" is ignored (the partition runs without its devices)' },
    ]);
  });

  it('reads booleans as AIR does: true/false in any case; other values are an error without a default, a warning and the default with one', () => {
    const ok = readAirXml(airStyle({ 'SystemPartition="FALSE"': 'SystemPartition="tRuE"', 'SetModuleSchedule="TRUE"': 'SetModuleSchedule="False"' }));
    expect(ok.errors).toEqual([]);
    expect(ok.config!.partitions[0]!.system).toBe(true);
    expect(ok.config!.schedules[0]!.partitions[0]!.setModuleSchedule).toBe(false);

    const bad = readAirXml(airStyle({ 'SystemPartition="FALSE"': 'SystemPartition="1"', 'SetModuleSchedule="TRUE"': 'SetModuleSchedule="yes"', 'PartitionPeriodStart="True"': 'PartitionPeriodStart="1"' }));
    expect(bad.errors).toEqual([{ path: 'ARINC_653_Module.Partition[0].SystemPartition', message: '"1" is not a boolean (true or false, in any letter case)' }]);
    expect(bad.warnings).toEqual([
      { path: `${SCHEDULE}.Partition_Schedule[0].SetModuleSchedule`, message: '"yes" is not a boolean (true or false, in any letter case): read as false, as AIR\'s configurator reads it' },
      {
        path: `${SCHEDULE}.Partition_Schedule[0].Window_Schedule[0].PartitionPeriodStart`,
        message: '"1" is not a boolean (true or false, in any letter case): read as false, as AIR\'s configurator reads it',
      },
    ]);
  });

  it('ErrorCode: AIR\'s names (POWER_FAILURE), required and checked at PROCESS level only', () => {
    const table = (entries: string) => airStyle({ '<Connection_Table>': `<System_HM_Table><System_State_Entry SystemState="4">${entries}</System_State_Entry></System_HM_Table>\n  <Connection_Table>` });
    const ok = readAirXml(table('<Error_ID_Level ErrorIdentifier="0" ErrorLevel="PROCESS" ErrorCode="POWER_FAILURE"/><Error_ID_Level ErrorIdentifier="1" ErrorLevel="PARTITION" ErrorCode="OVERHEAT"/>'));
    expect(ok.errors).toEqual([]);
    expect(ok.config!.healthMonitor.system).toEqual([
      { state: 4, error: 0, level: 'PROCESS', errorCode: 'POWER_FAIL' },
      { state: 4, error: 1, level: 'PARTITION' },
    ]);
    const entry = 'ARINC_653_Module.System_HM_Table.System_State_Entry[0].Error_ID_Level';
    expect(ok.warnings).toEqual([
      {
        path: `${entry}[1].ErrorCode`,
        message:
          '"OVERHEAT" is not one of DEADLINE_MISSED, APPLICATION_ERROR, NUMERIC_ERROR, ILLEGAL_REQUEST, STACK_OVERFLOW, MEMORY_VIOLATION, HARDWARE_FAULT, POWER_FAILURE: ignored, as AIR\'s configurator reads ErrorCode only at ErrorLevel PROCESS',
      },
    ]);
    const bad = readAirXml(table('<Error_ID_Level ErrorIdentifier="0" ErrorLevel="PROCESS" ErrorCode="POWER_FAIL"/><Error_ID_Level ErrorIdentifier="1" ErrorLevel="PROCESS"/>'));
    expect(bad.errors).toEqual([
      {
        path: `${entry}[0].ErrorCode`,
        message: '"POWER_FAIL" is not one of DEADLINE_MISSED, APPLICATION_ERROR, NUMERIC_ERROR, ILLEGAL_REQUEST, STACK_OVERFLOW, MEMORY_VIOLATION, HARDWARE_FAULT, POWER_FAILURE (AIR\'s configurator spells it POWER_FAILURE)',
      },
      {
        path: `${entry}[1].ErrorCode`,
        message: 'missing required attribute (ErrorLevel PROCESS names its error: DEADLINE_MISSED, APPLICATION_ERROR, NUMERIC_ERROR, ILLEGAL_REQUEST, STACK_OVERFLOW, MEMORY_VIOLATION, HARDWARE_FAULT, POWER_FAILURE)',
      },
    ]);
  });

  it('air_module_ext, AIR\'s older spelling of AIR_Configuration: read with a deprecation warning; AIR_Configuration wins', () => {
    const old = readAirXml(airStyle({ '<AIR_Configuration TicksPerSecond="200" RequiredCores="1"/>': '<air_module_ext air_ticks_per_second="400" air_cores="1"/>' }));
    expect(old.errors).toEqual([]);
    expect(old.config!.kernelTick).toBe(2.5 * MS);
    expect(old.warnings).toEqual([{ path: 'ARINC_653_Module.air_module_ext', message: "deprecated AIR extension (AIR_Configuration replaces it): read as AIR's configurator reads it" }]);
    const both = readAirXml(airStyle({ '<AIR_Configuration': '<air_module_ext air_ticks_per_second="400"/>\n  <AIR_Configuration' }));
    expect(both.errors).toEqual([]);
    expect(both.config!.kernelTick).toBe(5 * MS);
    expect(readAirXml(airStyle({ '<AIR_Configuration TicksPerSecond="200" RequiredCores="1"/>': '<air_module_ext air_cores="1"/>' })).errors).toEqual([
      { path: 'ARINC_653_Module.air_module_ext.air_ticks_per_second', message: 'missing required attribute' },
    ]);
  });

  it('refuses a multicore module with one error naming the element and the cores it asks for, whatever else is wrong', () => {
    const refusal = (replace: Record<string, string>) => readAirXml(airStyle({ 'MaxMessageSize="64" RefreshRateSeconds="0.5"/>\n    <PartitionConfiguration Personality="Bare"': 'MaxMessageSize="x" RefreshRateSeconds="0.5"/>\n    <PartitionConfiguration Personality="Bare"', ...replace }));
    expect(refusal({ 'RequiredCores="1"': 'RequiredCores="4"' })).toEqual({
      errors: [{ path: 'ARINC_653_Module.AIR_Configuration.RequiredCores', message: 'the module asks for 4 cores: multicore is not modelled (paravirt simulates one processor)' }],
      warnings: [],
    });
    expect(refusal({ '<PartitionConfiguration Personality="Bare" Cores="1">': '<PartitionConfiguration Personality="Bare" Cores="2">' }).errors).toEqual([
      { path: 'ARINC_653_Module.Partition[1].PartitionConfiguration.Cores', message: 'partition "right" asks for 2 cores: multicore is not modelled (paravirt simulates one processor)' },
    ]);
    expect(refusal({ '<WindowConfiguration WindowIdentifier="21" Cores="0"/>': '<WindowConfiguration WindowIdentifier="21" Cores="1"/>' }).errors).toEqual([
      { path: `${SCHEDULE}.Partition_Schedule[1].WindowConfiguration[0].Cores`, message: 'window 21 asks for core "1": multicore is not modelled (paravirt simulates one processor)' },
    ]);
    expect(refusal({ '<AIR_Configuration TicksPerSecond="200" RequiredCores="1"/>': '<air_module_ext air_ticks_per_second="200" air_cores="2"/>' }).errors).toEqual([
      { path: 'ARINC_653_Module.air_module_ext.air_cores', message: 'the module asks for 2 cores: multicore is not modelled (paravirt simulates one processor)' },
    ]);
    // Without the multicore request, the other problem is the error.
    expect(refusal({}).errors).toEqual([{ path: 'ARINC_653_Module.Partition[1].Sampling_Port[0].MaxMessageSize', message: '"x" is not a whole number (decimal or 0x hexadecimal)' }]);
  });

  it('refuses what AIR refuses: unused ports, several schedules without InitialModuleSchedule, a bad Criticality, an empty Memory, too many ticks', () => {
    const second = '<Module_Schedule ScheduleIdentifier="8" ScheduleName="other" InitialModuleSchedule="false" MajorFrameSeconds="0.2"><Partition_Schedule PartitionIdentifier="1" PeriodSeconds="0.2" PeriodDurationSeconds="0.2"><Window_Schedule WindowIdentifier="1" WindowStartSeconds="0" WindowDurationSeconds="0.2"/></Partition_Schedule></Module_Schedule>\n  <Connection_Table>';
    const result = readAirXml(
      airStyle({
        'Criticality="LEVEL_B"': 'Criticality="LEVEL_Z"',
        '<Memory Size="0x100000"/>': '<Memory Size="0"/>',
        '<Sampling_Port Name="IN"': '<Queuing_Port Name="SPARE" Direction="SOURCE" MaxMessageSize="8" MaxNbMessages="2"/>\n    <Sampling_Port Name="IN"',
        '<Connection_Table>': second,
        'TicksPerSecond="200"': 'TicksPerSecond="100000"',
      }),
    );
    expect(result.errors).toEqual([
      { path: 'ARINC_653_Module.Partition[0].Criticality', message: '"LEVEL_Z" is not one of LEVEL_A, LEVEL_B, LEVEL_C, LEVEL_D, LEVEL_E' },
      { path: 'ARINC_653_Module.Partition[1].PartitionConfiguration.Memory.Size', message: 'must be more than 0 bytes' },
      { path: `${SCHEDULE}.InitialModuleSchedule`, message: 'missing required attribute (the module has 2 Module_Schedule elements)' },
      { path: 'ARINC_653_Module.Partition[1].Queuing_Port[0]', message: 'port "SPARE" is in no channel of the Connection_Table (AIR\'s configurator refuses unused ports)' },
      { path: 'ARINC_653_Module.AIR_Configuration.TicksPerSecond', message: "100000 ticks per second: AIR's configurator takes at most 50000" },
    ]);
  });

  it('reads a partition smaller than 64KiB (AIR maps pages of a few KiB) as 64KiB, with a warning', () => {
    const result = readAirXml(airStyle({ '<Memory Size="0x100000"/>': '<Memory Size="0x3000" Unit="0x1000"/>' }));
    expect(result.errors).toEqual([]);
    expect(result.config!.partitions[1]!.memorySize).toBe(64 * 1024);
    expect(result.warnings).toEqual([
      {
        path: 'ARINC_653_Module.Partition[1].PartitionConfiguration.Memory.Size',
        message: '12288 bytes, read as 64KiB: AIR sizes a partition for its own program, a paravirt partition runs an application and has at least 64KiB',
      },
    ]);
  });

  it('reads an element AIR reads once given twice as AIR does: the first, with a warning', () => {
    const result = readAirXml(airStyle({ '<AIR_Configuration TicksPerSecond="200" RequiredCores="1"/>': '<AIR_Configuration TicksPerSecond="200"/><AIR_Configuration TicksPerSecond="1000"/>' }));
    expect(result.errors).toEqual([]);
    expect(result.config!.kernelTick).toBe(5 * MS);
    expect(result.warnings).toEqual([{ path: 'ARINC_653_Module.AIR_Configuration', message: "appears 2 times; only the first is read, as AIR's configurator reads it" }]);
  });
});
