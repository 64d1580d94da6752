/**
 * The SLO routes end to end in-process, through the real app (problem documents, tokens), on both
 * stores.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createApp } from '../../server/createApp.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { incidentMigrations } from '../incidents/migrations.js';
import { SliWriteReportSchema, SloDetailSchema, SloStatusSchema, SloSummarySchema } from './model.js';
import { sloRoutes } from './routes.js';
import {
  importTestCatalog,
  openSloSpec,
  openSloStore,
  SLOTH_TESTDATA,
  series,
} from './testing/sloTestKit.js';

const TOKEN = 'test-token';
const AT = new Date('2026-01-31T00:00:00Z');
const yaml = { 'content-type': 'application/yaml', authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
const pointsJson = (points: ReturnType<typeof series>) =>
  JSON.stringify({
    points: points.map((p) => ({
      start: p.start.toISOString(),
      end: p.end.toISOString(),
      good: p.good,
      total: p.total,
    })),
  });

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`SLO routes on ${factory.engine}`, () => {
    let store: Store;
    let app: OpenAPIHono;
    beforeEach(async () => {
      store = await openSloStore(factory, incidentMigrations);
      await importTestCatalog(store, ['checkout']);
      const config = loadConfig({ env: { PAVE_API_TOKENS: TOKEN }, cwd: '/nonexistent' });
      app = createApp({
        store,
        config,
        domains: [{ name: 'slo', migrations: [], commands: [], routes: sloRoutes }],
        version: 'test',
        log: () => {},
      });
    });
    afterEach(async () => store.close());

    it('registers specs, idempotently, and lists and reads them', async () => {
      const body = openSloSpec({ name: 'checkout-availability' });
      const first = await app.request('/api/v1/slos', { method: 'POST', headers: yaml, body });
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({
        added: 1,
        updated: 0,
        unchanged: 0,
        errors: 0,
        warnings: 0,
      });
      const again = await app.request('/api/v1/slos', { method: 'POST', headers: yaml, body });
      expect(await again.json()).toMatchObject({ added: 0, unchanged: 1 });

      const list = await (await app.request('/api/v1/slos?scope=team:payments')).json();
      expect(list.items.map((slo: { id: string }) => slo.id)).toEqual(['checkout-availability']);
      SloSummarySchema.parse(list.items[0]);
      expect((await (await app.request('/api/v1/slos?scope=team:search')).json()).items).toEqual([]);

      const detail = await app.request('/api/v1/slos/checkout-availability');
      expect(detail.status).toBe(200);
      expect(SloDetailSchema.parse(await detail.json())).toMatchObject({ objective: 99, sli: { points: 0 } });

      const missing = await app.request('/api/v1/slos/nope');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      expect((await missing.json()).detail).toMatch(/no SLO with id "nope"/);
    });

    it('refuses invalid specs with located problems, storing nothing, and writes without a token', async () => {
      const bad = readFileSync(path.join(SLOTH_TESTDATA, 'validate/bad/bad-aa.yaml'), 'utf8');
      const response = await app.request('/api/v1/slos', { method: 'POST', headers: yaml, body: bad });
      expect(response.status).toBe(400);
      const problem = await response.json();
      expect(problem.problems.find((p: { severity: string }) => p.severity === 'error')).toMatchObject({
        file: 'request body',
        line: 28,
        column: 16,
        message: expect.stringMatching(/objective must be >0 and <=100/),
      });
      expect((await (await app.request('/api/v1/slos')).json()).items).toEqual([]);

      const anonymous = await app.request('/api/v1/slos', {
        method: 'POST',
        headers: { 'content-type': 'application/yaml' },
        body: openSloSpec({ name: 'x' }),
      });
      expect(anonymous.status).toBe(401);
    });

    it('takes SLI points, validating them with JSON pointers, and evaluates', async () => {
      await app.request('/api/v1/slos', {
        method: 'POST',
        headers: yaml,
        body: openSloSpec({ name: 'checkout-availability' }),
      });
      const points = series(AT, 24, 60, (back) =>
        back === 0 ? { good: 90, total: 100 } : { good: 100, total: 100 },
      );
      const sent = await app.request('/api/v1/slos/checkout-availability/sli', {
        method: 'POST',
        headers: json,
        body: pointsJson(points),
      });
      expect(sent.status).toBe(200);
      expect(SliWriteReportSchema.parse(await sent.json())).toMatchObject({ received: 24, added: 24 });
      const again = await app.request('/api/v1/slos/checkout-availability/sli', {
        method: 'POST',
        headers: json,
        body: pointsJson(points),
      });
      expect(await again.json()).toMatchObject({ added: 0, unchanged: 24 });

      const invalid = await app.request('/api/v1/slos/checkout-availability/sli', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          points: [{ start: '2026-01-31T01:00:00Z', end: '2026-01-31T00:00:00Z', good: 5, total: 1 }],
        }),
      });
      expect(invalid.status).toBe(400);
      const problem = await invalid.json();
      expect(problem.problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual([
        '/points/0/end',
        '/points/0/good',
      ]);

      const overlapping = series(AT, 2, 30, () => ({ good: 1, total: 1 }));
      const conflict = await app.request('/api/v1/slos/checkout-availability/sli', {
        method: 'POST',
        headers: json,
        body: pointsJson(overlapping),
      });
      expect(conflict.status).toBe(409);
      expect((await conflict.json()).problems[0].message).toMatch(/overlaps the stored point/);

      const unknown = await app.request('/api/v1/slos/nope/sli', {
        method: 'POST',
        headers: json,
        body: pointsJson(points),
      });
      expect(unknown.status).toBe(404);

      const all = await (await app.request('/api/v1/slos/status?at=2026-01-31T00:00:00Z')).json();
      expect(all.at).toBe('2026-01-31T00:00:00.000Z');
      const status = SloStatusSchema.parse(all.items[0]);
      expect(status).toMatchObject({ slo: 'checkout-availability', status: 'ok', burnRates: { '1h': 10 } });
      expect(status.attainment).toBeCloseTo(100 * (1 - 10 / 2400), 6);

      const one = await app.request('/api/v1/slos/checkout-availability/status?at=2026-01-31');
      expect(SloStatusSchema.parse(await one.json()).errorBudgetRemaining).toBeCloseTo(
        100 * (1 - 10 / 2400 / 0.01),
        6,
      );
      expect((await app.request('/api/v1/slos/nope/status')).status).toBe(404);
      const badAt = await app.request('/api/v1/slos/status?at=yesterday');
      expect(badAt.status).toBe(400);
      expect((await badAt.json()).detail).toMatch(/^at must be an ISO-8601 time/);
    });
  });
}
