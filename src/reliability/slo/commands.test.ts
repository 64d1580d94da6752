/**
 * `pave slo import|list|get|push|pull|status` through the real command line (argument parsing,
 * rendering, exit codes), on a DuckDB file, and on PostgreSQL when configured.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogCommands } from '../../catalog/commands.js';
import { catalogMigrations } from '../../catalog/migrations.js';
import { runCli } from '../../cli/runCli.js';
import { tempFolder } from '../../core/testing/tempFiles.js';
import { createTestSchema } from '../../store/testing/testStores.js';
import { incidentMigrations } from '../incidents/migrations.js';
import { sloEvaluationCommands } from './commands.js';
import { sloMigrations } from './sloMigrations.js';
import { type FakePrometheus, startFakePrometheus } from './testing/fakePrometheus.js';
import { openSloSpec, SLOTH_TESTDATA } from './testing/sloTestKit.js';

const program = {
  commands: [...catalogCommands, ...sloEvaluationCommands],
  migrations: [...catalogMigrations, ...incidentMigrations, ...sloMigrations],
};

const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout }
spec: { type: service, lifecycle: production, owner: payments }
`;

function csv(rows: [string, string, number, number][]): string {
  return `start,end,good,total\n${rows.map((row) => row.join(',')).join('\n')}\n`;
}

const engines = [
  { engine: 'duckdb', db: (dir: string) => path.join(dir, 'pave.duckdb') },
  ...(process.env.PAVE_TEST_PG_URL ? [{ engine: 'postgres', db: () => 'postgres' }] : []),
];

for (const { engine, db } of engines) {
  describe(`pave slo commands on ${engine}`, () => {
    let dir: string;
    let dbArg: string;
    let dropSchema: (() => Promise<void>) | undefined;

    async function pave(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (chunk) => {
        out += chunk;
      });
      stderr.on('data', (chunk) => {
        err += chunk;
      });
      const code = await runCli(
        [...args, '--db', dbArg],
        { stdout, stderr, stdin: Readable.from([stdin]), cwd: dir, env, interrupted: new Promise(() => {}) },
        program,
      );
      return { code, out, err };
    }

    beforeEach(async () => {
      dir = tempFolder({
        'catalog.yaml': CATALOG,
        'slo.yaml': openSloSpec({ name: 'checkout-availability', target: 0.99 }),
        'good.csv': csv([
          ['2026-01-30T23:00:00Z', '2026-01-31T00:00:00Z', 900, 1000],
          ['2026-01-30T22:00:00Z', '2026-01-30T23:00:00Z', 1000, 1000],
        ]),
        'bad.csv': csv([
          ['2026-01-30T22:00:00Z', '2026-01-30T23:00:00Z', 1000, 1000],
          ['2026-01-30T23:00:00Z', '2026-01-30T23:00:00Z', 5, 4],
        ]),
      });
      if (engine === 'postgres') {
        const schema = await createTestSchema();
        dbArg = schema.url;
        dropSchema = schema.drop;
      } else {
        dbArg = db(dir);
      }
      expect((await pave(['catalog', 'import', 'catalog.yaml'])).code).toBe(0);
    });
    afterEach(async () => {
      await dropSchema?.();
      dropSchema = undefined;
    });

    it('imports specs, lists and shows them', async () => {
      const imported = await pave([
        'slo',
        'import',
        'slo.yaml',
        path.join(SLOTH_TESTDATA, 'in-base.yaml'),
        '--format',
        'json',
      ]);
      expect(imported.code).toBe(0);
      const report = JSON.parse(imported.out);
      expect(report).toMatchObject({ added: 3, updated: 0, unchanged: 0, errors: 0 });
      // svc01 of Sloth's example is not in this catalog.
      expect(report.problems[0]).toMatchObject({
        severity: 'warning',
        file: path.join(SLOTH_TESTDATA, 'in-base.yaml'),
      });
      const again = await pave(['slo', 'import', 'slo.yaml']);
      expect(again.out).toMatch(/checkout-availability\s+component:default\/checkout\s+unchanged/);
      expect(again.err).toMatch(/0 added, 0 updated, 1 unchanged/);

      const list = await pave(['slo', 'list', '--scope', 'team:payments', '--format', 'csv']);
      expect(list.out.split('\r\n')[0]).toBe('id,service,objective,window,budgetingMethod,component');
      expect(list.out).toContain(
        'checkout-availability,checkout,99,30d rolling,Occurrences,component:default/checkout',
      );
      expect(list.out).not.toContain('svc01');

      const get = await pave(['slo', 'get', 'checkout-availability', '--format', 'json']);
      expect(JSON.parse(get.out)).toMatchObject({ id: 'checkout-availability', format: 'openslo/v1' });
      // The table format is a readable summary, not JSON.
      const shown = await pave(['slo', 'get', 'checkout-availability']);
      expect(shown.code).toBe(0);
      expect(shown.out).not.toContain('{');
      expect(shown.out).toMatch(/^checkout-availability\n/);
      expect(shown.out).toMatch(/^ {2}objective +99%$/m);
      expect(shown.out).toMatch(/^ {2}window +30d rolling$/m);
      expect(shown.out).toMatch(/^ {2}SLI data +none yet/m);
      const missing = await pave(['slo', 'get', 'nope']);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/no SLO with id "nope"/);
    });

    it('refuses an invalid spec with exit code 2 and file:line:col', async () => {
      const bad = path.join(SLOTH_TESTDATA, 'validate/bad/bad-aa.yaml');
      const result = await pave(['slo', 'import', bad]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`${bad}:28:16: error: /slos/1/objective: objective must be >0 and <=100`);
      expect((await pave(['slo', 'list', '--format', 'json'])).out.trim()).toBe('[]');
    });

    it('pushes CSV and JSON, reports bad rows, and shows the status', async () => {
      await pave(['slo', 'import', 'slo.yaml']);
      const bad = await pave(['slo', 'push', 'checkout-availability', 'bad.csv']);
      expect(bad.code).toBe(2);
      // Data row 2 is line 3 of the file, under the header.
      expect(bad.err).toMatch(/^bad\.csv:3: error: column end: end must be after start/m);
      expect(bad.err).toMatch(/^error: 2 problems in bad\.csv: nothing was stored$/m);
      writeFileSync(
        path.join(dir, 'nan.csv'),
        'start,end,good,total\n2026-01-30T22:00:00Z,2026-01-30T23:00:00Z,abc,10\n',
      );
      const nan = await pave(['slo', 'push', 'checkout-availability', 'nan.csv']);
      expect(nan.code).toBe(2);
      expect(nan.err).toMatch(/^nan\.csv:2: error: column good: must be a number, not "abc"$/m);
      expect(nan.err).not.toMatch(/NaN|Invalid input/);

      const good = await pave(['slo', 'push', 'checkout-availability', 'good.csv', '--format', 'json']);
      expect(good.code).toBe(0);
      expect(JSON.parse(good.out)).toMatchObject({ received: 2, added: 2 });

      const body = JSON.stringify({
        points: [{ start: '2026-01-30T21:00:00Z', end: '2026-01-30T22:00:00Z', good: 1000, total: 1000 }],
      });
      const stdin = await pave(['slo', 'push', 'checkout-availability', '-', '--format', 'json'], body);
      expect(JSON.parse(stdin.out)).toMatchObject({ received: 1, added: 1 });

      const json = await pave(['slo', 'status', '--at', '2026-01-31T00:00:00Z', '--format', 'json']);
      expect(json.code).toBe(0);
      const data = JSON.parse(json.out);
      expect(data.at).toBe('2026-01-31T00:00:00.000Z');
      expect(data.slos[0]).toMatchObject({
        slo: 'checkout-availability',
        service: 'checkout',
        objective: 99,
        window: { type: 'rolling', duration: '30d' },
        burnRates: { '1h': 10 },
        // The last four weeks overspent the budget.
        policyState: 'release_freeze',
      });
      // 100 bad of 3,000 events on a 1% budget: attainment 96.67%, budget overspent.
      expect(data.slos[0].attainment).toBeCloseTo(96.666667, 5);
      expect(data.slos[0].errorBudgetRemaining).toBeCloseTo(-233.333333, 5);
      expect(data.slos[0].exhaustionForecast).toMatchObject({ status: 'exhausted', burnRateWindow: '1d' });

      const table = await pave(['slo', 'status', '--at', '2026-01-31', '--scope', 'service:checkout']);
      expect(table.out.split('\n')[0]).toMatch(
        /^SLO\s+SERVICE\s+OBJECTIVE %\s+WINDOW\s+ATTAINMENT %\s+BUDGET LEFT %\s+BURN 1h/,
      );
      expect(table.out).toMatch(
        /checkout-availability\s+checkout\s+99\s+30d rolling\s+96\.6667\s+-233\.3333\s+10\s/,
      );
      expect(table.err).toMatch(/1 SLO at 2026-01-31T00:00:00.000Z: 1 release freeze/);

      const unknown = await pave(['slo', 'status', 'nope']);
      expect(unknown.code).toBe(2);
      const badAt = await pave(['slo', 'status', '--at', 'soon']);
      expect(badAt.code).toBe(2);
      expect(badAt.err).toMatch(/--at must be an ISO-8601 time/);
    });

    describe('pull', () => {
      let prometheus: FakePrometheus;
      beforeEach(async () => {
        prometheus = await startFakePrometheus((query) => [
          { metric: {}, value: () => (query.includes('code!~"5.."') ? 9.9 : 10) },
        ]);
      });
      afterEach(async () => prometheus.close());

      it('pulls from the Prometheus named by --prometheus or PAVE_PROMETHEUS_URL', async () => {
        await pave(['slo', 'import', 'slo.yaml']);
        const none = await pave(['slo', 'pull']);
        expect(none.code).toBe(2);
        expect(none.err).toMatch(/no Prometheus to pull from/);

        const pulled = await pave([
          'slo',
          'pull',
          '--prometheus',
          prometheus.url,
          '--from',
          '2026-01-30T00:00:00Z',
          '--to',
          '2026-01-30T01:00:00Z',
          '--step',
          '1m',
          '--format',
          'json',
        ]);
        expect(pulled.code).toBe(0);
        expect(JSON.parse(pulled.out)).toEqual([
          expect.objectContaining({ slo: 'checkout-availability', status: 'pulled', points: 60 }),
        ]);
        const status = JSON.parse(
          (await pave(['slo', 'status', '--at', '2026-01-30T01:00:00Z', '--format', 'json'])).out,
        );
        expect(status.slos[0].attainment).toBeCloseTo(99, 6);
        expect(status.slos[0].burnRates['1h']).toBeCloseTo(1, 6);

        // From the environment, incrementally from where the last pull ended.
        const next = await pave(
          ['slo', 'pull', '--to', '2026-01-30T02:00:00Z', '--step', '1m', '--format', 'json'],
          '',
          { PAVE_PROMETHEUS_URL: prometheus.url },
        );
        expect(JSON.parse(next.out)[0]).toMatchObject({ from: '2026-01-30T01:00:00.000Z', points: 60 });
      });
    });
  });
}
