import { describe, expect, it } from 'vitest';
import { isAirXml, readAirXml } from './airXml.js';
import { validateAirConfig } from './config.js';
import { defaultHealthMonitor } from './hm.js';
import { fixtureText, MS } from './internal/harness.js';

const module = (body: string, attributes = '') => `<?xml version="1.0"?>\n<ARINC_653_Module ModuleName="m"${attributes}>\n${body}\n</ARINC_653_Module>\n`;
const minimalPartition = `<Partition PartitionIdentifier="1" PartitionName="a"/>`;
const minimalSchedule = `<Module_Schedule ScheduleIdentifier="1" ScheduleName="s" MajorFrameSeconds="0.1">
  <Partition_Schedule PartitionName="a" PeriodSeconds="0.1" PeriodDurationSeconds="0.05">
    <Window_Schedule WindowIdentifier="1" WindowStartSeconds="0" WindowDurationSeconds="0.05"/>
  </Partition_Schedule>
</Module_Schedule>`;

describe('readAirXml on the two-schedule fixture', () => {
  const result = readAirXml(fixtureText('two-schedules.xml'));
  const config = result.config!;

  it('reads without errors and passes the configurator checks', () => {
    expect(result.errors).toEqual([]);
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
  it('names unknown elements and attributes inside known ones by their path', () => {
    const result = readAirXml(
      module(`<Partition PartitionIdentifier="1" PartitionName="a" Colour="blue">
  <PartitionConfiguration><Memory Size="0x10000"/><Turbo/></PartitionConfiguration>
  <Process Name="p"/>
</Partition>
${minimalSchedule}
<Extra/>`),
    );
    expect(result.config).toBeUndefined();
    expect(result.errors).toEqual([
      { path: 'ARINC_653_Module.Extra', message: 'unknown element inside ARINC_653_Module' },
      { path: 'ARINC_653_Module.Partition[0].Process', message: 'unknown element inside Partition' },
      { path: 'ARINC_653_Module.Partition[0].Colour', message: 'unknown attribute of Partition' },
      { path: 'ARINC_653_Module.Partition[0].PartitionConfiguration.Turbo', message: 'unknown element inside PartitionConfiguration' },
    ]);
  });

  it('reports bad values, bad references and missing attributes with their path', () => {
    const result = readAirXml(
      module(`${minimalPartition}
<Partition PartitionIdentifier="x2" PartitionName="b"><PartitionConfiguration><Permissions>SET_SCHEDULE; WARP</Permissions></PartitionConfiguration></Partition>
<Module_Schedule ScheduleName="s" MajorFrameSeconds="1/10" InitialModuleSchedule="yes">
  <Partition_Schedule PartitionName="a" PartitionIdentifier="9" PeriodSeconds="0.1" PeriodDurationSeconds="0.05" ScheduleChangeAction="REBOOT">
    <Window_Schedule WindowStartSeconds="0.0000000001" WindowDurationSeconds="0.05"/>
  </Partition_Schedule>
  <Partition_Schedule PeriodSeconds="0.1" PeriodDurationSeconds="0.05"/>
</Module_Schedule>
<AIR_Configuration TicksPerSecond="3" RequiredCores="2"/>`),
    );
    expect(result.errors).toEqual([
      { path: 'ARINC_653_Module.Partition[1].PartitionIdentifier', message: '"x2" is not a whole number (decimal or 0x hexadecimal)' },
      { path: 'ARINC_653_Module.Partition[1].PartitionConfiguration.Permissions', message: 'unknown permission "WARP"' },
      { path: 'ARINC_653_Module.Module_Schedule[0].InitialModuleSchedule', message: '"yes" is not a boolean (true or false)' },
      { path: 'ARINC_653_Module.Module_Schedule[0].MajorFrameSeconds', message: '"1/10" is not a number of seconds (e.g. 0.02)' },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].PartitionIdentifier', message: 'no partition has identifier 9' },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].ScheduleChangeAction', message: '"REBOOT" is not one of IGNORE, IDLE, WARM_START, COLD_START' },
      {
        path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[0].Window_Schedule[0].WindowStartSeconds',
        message: '"0.0000000001": duration "0.0000000001s" is finer than a nanosecond',
      },
      { path: 'ARINC_653_Module.Module_Schedule[0].Partition_Schedule[1]', message: 'names no partition (PartitionIdentifier or PartitionName)' },
      { path: 'ARINC_653_Module.AIR_Configuration.TicksPerSecond', message: '3 ticks per second is not a whole number of nanoseconds per tick' },
      { path: 'ARINC_653_Module.AIR_Configuration.RequiredCores', message: '2 cores: the simulated module has one processor' },
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
    expect(config.healthMonitor).toEqual(defaultHealthMonitor(['a', 'b']));
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
    ]);
  });

  it('tells ARINC 653 XML from other formats by content', () => {
    expect(isAirXml(fixtureText('two-schedules.xml'))).toBe(true);
    expect(isAirXml('<ARINC_653_Module/>')).toBe(true);
    expect(isAirXml('kernel:\n  scheduler: {}\n')).toBe(false);
    expect(isAirXml('<?xml version="1.0"?><pok/>')).toBe(false);
  });
});
