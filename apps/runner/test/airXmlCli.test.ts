/**
 * ARINC 653 / AIR XML as AIR's configurator reads it, through the CLI (docs/config.md "ARINC
 * 653 / AIR XML", docs/architecture.md section 6): what AIR ignores is accepted with one
 * `warning: <file>: <path>: <message>` line each, on check and on run, and never changes the
 * exit code; partitions that run `idle` because the file names no application get one
 * `hint:` line (not with --quiet, not when --app names them all); a multicore module is one
 * `error:` line, the same for check and run.
 */
import { describe, expect, it } from 'vitest';
import type { Summary } from '@paravirt/compose';
import { cli } from './helpers.js';

/** A single-core module in AIR's style (our own text): a Mode attribute AIR ignores, an IOP file, WindowConfiguration, "False". */
const MODULE = `<?xml version="1.0" encoding="UTF-8"?>
<ARINC_653_Module ModuleName="airstyle">
  <Partition PartitionIdentifier="1" PartitionName="gate" SystemPartition="False" Criticality="LEVEL_A">
    <PartitionConfiguration Personality="RTEMS5" Cores="1" Mode="source" IOP="iop.xml">
      <Memory Size="0x100000"/>
    </PartitionConfiguration>
  </Partition>
  <Partition PartitionIdentifier="2" PartitionName="work" SystemPartition="TRUE" Criticality="LEVEL_B">
    <PartitionConfiguration Personality="RTEMS5" Cores="1"><Memory Size="0x100000"/></PartitionConfiguration>
  </Partition>
  <Module_Schedule ScheduleIdentifier="1" ScheduleName="main" MajorFrameSeconds="0.1">
    <Partition_Schedule PartitionIdentifier="1" PartitionName="gate" PeriodSeconds="0.1" PeriodDurationSeconds="0.04">
      <Window_Schedule WindowIdentifier="1" WindowStartSeconds="0" WindowDurationSeconds="0.04" PartitionPeriodStart="true"/>
      <WindowConfiguration WindowIdentifier="1" Cores="0"/>
    </Partition_Schedule>
    <Partition_Schedule PartitionIdentifier="2" PartitionName="work" PeriodSeconds="0.1" PeriodDurationSeconds="0.06">
      <Window_Schedule WindowIdentifier="2" WindowStartSeconds="0.04" WindowDurationSeconds="0.06" PartitionPeriodStart="True"/>
      <WindowConfiguration WindowIdentifier="2" Cores="0"/>
    </Partition_Schedule>
  </Module_Schedule>
  <AIR_Configuration TicksPerSecond="100" RequiredCores="1"/>
</ARINC_653_Module>
`;

const WARNINGS = [
  "warning: module.xml: ARINC_653_Module.Partition[0].PartitionConfiguration.Mode: unknown attribute of PartitionConfiguration: ignored, as AIR's configurator ignores it",
  'warning: module.xml: ARINC_653_Module.Partition[0].PartitionConfiguration.IOP: I/O partitions are not modelled: "iop.xml" is ignored (the partition runs without its devices)',
];
const HINT = 'hint: all partitions run the idle application (the file names none); choose one with --app PARTITION=APP (paravirt samples lists them)';
const lines = (stderr: string): string[] => stderr.split('\n').filter((line) => line !== '');

describe('AIR XML warnings and the idle hint on stderr', () => {
  it('check: exit 0, each warning as one line, then the hint', async () => {
    const { code, stdout, stderr } = await cli(['check', 'module.xml'], { 'module.xml': MODULE });
    expect(code).toBe(0);
    expect(lines(stderr)).toEqual([...WARNINGS, HINT]);
    expect(stdout).toMatch(/^module\.xml: valid ARINC 653 XML for air\/i386, 2 partition\(s\)\n/);
  });

  it('run: exit 0, the same warnings and hint, and the module runs with nothing lost', async () => {
    const { code, stdout, stderr } = await cli(['run', 'module.xml', '--duration', '1s', '--json', '-'], { 'module.xml': MODULE });
    expect(code).toBe(0);
    expect(lines(stderr)).toEqual([...WARNINGS, HINT]);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.partitions.map((partition) => [partition.name, partition.app, partition.windows, partition.virq.lost])).toEqual([
      ['gate', 'idle', 10, 0],
      ['work', 'idle', 10, 0],
    ]);
  }, 30_000);

  it('run --quiet keeps the warnings and drops the hint; --app for a partition takes it out of the hint', async () => {
    const quiet = await cli(['run', 'module.xml', '--duration', '200ms', '--quiet'], { 'module.xml': MODULE });
    expect(quiet.code).toBe(0);
    expect(lines(quiet.stderr)).toEqual(WARNINGS);
    const one = await cli(['check', 'module.xml', '--app', 'work=ticker'], { 'module.xml': MODULE });
    expect(lines(one.stderr)).toEqual([...WARNINGS, 'hint: partition gate runs the idle application (the file names none); choose one with --app PARTITION=APP (paravirt samples lists them)']);
    const both = await cli(['check', 'module.xml', '--app', 'work=ticker', '--app', 'gate=hello'], { 'module.xml': MODULE });
    expect(lines(both.stderr)).toEqual(WARNINGS);
  }, 30_000);

  it('a file with errors: check lists the warnings with the errors, run prints its one error line', async () => {
    const broken = MODULE.replace('SystemPartition="TRUE"', 'SystemPartition="yes"');
    const error = 'error: ARINC_653_Module.Partition[1].SystemPartition: "yes" is not a boolean (true or false, in any letter case)';
    const checked = await cli(['check', 'module.xml'], { 'module.xml': broken });
    expect(checked.code).toBe(2);
    expect(lines(checked.stderr)).toEqual([...WARNINGS, error]);
    const ran = await cli(['run', 'module.xml'], { 'module.xml': broken });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(`${error}\n`);
  });

  it('a multicore module is refused by check and run with the same one line', async () => {
    const multicore = MODULE.replace('RequiredCores="1"', 'RequiredCores="2"').replace('<WindowConfiguration WindowIdentifier="2" Cores="0"/>', '<WindowConfiguration WindowIdentifier="2" Cores="1"/>');
    const error = 'error: ARINC_653_Module.AIR_Configuration.RequiredCores: the module asks for 2 cores: multicore is not modelled (paravirt simulates one processor)\n';
    for (const command of ['check', 'run']) {
      const { code, stdout, stderr } = await cli([command, 'module.xml'], { 'module.xml': multicore });
      expect(code).toBe(2);
      expect(stderr).toBe(error);
      expect(stdout).toBe('');
    }
  });
});
