import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import { silentProgress } from '../core/progress.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import { allMigrations } from '../domains.js';
import { readSloSpecs } from '../reliability/ingest/readSloSpecs.js';
import { evaluateSlos } from '../reliability/slo/index.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { generateOrganisation } from './organisation.js';
import { DEMO_HOURLY_DAYS, DEMO_SLI_HOURS, demoSloPlans, demoSpecFiles, sloDemoPart } from './slos.js';
import { writeCatalogFiles } from './writeCatalog.js';

const organisation = generateOrganisation({ seed: 3, teams: 8 });
const AS_OF = new Date('2026-01-31T00:00:00Z');

describe('demo SLO specs', () => {
  it('are real Sloth and OpenSLO files for every tier-1 service and website', () => {
    const plans = demoSloPlans(organisation);
    const tier1 = organisation.components.filter((c) => c.tier === 1 && c.type !== 'library');
    expect(new Set(plans.map((plan) => plan.component.ref))).toEqual(new Set(tier1.map((c) => c.ref)));
    const read = readSloSpecs(demoSpecFiles(plans));
    expect(read.problems).toEqual([]);
    expect(read.slos.map((slo) => slo.id).sort()).toEqual(plans.map((plan) => plan.id));
    const formats = new Set(read.slos.map((slo) => slo.source.format));
    expect(formats).toEqual(new Set(['openslo/v1', 'sloth/prometheus/v1']));
    const latency = read.slos.find((slo) => slo.id.endsWith('-latency'));
    expect(latency).toMatchObject({
      budgetingMethod: 'Timeslices',
      timeSliceWindow: '1h',
      timeWindow: { type: 'calendar' },
    });
  });
});

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`the SLO demo part on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(allMigrations());
      const written = await writeCatalogFiles(organisation, tempFolder());
      await importCatalog(store, readCatalogFiles([written.root]), {
        rootKey: fileLocationKey(written.root),
      });
    });
    afterEach(async () => store.close());

    async function fingerprint(): Promise<{ hash: string; points: number; last: Date }> {
      const rows = await store.query<{
        slo_id: string;
        start_at: Date;
        end_at: Date;
        good: number;
        total: number;
      }>(
        `SELECT s.slo_id, p.start_at, p.end_at, p.good, p.total FROM slo_sli_points p JOIN slo_specs s ON s.slo_key = p.slo_key
         ORDER BY s.slo_id, p.start_at`,
      );
      const hash = createHash('sha256');
      for (const row of rows)
        hash.update(
          `${row.slo_id} ${row.start_at.toISOString()} ${row.end_at.toISOString()} ${row.good} ${row.total}\n`,
        );
      return {
        hash: hash.digest('hex'),
        points: rows.length,
        last: new Date(Math.max(...rows.map((row) => row.end_at.getTime()))),
      };
    }

    it('is deterministic for (seed, asOf), replaces its rows, and tells a story', async () => {
      const context = { store, organisation, seed: 3, asOf: AS_OF, progress: silentProgress };
      const summary = await sloDemoPart.run(context);
      const first = await fingerprint();
      const plans = demoSloPlans(organisation);
      const latency = plans.filter((plan) => plan.kind === 'latency').length;
      const availability = plans.length - latency;
      const hourly = DEMO_HOURLY_DAYS * 24;
      expect(first.points).toBe(
        latency * DEMO_SLI_HOURS + availability * (hourly + (DEMO_SLI_HOURS - hourly) / 24),
      );
      expect(first.last).toEqual(AS_OF);
      expect(summary).toMatch(
        new RegExp(`^${plans.length} SLOs \\(\\d+ spec files\\) with [\\d,]+ hourly SLI points`),
      );

      expect(await sloDemoPart.run(context)).toBe(summary);
      expect(await fingerprint()).toEqual(first);

      const statuses = await evaluateSlos(store, { at: AS_OF });
      expect(statuses).toHaveLength(plans.length);
      expect(statuses.some((s) => (s.errorBudgetRemaining ?? 1) <= 0)).toBe(true);
      expect(statuses.some((s) => (s.errorBudgetRemaining ?? 0) > 50)).toBe(true);
      expect(statuses.every((s) => s.status === 'ok')).toBe(true);
      expect(statuses.flatMap((s) => s.warnings)).toEqual([]);

      // Another day: the history moves with asOf, and nothing of the earlier run is left.
      const later = new Date('2026-02-02T00:00:00Z');
      await sloDemoPart.run({ ...context, asOf: later });
      const moved = await fingerprint();
      expect(moved.points).toBe(first.points);
      expect(moved.last).toEqual(later);
      expect(moved.hash).not.toBe(first.hash);
    });
  });
}
