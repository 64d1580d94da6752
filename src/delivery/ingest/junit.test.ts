import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { expectValidRecords } from '../testing/records.js';
import { parseJUnit } from './junit.js';

// Reports in the shapes the tools write them (element and attribute names as each tool emits them).

// Maven Surefire 3 (TEST-<class>.xml): one <testsuite> root; re-runs as <flakyFailure>.
const surefire = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="com.example.CalculatorTest" time="1234.8" tests="5" errors="1" skipped="1" failures="1">
  <properties>
    <property name="java.version" value="17.0.2"/>
  </properties>
  <testcase name="adds" classname="com.example.CalculatorTest" time="0.003"/>
  <testcase name="divides" classname="com.example.CalculatorTest" time="0.01">
    <failure message="expected: &lt;2&gt; but was: &lt;3&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <2> but was: <3>
	at com.example.CalculatorTest.divides(CalculatorTest.java:20)]]></failure>
    <system-out><![CDATA[dividing]]></system-out>
  </testcase>
  <testcase name="connects" classname="com.example.CalculatorTest" time="1,234.5">
    <error message="Connection refused" type="java.net.ConnectException">java.net.ConnectException: Connection refused</error>
  </testcase>
  <testcase name="ignored" classname="com.example.CalculatorTest" time="0">
    <skipped message="disabled"/>
  </testcase>
  <testcase name="retried" classname="com.example.CalculatorTest" time="0.2">
    <flakyFailure message="timed out after 500 ms" type="java.util.concurrent.TimeoutException" time="0.5">
      <stackTrace><![CDATA[java.util.concurrent.TimeoutException: timed out after 500 ms]]></stackTrace>
    </flakyFailure>
  </testcase>
</testsuite>
`;

// pytest --junitxml (pytest 8 writes a zoned timestamp).
const pytest = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="3" time="0.512" timestamp="2024-03-01T10:15:30.123456+01:00" hostname="runner-1"><testcase classname="tests.test_api" name="test_get" time="0.101" /><testcase classname="tests.test_api" name="test_post" time="0.202"><failure message="AssertionError: assert 500 == 201">def test_post(client):
&gt;       assert client.post("/items").status_code == 201
E       AssertionError: assert 500 == 201</failure></testcase><testcase classname="tests.test_api" name="test_slow" time="0.000"><skipped type="pytest.skip" message="too slow">/app/tests/test_api.py:30: too slow</skipped></testcase></testsuite></testsuites>`;

// jest-junit: classname and name are both "{classname} {title}" by default; no zone in the timestamp.
const jest = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.234">
  <testsuite name="math" errors="0" failures="1" skipped="0" timestamp="2024-03-01T10:15:30" time="0.5" tests="2">
    <testcase classname="math adds numbers" name="math adds numbers" time="0.002">
    </testcase>
    <testcase classname="math divides by zero" name="math divides by zero" time="0.003">
      <failure>Error: expect(received).toThrow()
    at Object.&lt;anonymous&gt; (math.test.js:10:5)</failure>
    </testcase>
  </testsuite>
  <testsuite name="strings" errors="0" failures="0" skipped="0" timestamp="2024-03-01T10:15:31" time="0.1" tests="1">
    <testcase classname="strings trims" name="strings trims" time="0.001"/>
  </testsuite>
</testsuites>
`;

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('parseJUnit', () => {
  it('reads a Maven Surefire report, re-runs included', () => {
    const result = parseJUnit(surefire, {
      file: 'TEST-com.example.CalculatorTest.xml',
      pipelineRunId: 'run-7',
      sha,
    });
    expect(result.problems).toEqual([]);
    expectValidRecords(result.records);
    expect(result.events).toBe(5);
    expect(
      result.records.testCaseResults.map((r) => [r.test, r.status, r.durationSeconds, r.attempt, r.message]),
    ).toEqual([
      ['com.example.CalculatorTest.adds', 'passed', 0.003, undefined, undefined],
      ['com.example.CalculatorTest.divides', 'failed', 0.01, undefined, 'expected: <2> but was: <3>'],
      ['com.example.CalculatorTest.connects', 'error', 1234.5, undefined, 'Connection refused'],
      ['com.example.CalculatorTest.ignored', 'skipped', 0, undefined, 'disabled'],
      // A failed attempt, then the pass: the same test on the same commit both failed and passed.
      ['com.example.CalculatorTest.retried', 'failed', 0.5, 1, 'timed out after 500 ms'],
      ['com.example.CalculatorTest.retried', 'passed', 0.2, 2, undefined],
    ]);
    expect(result.records.testCaseResults[0]).toEqual({
      id: 'junit:run-7:com.example.CalculatorTest:com.example.CalculatorTest.adds',
      pipelineRunId: 'run-7',
      sha,
      suite: 'com.example.CalculatorTest',
      test: 'com.example.CalculatorTest.adds',
      status: 'passed',
      durationSeconds: 0.003,
      at: expect.any(String),
      source: 'junit',
    });
    expect(result.records.testCaseResults[4]!.id).toBe(
      'junit:run-7:com.example.CalculatorTest:com.example.CalculatorTest.retried@1',
    );
  });

  it('reads a pytest report with its zoned suite timestamp', () => {
    const result = parseJUnit(pytest);
    expect(result.problems).toEqual([]);
    expect(result.records.testCaseResults.map((r) => [r.suite, r.test, r.status, r.at, r.message])).toEqual([
      ['pytest', 'tests.test_api.test_get', 'passed', '2024-03-01T09:15:30.123Z', undefined],
      [
        'pytest',
        'tests.test_api.test_post',
        'failed',
        '2024-03-01T09:15:30.123Z',
        'AssertionError: assert 500 == 201',
      ],
      ['pytest', 'tests.test_api.test_slow', 'skipped', '2024-03-01T09:15:30.123Z', 'too slow'],
    ]);
  });

  it('reads a jest-junit report without doubling names, a failure without message by its first line', () => {
    const result = parseJUnit(jest);
    expect(result.records.testCaseResults.map((r) => [r.suite, r.test, r.status, r.at, r.message])).toEqual([
      ['math', 'math adds numbers', 'passed', '2024-03-01T10:15:30.000Z', undefined],
      [
        'math',
        'math divides by zero',
        'failed',
        '2024-03-01T10:15:30.000Z',
        'Error: expect(received).toThrow()',
      ],
      ['strings', 'strings trims', 'passed', '2024-03-01T10:15:31.000Z', undefined],
    ]);
  });

  it('gives a re-imported file the same ids, another run other ids', () => {
    const ids = (options: Parameters<typeof parseJUnit>[1]) =>
      parseJUnit(jest, options).records.testCaseResults.map((r) => r.id);
    expect(ids({})).toEqual(ids({}));
    expect(ids({})[0]).toMatch(/^junit:sha256:[0-9a-f]{16}:math:math adds numbers$/);
    expect(ids({ pipelineRunId: 'a' })).not.toEqual(ids({ pipelineRunId: 'b' }));
  });

  it('keeps a test that appears twice in a file twice', () => {
    const xml =
      '<testsuite name="s"><testcase name="t" classname="c"/><testcase name="t" classname="c"><failure/></testcase></testsuite>';
    const results = parseJUnit(xml).records.testCaseResults;
    expect(results.map((r) => [r.id.endsWith('#2'), r.status])).toEqual([
      [false, 'passed'],
      [true, 'failed'],
    ]);
  });

  it('reads nested suites and takes the time from options when no suite has one', () => {
    const xml =
      '<testsuites><testsuite name="file"><testsuite name="inner"><testcase name="t"/></testsuite></testsuite></testsuites>';
    const [result] = parseJUnit(xml, { at: new Date('2024-01-02T03:04:05Z') }).records.testCaseResults;
    expect(result).toMatchObject({ suite: 'inner', test: 't', at: '2024-01-02T03:04:05.000Z' });
  });

  it('warns about a test case without a name and keeps the others', () => {
    const xml = '<testsuite name="s"><testcase classname="c"/><testcase name="ok"/></testsuite>';
    const result = parseJUnit(xml, { file: 'r.xml' });
    expect(result.records.testCaseResults).toHaveLength(1);
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message: 'a <testcase> in suite "s" has no name; skipped',
        location: { file: 'r.xml' },
      },
    ]);
  });

  it('reports malformed XML by line and column', () => {
    const xml = '<testsuite name="s">\n  <testcase name="a">\n</testsuite>';
    const result = parseJUnit(xml, { file: 'bad.xml' });
    expect(result.records.testCaseResults).toEqual([]);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        message:
          "invalid XML: Expected closing tag 'testcase' (opened in line 2, col 3) instead of closing tag 'testsuite'.",
        location: { file: 'bad.xml', line: 3, column: 1 },
      },
    ]);
    expect(() => parseJUnit(xml, { atomic: true })).toThrow(InputError);
  });

  it('reports a truncated report at its end, naming the elements left open', () => {
    const xml = '<testsuites>\n  <testsuite name="s">\n    <testcase name="a"/>\n';
    expect(parseJUnit(xml, { file: 't.xml' }).problems).toEqual([
      {
        severity: 'error',
        message: 'invalid XML: the file ends before <testsuite>, <testsuites> are closed (truncated?)',
        location: { file: 't.xml', line: 4, column: 1 },
      },
    ]);
    expect(parseJUnit('  \n', { file: 'e.xml' }).problems[0]).toMatchObject({
      message: 'invalid XML: the file is empty',
      location: { line: 1, column: 1 },
    });
  });

  it('rejects XML that is not a JUnit report, and a bad --sha', () => {
    const result = parseJUnit('<?xml version="1.0"?>\n<html><body/></html>', { file: 'page.xml' });
    expect(result.problems).toEqual([
      {
        severity: 'error',
        message: 'not a JUnit report: expected a <testsuites> or <testsuite> root element, found <html>',
        location: { file: 'page.xml', line: 2, column: 1 },
      },
    ]);
    expect(() => parseJUnit(jest, { sha: 'main' })).toThrow('--sha "main" is not a commit sha');
  });

  it('copes with a big report', () => {
    const cases = Array.from(
      { length: 50_000 },
      (_, i) => `<testcase classname="c${i % 100}" name="t${i}" time="0.01"/>`,
    );
    const result = parseJUnit(`<testsuites><testsuite name="big">${cases.join('')}</testsuite></testsuites>`);
    expect(result.records.testCaseResults).toHaveLength(50_000);
  });
});
