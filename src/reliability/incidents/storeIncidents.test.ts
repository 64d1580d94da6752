/**
 * Storing incidents on both engines: idempotent re-imports, newer updates, merges, rejection of
 * out-of-order timestamps against the stored version, service resolution through the catalog, and
 * the attribution records the delivery domain reads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogMigrations } from '../../catalog/migrations.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { listIncidentsForAttribution } from '../index.js';
import { readPaveIncidents } from './ingest/paveInput.js';
import { incidentMigrations } from './migrations.js';
import { getIncident, listIncidents } from './queries.js';
import { storeIncidents } from './storeIncidents.js';
import { importTestCatalog } from './testing/catalogFixture.js';

const migrations = [...catalogMigrations, ...incidentMigrations];

function batch(value: unknown) {
  return readPaveIncidents(value, { source: 'pave', file: 'test.json' });
}

const checkoutOutage = {
  id: 'INC-1',
  title: 'Checkout returns 500s',
  severity: 'P1',
  startedAt: '2024-05-01T10:00:00Z',
  detectedAt: '2024-05-01T10:02:00Z',
  acknowledgedAt: '2024-05-01T10:05:00Z',
  mitigatedAt: '2024-05-01T10:30:00Z',
  resolvedAt: '2024-05-01T11:00:00Z',
  services: ['checkout', 'component:default/Payments-API'],
  deploymentIds: ['deploy-42'],
  shas: ['ABCDEF1234567'],
  causeCategory: 'Deployment',
  pages: [{ sentAt: '2024-05-01T10:02:30Z', responder: 'user:default/ada', channel: 'push' }],
};

async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'incidents',
    'incident_services',
    'incident_links',
    'incident_action_items',
    'incident_notifications',
  ]) {
    const [row] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = row!.n;
  }
  return counts;
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`storing incidents on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(migrations);
      await importTestCatalog(store);
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores an incident with resolved services, links and pages, and serves it for attribution', async () => {
      const report = await storeIncidents(store, batch(checkoutOutage));
      expect(report).toMatchObject({
        read: 1,
        added: 1,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        notifications: 1,
      });
      const incident = await getIncident(store, 'pave:INC-1');
      expect(incident.severity).toBe('SEV1');
      expect(incident.status).toBe('resolved');
      expect(incident.causeCategory).toBe('deployment');
      // `checkout` is a bare name the catalog knows; the ref's name keeps its case but the key is lower-case.
      expect(incident.services).toEqual(['component:default/checkout', 'component:default/payments-api']);
      expect(incident.teams).toEqual([]);

      const attribution = await listIncidentsForAttribution(store, {
        from: new Date('2024-05-01T00:00:00Z'),
        to: new Date('2024-05-02T00:00:00Z'),
      });
      expect(attribution).toEqual([
        {
          id: 'pave:INC-1',
          severity: 'SEV1',
          startedAt: new Date('2024-05-01T10:00:00Z'),
          mitigatedAt: new Date('2024-05-01T10:30:00Z'),
          resolvedAt: new Date('2024-05-01T11:00:00Z'),
          services: ['component:default/checkout', 'component:default/payments-api'],
          deploymentIds: ['deploy-42'],
          shas: ['abcdef1234567'],
        },
      ]);
      // The window is [from, to): an incident starting exactly at `to` is not in it.
      expect(
        await listIncidentsForAttribution(store, {
          from: new Date('2024-04-30T00:00:00Z'),
          to: new Date('2024-05-01T10:00:00Z'),
        }),
      ).toEqual([]);
      const [page] = await store.query<{ team_ref: string | null }>(
        'SELECT team_ref FROM incident_notifications',
      );
      // The first service's owner in the test catalog.
      expect(page?.team_ref).toBe('group:default/payments');
    });

    it('re-importing the same input changes nothing', async () => {
      await storeIncidents(store, batch([checkoutOutage]));
      const before = await tableCounts(store);
      const [{ hash, updated_at }] = (await store.query<{ hash: string; updated_at: Date }>(
        'SELECT hash, updated_at FROM incidents',
      )) as [{ hash: string; updated_at: Date }];
      const again = await storeIncidents(store, batch([checkoutOutage]), {
        now: new Date('2030-01-01T00:00:00Z'),
      });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1, notifications: 0 });
      expect(await tableCounts(store)).toEqual(before);
      const [row] = await store.query<{ hash: string; updated_at: Date }>(
        'SELECT hash, updated_at FROM incidents',
      );
      expect(row).toEqual({ hash, updated_at });
    });

    it('a newer update replaces fields; an older one only fills gaps', async () => {
      await storeIncidents(store, batch({ ...checkoutOutage, updatedAt: '2024-05-02T00:00:00Z' }));
      const newer = await storeIncidents(
        store,
        batch({
          id: 'INC-1',
          title: 'Checkout 500s after deploy 42',
          severity: 'SEV2',
          startedAt: '2024-05-01T10:00:00Z',
          closedAt: '2024-05-03T09:00:00Z',
          updatedAt: '2024-05-03T09:00:00Z',
        }),
      );
      expect(newer).toMatchObject({ updated: 1 });
      let incident = await getIncident(store, 'pave:INC-1');
      expect(incident).toMatchObject({
        title: 'Checkout 500s after deploy 42',
        severity: 'SEV2',
        status: 'closed',
        resolvedAt: '2024-05-01T11:00:00.000Z',
        services: ['component:default/checkout', 'component:default/payments-api'],
      });
      const older = await storeIncidents(
        store,
        batch({
          id: 'INC-1',
          title: 'An old title',
          startedAt: '2024-05-01T10:00:00Z',
          causeCategory: 'config',
          updatedAt: '2024-05-01T12:00:00Z',
        }),
      );
      expect(older).toMatchObject({ updated: 0, unchanged: 1 });
      incident = await getIncident(store, 'pave:INC-1');
      expect(incident.title).toBe('Checkout 500s after deploy 42');
      expect(incident.causeCategory).toBe('deployment');
    });

    it('rejects an update whose timestamps contradict the stored ones, and keeps the stored incident', async () => {
      await storeIncidents(store, batch(checkoutOutage));
      const report = await storeIncidents(
        store,
        batch({
          id: 'INC-1',
          title: 'x',
          startedAt: '2024-05-01T12:00:00Z',
          updatedAt: '2024-05-05T00:00:00Z',
        }),
      );
      expect(report.rejected).toBe(1);
      expect(report.problems.map((p) => p.message)).toContainEqual(
        expect.stringMatching(/^with the stored version of this incident, detectedAt .* is before startedAt/),
      );
      expect((await getIncident(store, 'pave:INC-1')).startedAt).toBe('2024-05-01T10:00:00.000Z');
    });

    it('lists incidents newest first with filters and a cursor', async () => {
      const incidents = Array.from({ length: 5 }, (_, i) => ({
        id: `L-${i}`,
        title: `Incident ${i}`,
        severity: i % 2 === 0 ? 'SEV2' : 'SEV3',
        startedAt: `2024-06-0${i + 1}T08:00:00Z`,
        services: [i < 3 ? 'checkout' : 'search'],
      }));
      await storeIncidents(store, batch(incidents));
      const first = await listIncidents(store, {}, { limit: 2 });
      expect(first.items.map((item) => item.id)).toEqual(['pave:L-4', 'pave:L-3']);
      expect(first.totalItems).toBe(5);
      const second = await listIncidents(store, {}, { limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((item) => item.id)).toEqual(['pave:L-2', 'pave:L-1']);
      const third = await listIncidents(store, {}, { limit: 2, cursor: second.nextCursor! });
      expect(third.items.map((item) => item.id)).toEqual(['pave:L-0']);
      expect(third.nextCursor).toBeUndefined();
      const filtered = await listIncidents(store, {
        severity: 'SEV2',
        service: 'component:default/checkout',
      });
      expect(filtered.items.map((item) => item.id)).toEqual(['pave:L-2', 'pave:L-0']);
    });
  });
}
