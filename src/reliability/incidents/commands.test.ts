/**
 * `pave incident ...` and `pave oncall load` through the CLI runner, on a DuckDB file: output
 * formats, exit codes, and errors on stderr with their locations.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogDomain } from '../../catalog/index.js';
import { runCli } from '../../cli/runCli.js';
import { tempFolder } from '../../core/testing/tempFiles.js';
import { incidentCommands } from './commands.js';
import { incidentMigrations } from './migrations.js';
import { TEST_CATALOG } from './testing/catalogFixture.js';
import { pagerDutyListResponse } from './testing/payloads.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('pave incident commands', () => {
  let dir: string;
  const pave = async (...argv: string[]): Promise<Run> => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk) => (out += chunk));
    stderr.on('data', (chunk) => (err += chunk));
    const code = await runCli(
      [...argv, '--db', path.join(dir, 'pave.duckdb')],
      { stdout, stderr, stdin: new PassThrough(), cwd: dir, env: {}, interrupted: new Promise(() => {}) },
      {
        commands: [...catalogDomain.commands, ...incidentCommands],
        migrations: [...catalogDomain.migrations, ...incidentMigrations],
      },
    );
    return { code, stdout: out, stderr: err };
  };

  beforeEach(async () => {
    dir = tempFolder({
      'catalog.yaml': TEST_CATALOG,
      'incidents.json': JSON.stringify(pagerDutyListResponse()),
    });
    expect((await pave('catalog', 'import', 'catalog.yaml')).code).toBe(0);
  });

  it('imports, lists, shows and reports', async () => {
    const imported = await pave(
      'incident',
      'import',
      '--source',
      'pagerduty',
      'incidents.json',
      '--format',
      'json',
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ files: 1, read: 2, added: 2, errors: 0 });

    const list = await pave('incident', 'list', '--service', 'checkout', '--format', 'csv');
    expect(list.stdout.split(/\r?\n/)[0]).toBe('id,severity,status,startedAt,services,title');
    expect(list.stdout).toContain(
      'pagerduty:PT4KHLK,SEV2,resolved,2015-10-06T21:30:42.000Z,component:default/checkout',
    );

    // P2 is SEV2; an unknown severity or status is a usage error, not an empty list.
    const bySeverity = await pave('incident', 'list', '--severity', 'P2', '--format', 'json');
    expect(JSON.parse(bySeverity.stdout).map((incident: { id: string }) => incident.id)).toContain(
      'pagerduty:PT4KHLK',
    );
    const badSeverity = await pave('incident', 'list', '--severity', 'urgent');
    expect(badSeverity.code).toBe(2);
    expect(badSeverity.stderr).toContain('unknown severity "urgent"');
    const badStatus = await pave('incident', 'list', '--status', 'open');
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status must be one of triggered, acknowledged');

    const shown = await pave('incident', 'get', 'pagerduty:PT4KHLK');
    expect(shown.stdout).toContain('pagerduty:PT4KHLK  SEV2  resolved');
    expect(shown.stdout).toContain('TIMELINE');

    const stats = await pave(
      'incident',
      'stats',
      '--from',
      '2015-10-01',
      '--to',
      '2015-10-31',
      '--format',
      'json',
    );
    expect(stats.code).toBe(0);
    const report = JSON.parse(stats.stdout);
    expect(report).toMatchObject({
      scope: 'org',
      incidents: 2,
      mttaSeconds: { n: 2, p50: null },
      mttrSeconds: { n: 1 },
    });
    for (const key of ['platformCaused', 'recurrenceRate', 'postmortemCompletion', 'actionItems'])
      expect(report).toHaveProperty(key);
    expect(report.actionItems).toEqual({ total: 0, open: 0, overdue: 0, done: 0, cancelled: 0 });

    const load = await pave(
      'oncall',
      'load',
      '--scope',
      'team:payments',
      '--from',
      '2015-10-05',
      '--to',
      '2015-10-11',
      '--format',
      'json',
    );
    // The SMS at 21:31Z is 16:31 in Lima (the user's PagerDuty time zone): business hours. The
    // e-mail is a notification, not a page; the synthetic page of PGR0VU2 goes to payments too.
    expect(JSON.parse(load.stdout).teams).toMatchObject([
      { team: 'group:default/payments', pages: 2, interruptions: 2, businessHours: 2, sleepHours: 0 },
    ]);
  });

  it('creates and updates from flags, and rejects out-of-order times with the field', async () => {
    const created = await pave(
      'incident',
      'create',
      '--id',
      'cli-1',
      '--title',
      'Search timeouts',
      '--severity',
      'P3',
      '--started',
      '2024-05-01T10:00:00Z',
      '--service',
      'search',
      '--cause',
      'capacity',
      '--format',
      'json',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      id: 'pave:cli-1',
      severity: 'SEV3',
      services: ['component:default/search'],
    });
    const updated = await pave(
      'incident',
      'update',
      'pave:cli-1',
      '--resolved',
      '2024-05-01T11:00:00Z',
      '--postmortem-url',
      'https://wiki/pm',
      '--format',
      'json',
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({
      status: 'resolved',
      postmortem: { status: 'draft', url: 'https://wiki/pm' },
    });
    const bad = await pave('incident', 'update', 'pave:cli-1', '--acknowledged', '2024-05-01T12:00:00Z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'command line: error: /resolvedAt: resolvedAt (2024-05-01T11:00:00.000Z) is before acknowledgedAt',
    );
  });

  it('exits 2 for an unknown format or an unreadable file, with the location', async () => {
    const format = await pave('incident', 'import', '--source', 'splunk', 'incidents.json');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      '--source must be one of pagerduty, pagerduty-analytics, opsgenie, cdevents, csv, pave',
    );
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "incidents": [\n    {"id": "P1",}\n  ]\n}\n');
    const alone = await pave('incident', 'import', '--source', 'pagerduty', 'broken.json');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('broken.json:3:');
    expect(alone.stderr).toContain('nothing was imported from 1 file (1 error)');
    // With a good file beside it, some was stored and some refused: exit 1.
    const broken = await pave('incident', 'import', '--source', 'pagerduty', 'broken.json', 'incidents.json');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken.json:3:');
    expect(broken.stderr).toContain(
      'imported 2 files into ' +
        path.join(dir, 'pave.duckdb') +
        ': 2 incidents created, 0 updated, 0 unchanged, 0 records rejected; 3 new pages (1 error)',
    );
  });

  it('counts incidents, not records, and says when nothing was imported', async () => {
    const conformance = path.resolve(import.meta.dirname, '../../../../shared/fixtures/cdevents/conformance');
    const event = (name: string) => path.join(conformance, `${name}.json`);
    const notIncidents = await pave('incident', 'import', '--source', 'cdevents', event('service_deployed'));
    expect(notIncidents.code).toBe(0);
    expect(notIncidents.stderr).toContain(
      'nothing was imported from 1 file: no incident records in the input (1 warning)',
    );
    // Three signals of one incident, in three files: one incident created.
    const signals = ['incident_detected', 'incident_reported', 'incident_resolved'].map(event);
    const one = await pave('incident', 'import', '--source', 'cdevents', ...signals);
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(
      /imported 3 files into .*: 1 incident created, 0 updated, 0 unchanged, 0 records rejected; 0 new pages \(3 warnings\)/,
    );
    const again = await pave('incident', 'import', '--source', 'cdevents', ...signals, '--format', 'json');
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 3, added: 0, updated: 0, unchanged: 1 });

    writeFileSync(
      path.join(dir, 'incidents.csv'),
      [
        'id,title,severity,started_at',
        'A,Checkout slow,SEV2,2024-05-01T10:00:00Z',
        'B,Search down,SEV9,2024-05-02T10:00:00Z',
        'C,Cart down,SEV1,2024-05-02 10:00',
      ].join('\n'),
    );
    const atomic = await pave('incident', 'import', '--source', 'csv', '--atomic', 'incidents.csv');
    expect(atomic.code).toBe(2);
    expect(atomic.stderr).toContain('nothing was imported (atomic): 2 errors in 1 file');
    const partial = await pave('incident', 'import', '--source', 'csv', 'incidents.csv');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(
      /: 1 incident created, 0 updated, 0 unchanged, 2 records rejected; 0 new pages \(2 errors\)/,
    );
  });

  it('finds an incident by the id given at creation, unless another source uses it too', async () => {
    const created = await pave(
      'incident',
      'create',
      '--id',
      'INC-1',
      '--title',
      'Cart errors',
      '--started',
      '2024-05-01T10:00:00Z',
    );
    expect(created.code).toBe(0);
    const shown = await pave('incident', 'get', 'INC-1');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('pave:INC-1  (no severity)  triggered');
    const updated = await pave(
      'incident',
      'update',
      'INC-1',
      '--resolved',
      '2024-05-01T11:00:00Z',
      '--format',
      'json',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ id: 'pave:INC-1', status: 'resolved' });

    writeFileSync(
      path.join(dir, 'other.csv'),
      'id,title,started_at\nINC-1,Cart errors,2024-05-01T10:00:00Z\n',
    );
    expect((await pave('incident', 'import', '--source', 'csv', 'other.csv')).code).toBe(0);
    const ambiguous = await pave('incident', 'get', 'INC-1');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'incident id INC-1 is ambiguous: csv:INC-1, pave:INC-1 match it; give the full id',
    );
    expect((await pave('incident', 'get', 'csv:INC-1')).code).toBe(0);
    const missing = await pave('incident', 'get', 'INC-2');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no incident INC-2');
  });

  it('searches titles with --search; -q is --quiet', async () => {
    await pave('incident', 'import', '--source', 'pagerduty', 'incidents.json');
    const found = await pave('incident', 'list', '--search', 'THE SERVER', '--format', 'json');
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).map((incident: { id: string }) => incident.id)).toEqual([
      'pagerduty:PT4KHLK',
    ]);
    const loud = await pave('incident', 'list');
    expect(loud.stderr).toContain('2 incidents');
    const quiet = await pave('incident', 'list', '-q');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe(loud.stdout);
    expect(quiet.stderr).toBe('');
    expect((await pave('incident', 'list', '-q', 'server')).code).toBe(2);
  });

  it('says why a metric has no value, as the JSON status does', async () => {
    await pave('incident', 'import', '--source', 'pagerduty', 'incidents.json');
    const stats = await pave('incident', 'stats', '--from', '2015-10-01', '--to', '2015-11-01');
    expect(stats.code).toBe(0);
    const row = (metric: string) => stats.stdout.split('\n').find((line) => line.startsWith(metric)) ?? '';
    expect(row('MTTA')).toMatch(/insufficient data \(n=2\)\s+2$/);
    expect(row('MTTR')).toMatch(/insufficient data \(n=1\)\s+1$/);
    expect(row('platform-caused')).toContain('0 (insufficient data (n=2))');
    expect(row('postmortems')).toMatch(/insufficient data \(n=1\)\s+1$/);
    // No incident has a cause category: recurrence has no sample at all.
    expect(row('recurrence')).toMatch(/no data\s+0$/);
    expect(stats.stdout).not.toContain('n/a');
  });
});
