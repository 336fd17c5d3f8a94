import { CONFIG_LIMITS } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { readAirXml } from './airXml.js';

/** A valid one-partition module; `doctype` goes before the root, `name` is the partition's name as written. */
function module(doctype = '', name = 'p', extra = ''): string {
  return `<?xml version="1.0"?>
${doctype}
<ARINC_653_Module ModuleName="m">
  <Partition PartitionIdentifier="1" PartitionName="${name}"/>${extra}
  <Module_Schedule ScheduleIdentifier="0" ScheduleName="s" MajorFrameSeconds="0.1">
    <Partition_Schedule PartitionIdentifier="1" PeriodSeconds="0.1" PeriodDurationSeconds="0.1">
      <Window_Schedule WindowIdentifier="0" WindowStartSeconds="0" WindowDurationSeconds="0.1"/>
    </Partition_Schedule>
  </Module_Schedule>
</ARINC_653_Module>
`;
}

const errorsOf = (text: string) => readAirXml(text).errors;

describe('XML entities, as AIR\'s configurator (expat) takes them', () => {
  it('expands internal entities fully, nested ones included, in names and numbers', () => {
    const doctype = '<!DOCTYPE ARINC_653_Module [\n  <!ENTITY base "ctl">\n  <!ENTITY name "&base;_&base;">\n  <!ENTITY amp2 "&#38;amp;">\n]>';
    const result = readAirXml(module(doctype, '&name;'));
    expect(result.errors).toEqual([]);
    expect(result.config!.partitions[0]!.name).toBe('ctl_ctl');
  });

  it('reads predefined entities and character references', () => {
    const result = readAirXml(module('', 'p&#95;&#x31;').replace('ModuleName="m"', 'ModuleName="a&amp;b&lt;c&#x2014;"'));
    expect(result.errors).toEqual([]);
    expect(result.config!.partitions[0]!.name).toBe('p_1');
    expect(result.config!.name).toBe('a&b<c\u2014');
  });

  it('refuses an undeclared entity: never a name "&lol9;"', () => {
    expect(errorsOf(module('', '&lol9;'))).toEqual([{ path: 'line 4', message: 'undefined entity &lol9;' }]);
  });

  it('refuses external entities (SYSTEM and PUBLIC) and external DTDs, with the line', () => {
    expect(errorsOf(module('<!DOCTYPE ARINC_653_Module [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>', '&x;'))).toEqual([
      { path: 'line 3', message: 'external entity &x; (SYSTEM) is not read: a configuration is one self-contained file' },
    ]);
    expect(errorsOf(module('<!DOCTYPE ARINC_653_Module [ <!ENTITY x PUBLIC "-//a//b" "http://example.com/x"> ]>'))[0]!.message).toBe(
      'external entity &x; (PUBLIC) is not read: a configuration is one self-contained file',
    );
    expect(errorsOf(module('<!DOCTYPE ARINC_653_Module SYSTEM "a653.dtd">'))).toEqual([
      { path: 'line 2', message: 'the DOCTYPE names an external DTD (SYSTEM); it is not read: a configuration is one self-contained file, so remove the external identifier' },
    ]);
  });

  it.each([
    ['a parameter entity', '<!DOCTYPE a [ <!ENTITY % p "x"> ]>', 'parameter entities (<!ENTITY % ...>) are not supported'],
    ['an ATTLIST', '<!DOCTYPE a [ <!ATTLIST Partition SystemPartition CDATA "true"> ]>', 'attribute-list declarations (<!ATTLIST>) are not supported: write the attributes on the elements'],
    ['markup in an entity', '<!DOCTYPE a [ <!ENTITY e "<Partition/>"> ]>', 'entity &e; holds markup (<); only text entities are supported'],
    ['an entity declared twice', '<!DOCTYPE a [ <!ENTITY e "1"> <!ENTITY e "2"> ]>', 'entity &e; is declared twice'],
    ['a recursive entity', '<!DOCTYPE a [ <!ENTITY a "&b;"> <!ENTITY b "x&a;"> ]>', 'entity &a; refers to itself'],
    ['an unclosed DOCTYPE', '<!DOCTYPE a [ <!ENTITY e "1"> ', 'the DOCTYPE is never closed'],
    ['a bare & in an entity value', '<!DOCTYPE a [ <!ENTITY e "a & b"> ]>', 'entity &e;: "&" must start an entity or character reference (write &amp; for a literal &)'],
  ])('refuses %s', (_name, doctype, message) => {
    const text = _name === 'a recursive entity' ? module(doctype, '&a;') : _name === 'an unclosed DOCTYPE' ? doctype : module(doctype);
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toMatch(/^line \d+$/);
    expect(errors[0]!.message).toBe(message);
  });

  it('an entity over 10,000 characters is read (fast-xml-parser alone throws)', () => {
    const result = readAirXml(module(`<!DOCTYPE a [ <!ENTITY long "${'x'.repeat(20_000)}"> ]>`).replace('ModuleName="m"', 'ModuleName="&long;"'));
    expect(result.errors).toEqual([]);
    expect(result.config!.name).toHaveLength(20_000);
  });

  it('a billion-laughs bomb is one error, fast', () => {
    const levels = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)];
    const started = performance.now();
    expect(errorsOf(module(`<!DOCTYPE a [ ${levels.join(' ')} ]>`, '&l9;'))).toEqual([
      { path: 'line 4', message: `entity references expand to more than ${CONFIG_LIMITS.xmlEntityExpansion} characters` },
    ]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('more entity declarations than the limit is one error', () => {
    const many = Array.from({ length: CONFIG_LIMITS.xmlEntities + 1 }, (_, i) => `<!ENTITY e${i} "x">`).join('\n');
    expect(errorsOf(module(`<!DOCTYPE a [\n${many}\n]>`))[0]!.message).toBe(`more than ${CONFIG_LIMITS.xmlEntities} entity declarations`);
  });

  it('a bare & and an invalid character reference are errors with their line', () => {
    expect(errorsOf(module('', 'a & b'))).toEqual([{ path: 'line 4', message: '"&" must start an entity or character reference (write &amp; for a literal &)' }]);
    expect(errorsOf(module('', 'a&#0;'))).toEqual([{ path: 'line 4', message: '&#0; is not a character XML allows' }]);
    expect(errorsOf(module('', 'a&#x110000;'))).toEqual([{ path: 'line 4', message: '&#x110000; is not a character XML allows' }]);
  });
});

describe('XML structure limits and odd names', () => {
  it('elements nested deeper than the limit are one error with the line, however deep', () => {
    expect(errorsOf(`<ARINC_653_Module>\n${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</ARINC_653_Module>`)).toEqual([
      { path: 'line 2', message: `elements nested more than ${CONFIG_LIMITS.nesting} deep` },
    ]);
  });

  it('elements named constructor, __proto__ or toString are unknown elements (ignored with a warning), named as written', () => {
    const extra = '\n  <constructor/><__proto__ x="1"/><toString/>';
    const result = readAirXml(module('', 'p', extra));
    expect(result.errors).toEqual([]);
    const ignored = "ignored, as AIR's configurator ignores it";
    expect(result.warnings.filter((warning) => !warning.path.endsWith('PartitionConfiguration'))).toEqual([
      { path: 'ARINC_653_Module.constructor', message: `unknown element inside ARINC_653_Module: ${ignored}` },
      { path: 'ARINC_653_Module.__proto__', message: `unknown element inside ARINC_653_Module: ${ignored}` },
      { path: 'ARINC_653_Module.toString', message: `unknown element inside ARINC_653_Module: ${ignored}` },
    ]);
  });

  it('a line break in a name (by character reference) is refused, escaped', () => {
    expect(errorsOf(module('', 'a&#10;b'))).toEqual([
      { path: 'ARINC_653_Module.Partition[0].PartitionName', message: 'must not contain control characters or line breaks (U+000A), got "a\\nb"' },
    ]);
  });

  it('a literal line break in an attribute is whitespace (XML attribute-value normalization)', () => {
    const result = readAirXml(module().replace('ModuleName="m"', 'ModuleName="two\nlines"'));
    expect(result.errors).toEqual([]);
    expect(result.config!.name).toBe('two lines');
  });

  it('numbers beyond 2^53, a 1 us tick and too many partitions are errors naming the reason', () => {
    expect(errorsOf(module('', 'p', '\n  <AIR_Configuration TicksPerSecond="1000000"/>'))).toEqual([
      { path: 'ARINC_653_Module.AIR_Configuration.TicksPerSecond', message: '1000000 ticks per second: at most 100000 are supported (a kernel tick of at least 10us)' },
    ]);
    expect(errorsOf(module().replace('PartitionIdentifier="1" PartitionName', 'PartitionIdentifier="99999999999999999999" PartitionName'))[0]).toEqual({
      path: 'ARINC_653_Module.Partition[0].PartitionIdentifier',
      message: '"99999999999999999999" is too large (at most 9007199254740991)',
    });
    const partitions = Array.from({ length: CONFIG_LIMITS.partitions + 1 }, (_, i) => `<Partition PartitionIdentifier="${i + 2}" PartitionName="q${i}"/>`).join('');
    expect(errorsOf(module('', 'p', partitions))).toEqual([
      { path: 'ARINC_653_Module.Partition', message: `${CONFIG_LIMITS.partitions + 2} partitions; at most ${CONFIG_LIMITS.partitions} are supported` },
    ]);
  });

  it('more windows in a schedule than the limit is one error', () => {
    const windows = Array.from({ length: CONFIG_LIMITS.windowsPerSchedule + 1 }, (_, i) => `<Window_Schedule WindowIdentifier="${i}" WindowStartSeconds="0" WindowDurationSeconds="0.00001"/>`).join('');
    const text = module().replace(/<Window_Schedule [^>]*\/>/, windows);
    expect(errorsOf(text)).toEqual([
      { path: 'ARINC_653_Module.Module_Schedule[0]', message: `${CONFIG_LIMITS.windowsPerSchedule + 1} windows (Window_Schedule); at most ${CONFIG_LIMITS.windowsPerSchedule} per schedule are supported` },
    ]);
  });

  it('a durations past 240 hours is refused', () => {
    expect(errorsOf(module().replace('MajorFrameSeconds="0.1"', 'MajorFrameSeconds="1000000"'))[0]).toEqual({
      path: 'ARINC_653_Module.Module_Schedule[0].MajorFrameSeconds',
      message: '"1000000": must be at most 240h (10 days), got "1000000s"',
    });
  });
});
