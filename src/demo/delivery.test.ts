import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import { silentProgress } from '../core/progress.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import { computeDora } from '../delivery/index.js';
import { allMigrations } from '../domains.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { deliveryDemoPart, generateDeliveryHistory } from './delivery.js';
import { generateOrganisation } from './organisation.js';
import { writeCatalogFiles } from './writeCatalog.js';

const asOf = new Date('2026-01-15T00:00:00Z');
const organisation = generateOrganisation({ seed: 3, teams: 6 });

function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value, (_key, v) => (v instanceof Date ? v.toISOString() : v)))
    .digest('hex');
}

describe('generateDeliveryHistory', () => {
  it('is deterministic for a seed and asOf, and differs for another seed', () => {
    const a = generateDeliveryHistory(organisation, 3, asOf);
    const b = generateDeliveryHistory(organisation, 3, asOf);
    expect(digest(a)).toBe(digest(b));
    expect(digest(generateDeliveryHistory(organisation, 4, asOf))).not.toBe(digest(a));
    expect(a.deployments.length).toBeGreaterThan(1000);
  });
});

const duckdb = testStores().find((factory) => factory.engine === 'duckdb')!;

describe('the delivery demo part on duckdb', () => {
  let store: Store;
  beforeAll(async () => {
    store = await duckdb.open(allMigrations());
    const written = await writeCatalogFiles(organisation, tempFolder({}, 'pave-demo-delivery-'));
    await importCatalog(store, readCatalogFiles([written.root]), { rootKey: fileLocationKey(written.root) });
    await deliveryDemoPart.run({ store, organisation, seed: 3, asOf, progress: silentProgress });
  });
  afterAll(async () => store?.close());

  it('gives each team the tier of its profile today', async () => {
    const window = { from: new Date(asOf.getTime() - 90 * 86_400_000), to: asOf };
    const checked: string[] = [];
    for (const tier of ['elite', 'low'] as const) {
      const team = organisation.teams.find((t) => t.profile.delivery === tier);
      if (!team) continue;
      const report = await computeDora(store, {
        scope: `team:${team.ref}`,
        ...window,
        incidents: async () => [],
      });
      expect(report.leadTime.tier).toBe(tier);
      if (tier === 'elite') expect(report.deploymentFrequency.tier).toBe('elite');
      checked.push(tier);
    }
    expect(checked).toEqual(['elite', 'low']);
  });

  it('replaces its rows when it runs again', async () => {
    const [before] = await store.query<{ n: number }>('SELECT count(*) AS n FROM delivery_deployments');
    await deliveryDemoPart.run({ store, organisation, seed: 3, asOf, progress: silentProgress });
    const [after] = await store.query<{ n: number }>('SELECT count(*) AS n FROM delivery_deployments');
    expect(after!.n).toBe(before!.n);
    const org = await computeDora(store, {
      from: new Date('2025-12-01T00:00:00Z'),
      to: asOf,
      incidents: async () => [],
    });
    expect(org.unattributed?.deployments).toBeGreaterThan(0); // the legacy batch job
    expect(org.changeFailureRate.failed).toBeGreaterThan(0);
    expect(org.pullRequests.n).toBeGreaterThan(0);
  });
});
