import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, readSliPointsCsv, readSliPointsJson, readSliPointsText } from './readSliPoints.js';

const point = (start: string, end: string, good: number, total: number) => ({ start, end, good, total });

describe('readSliPointsJson', () => {
  it('reads points in any order, as Dates, dropping exact repeats', () => {
    const read = readSliPointsJson(
      {
        points: [
          point('2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', 90, 100),
          point('2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00Z', 5, 5),
          point('2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', 90, 100),
        ],
      },
      'body',
    );
    expect(read.problems).toEqual([]);
    expect(read.points).toEqual([
      { start: new Date('2025-12-31T23:00:00Z'), end: new Date('2026-01-01T00:00:00Z'), good: 5, total: 5 },
      {
        start: new Date('2026-01-01T01:00:00Z'),
        end: new Date('2026-01-01T02:00:00Z'),
        good: 90,
        total: 100,
      },
    ]);
  });

  it('points at each invalid field', () => {
    const read = readSliPointsJson(
      {
        points: [
          point('2026-01-01T01:00:00Z', '2026-01-01T00:00:00Z', 1, 1),
          point('2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', 11, 10),
          point('2026-01-01T01:00', '2026-01-01T02:00:00Z', -1, 10),
          { start: '2026-01-01T03:00:00Z', end: '2026-01-01T04:00:00Z', good: '1', total: 1 },
        ],
      },
      'body',
    );
    expect(read.points).toEqual([]);
    const byPointer = Object.fromEntries(read.problems.map((p) => [p.location?.pointer, p.message]));
    expect(byPointer['/points/0/end']).toMatch(/end must be after start/);
    expect(byPointer['/points/1/good']).toMatch(/good \(11\) must not exceed total \(10\)/);
    expect(byPointer['/points/2/start']).toBeDefined();
    expect(byPointer['/points/2/good']).toMatch(/>=0/);
    expect(byPointer['/points/3/good']).toMatch(/number/);
    expect(read.problems.every((p) => p.location?.file === 'body')).toBe(true);
  });

  it('requires at least one point', () => {
    const read = readSliPointsJson({ points: [] }, 'body');
    expect(read.problems[0]!.location?.pointer).toBe('/points');
    expect(readSliPointsJson([], 'body').problems[0]!.location?.pointer).toBe('');
  });

  it('refuses the same interval with other counts, and overlapping intervals', () => {
    const read = readSliPointsJson(
      {
        points: [
          point('2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', 9, 10),
          point('2026-01-01T00:30:00Z', '2026-01-01T01:30:00Z', 9, 10),
          point('2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', 8, 10),
        ],
      },
      'body',
    );
    expect(read.points).toEqual([]);
    expect(read.problems.map((p) => [p.location?.pointer, p.message])).toEqual([
      [
        '/points/2',
        'the interval 2026-01-01T00:00:00.000Z/2026-01-01T01:00:00.000Z is also at /points/0 with other counts',
      ],
      [
        '/points/1',
        '2026-01-01T00:30:00.000Z/2026-01-01T01:30:00.000Z overlaps 2026-01-01T00:00:00.000Z/2026-01-01T01:00:00.000Z at /points/0: its events would count twice',
      ],
    ]);
  });
});

describe('readSliPointsCsv', () => {
  it('reads columns in any order, quoted cells and CRLF', () => {
    const read = readSliPointsCsv(
      'total,good,"start",end,note\r\n100,99,2026-01-01T00:00:00Z,2026-01-01T00:05:00Z,"a, b"\r\n\r\n0,0,2026-01-01T00:05:00Z,2026-01-01T00:10:00Z,\r\n',
      'sli.csv',
    );
    expect(read.problems).toEqual([]);
    expect(read.points).toEqual([
      {
        start: new Date('2026-01-01T00:00:00Z'),
        end: new Date('2026-01-01T00:05:00Z'),
        good: 99,
        total: 100,
      },
      { start: new Date('2026-01-01T00:05:00Z'), end: new Date('2026-01-01T00:10:00Z'), good: 0, total: 0 },
    ]);
  });

  it('names the row and column of each bad cell', () => {
    const read = readSliPointsCsv(
      'start,end,good,total\n2026-01-01T00:00:00Z,2026-01-01T00:05:00Z,1,x\n2026-01-01T00:05:00Z,2026-01-01T00:05:00Z,,2\n',
      'sli.csv',
    );
    expect(read.points).toEqual([]);
    expect(read.problems.map((p) => [p.location?.row, p.location?.pointer, p.message])).toEqual([
      [1, '/total', 'must be a number, not "x"'],
      // The interval is checked once the fields themselves are valid.
      [2, '/good', 'must be a number, it is empty'],
    ]);
  });

  it('requires the four columns in the header', () => {
    const read = readSliPointsCsv('from,to,good,total\n', 'sli.csv');
    expect(read.problems).toEqual([
      {
        severity: 'error',
        message: 'the CSV header must name the columns start, end, good and total; it lacks start, end',
        location: { file: 'sli.csv', row: 0 },
      },
    ]);
  });
});

describe('readSliPointsText', () => {
  it('tells JSON from CSV and locates JSON syntax errors', () => {
    expect(readSliPointsText('start,end,good,total\n', 'a.csv').problems[0]!.message).toBe(
      'the CSV file has no data rows',
    );
    const broken = readSliPointsText('{\n  "points": [\n    { "start": ,\n', 'a.json');
    expect(broken.problems[0]!.message).toMatch(/^malformed JSON/);
    expect(broken.problems[0]!.location).toMatchObject({ file: 'a.json', line: 3, column: 16 });
  });

  it('locates the first character that is not JSON', () => {
    expect(jsonErrorOffset('{"points": [1, 2,]}')).toBe(17);
    expect(jsonErrorOffset('{"a": 1}}')).toBe(8);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": [1, {"b": "x"}], "c": -1.5e3}')).toBeUndefined();
  });
});
