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

    const shown = await pave('incident', 'get', 'pagerduty:PT4KHLK');
    expect(shown.stdout).toContain('pagerduty:PT4KHLK  SEV2  resolved');
    expect(shown.stdout).toContain('TIMELINE');

    const stats = await pave(
      'incident',
      'stats',
      '--from',
      '2015-10-01',
      '--to',
      '2015-11-01',
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
      '2015-10-12',
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
      'command line#/resolvedAt: error: resolvedAt (2024-05-01T11:00:00.000Z) is before acknowledgedAt',
    );
  });

  it('exits 2 for an unknown format or an unreadable file, with the location', async () => {
    const format = await pave('incident', 'import', '--source', 'splunk', 'incidents.json');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      '--source must be one of pagerduty, pagerduty-analytics, opsgenie, cdevents, csv, pave',
    );
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "incidents": [\n    {"id": "P1",}\n  ]\n}\n');
    const broken = await pave('incident', 'import', '--source', 'pagerduty', 'broken.json', 'incidents.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json:3:');
    // The good file was still imported.
    expect(broken.stderr).toContain('2 added');
  });
});
