/**
 * `pave deployment record` and `pave deployment list` through the CLI runner, on a DuckDB file:
 * the warning for a service the catalog does not know, and the component each deployment counts for.
 */
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogDomain } from '../catalog/index.js';
import { runCli } from '../cli/runCli.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import { deliveryDomain } from './index.js';
import { TEST_CATALOG } from './testing/deliveryStore.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('pave deployment record and list', () => {
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
        commands: [...catalogDomain.commands, ...deliveryDomain.commands],
        migrations: [...catalogDomain.migrations, ...deliveryDomain.migrations],
      },
    );
    return { code, stdout: out, stderr: err };
  };
  const record = (id: string, service: string, finished: string) =>
    pave(
      'deployment',
      'record',
      '--id',
      id,
      '--service',
      service,
      '--env',
      'production',
      '--finished',
      finished,
    );

  beforeEach(async () => {
    dir = tempFolder({ 'catalog.yaml': TEST_CATALOG });
    expect((await pave('catalog', 'import', 'catalog.yaml')).code).toBe(0);
  });

  it('keeps a deployment of an unknown service with a warning, exit 0', async () => {
    const run = await record('r1', 'nosuch', '2024-03-04T12:00:00Z');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: service nosuch matches no catalog component: the deployment is kept and counted at organisation scope as unattributed until the catalog names it',
    );
    const known = await record('r2', 'acme/checkout', '2024-03-05T12:00:00Z');
    expect(known.code).toBe(0);
    expect(known.stderr).not.toContain('warning');
    expect(known.stderr).toContain(
      'deployment r2: created (component:default/checkout to production, success)',
    );
  });

  it('lists the component each deployment counts for, the raw name when none, and pages with --cursor', async () => {
    await record('r1', 'nosuch', '2024-03-04T12:00:00Z');
    await record('r2', 'artist-lookup', '2024-03-05T12:00:00Z');
    await record('r3', 'acme/checkout', '2024-03-06T12:00:00Z');
    const table = await pave('deployment', 'list');
    expect(table.code).toBe(0);
    const rows = table.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/ {2,}/).slice(0, 2));
    expect(rows).toEqual([
      ['ID', 'SERVICE'],
      ['r3', 'component:default/checkout'],
      ['r2', 'artist-lookup'],
      ['r1', 'nosuch'],
    ]);
    const json = await pave('deployment', 'list', '--format', 'json');
    expect(
      JSON.parse(json.stdout).map((d: { id: string; service: string; component: string | null }) => [
        d.id,
        d.service,
        d.component,
      ]),
    ).toEqual([
      ['r3', 'acme/checkout', 'component:default/checkout'],
      ['r2', 'artist-lookup', null],
      ['r1', 'nosuch', null],
    ]);
    const first = await pave('deployment', 'list', '--limit', '2');
    const cursor = /more with --cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const rest = await pave('deployment', 'list', '--cursor', cursor!, '--format', 'json');
    expect(JSON.parse(rest.stdout).map((d: { id: string }) => d.id)).toEqual(['r1']);
    const bad = await pave('deployment', 'list', '--cursor', 'garbage');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cursor: not a cursor this API returned');
  });
});
