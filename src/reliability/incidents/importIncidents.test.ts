/**
 * Every import format into both stores: what is stored, idempotent re-imports, sources that add up
 * (REST after analytics, real notifications replacing synthetic pages, CDEvents detection after
 * resolution), and bad input that stores nothing of the bad record.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogMigrations } from '../../catalog/migrations.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { importIncidents, importOutcome } from './importIncidents.js';
import { incidentMigrations } from './migrations.js';
import { getIncident } from './queries.js';
import { AtomicImportRefused } from './storeIncidents.js';
import { importTestCatalog } from './testing/catalogFixture.js';
import {
  opsgenieGetAlertResponse,
  opsgenieListAlertsResponse,
  pagerDutyAnalyticsExport,
  pagerDutyListResponse,
} from './testing/payloads.js';

const conformance = path.resolve(import.meta.dirname, '../../../../shared/fixtures/cdevents/conformance');
const migrations = [...catalogMigrations, ...incidentMigrations];

async function snapshot(store: Store) {
  return {
    incidents: await store.query('SELECT id, hash, updated_at FROM incidents ORDER BY id'),
    services: await store.query('SELECT * FROM incident_services ORDER BY incident_id, service_ref'),
    notifications: await store.query('SELECT * FROM incident_notifications ORDER BY id'),
  };
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`incident imports on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(migrations);
      await importTestCatalog(store);
    });
    afterEach(async () => {
      await store.close();
    });

    it('imports PagerDuty REST incidents, resolving services by pagerduty.com/service-id, idempotently', async () => {
      const text = JSON.stringify(pagerDutyListResponse());
      const report = await importIncidents(store, text, 'pagerduty', { file: 'incidents.json' });
      expect(report).toMatchObject({ read: 2, added: 2, rejected: 0, notifications: 3 });
      const fire = await getIncident(store, 'pagerduty:PT4KHLK');
      expect(fire.services).toEqual(['component:default/checkout']);
      // "Payments Team" is the payments group's display name.
      expect(fire.teams).toEqual(['group:default/payments']);
      expect((await getIncident(store, 'pagerduty:PGR0VU2')).services).toEqual([
        'component:default/payments-api',
      ]);

      const before = await snapshot(store);
      const again = await importIncidents(store, text, 'pagerduty', { file: 'incidents.json' });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2, notifications: 0 });
      expect(await snapshot(store)).toEqual(before);
    });

    it('adds the REST record to an analytics import of the same incident, and real pages replace synthetic ones', async () => {
      await importIncidents(store, JSON.stringify(pagerDutyAnalyticsExport()), 'pagerduty-analytics', {
        file: 'raw.json',
      });
      let pages = await store.query<{ id: string; synthetic: boolean }>(
        "SELECT id, synthetic FROM incident_notifications WHERE incident_id = 'pagerduty:PT4KHLK'",
      );
      expect(pages).toEqual([{ id: 'pagerduty:PT4KHLK:trigger', synthetic: true }]);
      const analytics = await getIncident(store, 'pagerduty:PT4KHLK');
      expect(analytics.acknowledgedAt).toBe('2015-10-06T21:32:52.000Z');

      const report = await importIncidents(store, JSON.stringify(pagerDutyListResponse()), 'pagerduty');
      expect(report).toMatchObject({ added: 1, updated: 1 });
      pages = await store.query(
        "SELECT id, synthetic FROM incident_notifications WHERE incident_id = 'pagerduty:PT4KHLK' ORDER BY id",
      );
      expect(pages).toEqual([
        { id: 'pagerduty:R2XGXEI3W0FHMRSJJ', synthetic: false },
        { id: 'pagerduty:R3XGXEI3W0FHMRSJK', synthetic: false },
      ]);
      const merged = await getIncident(store, 'pagerduty:PT4KHLK');
      expect(merged).toMatchObject({
        severity: 'SEV2',
        url: 'https://subdomain.pagerduty.com/incidents/PT4KHLK',
      });
      expect(merged.timeline).toHaveLength(5);
      // The analytics row of an unknown service is kept, with the service reported as unresolved.
      expect((await getIncident(store, 'pagerduty:Q0ANALYT3')).unresolvedServices).toEqual([
        'PagerDuty service PUNKNOWN Legacy Mainframe',
      ]);
      // Importing the analytics export again after the REST record changes nothing.
      const again = await importIncidents(
        store,
        JSON.stringify(pagerDutyAnalyticsExport()),
        'pagerduty-analytics',
      );
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    });

    it('imports Opsgenie alerts and keeps the good ones of a list with a bad alert', async () => {
      const report = await importIncidents(store, JSON.stringify(opsgenieListAlertsResponse()), 'opsgenie', {
        file: 'alerts.json',
      });
      expect(report).toMatchObject({ read: 3, added: 2, rejected: 1 });
      expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.location?.pointer)).toEqual([
        '/data/2/priority',
      ]);
      const alert = await getIncident(store, 'opsgenie:70413a06-38d6-4c85-92b8-5ebc900d42e2');
      expect(alert).toMatchObject({
        services: ['component:default/search'],
        teams: ['group:default/search'],
        causeCategory: 'capacity',
      });
      const again = await importIncidents(store, JSON.stringify(opsgenieGetAlertResponse()), 'opsgenie');
      expect(again).toMatchObject({ unchanged: 1, added: 0, updated: 0 });
    });

    it('imports CDEvents incidents; a later detection replaces the estimated start of a resolved-only incident', async () => {
      const resolved = readFileSync(path.join(conformance, 'incident_resolved.json'), 'utf8');
      const detected = JSON.parse(readFileSync(path.join(conformance, 'incident_detected.json'), 'utf8'));
      detected.context.timestamp = '2022-11-11T13:40:00.000Z';
      await importIncidents(store, resolved, 'cdevents');
      let incident = await getIncident(store, 'cdevents:/monitoring/prod1/incident-123');
      expect(incident.estimatedFields).toEqual(['detectedAt', 'startedAt', 'title']);
      const report = await importIncidents(store, JSON.stringify(detected), 'cdevents');
      expect(report.updated).toBe(1);
      incident = await getIncident(store, 'cdevents:/monitoring/prod1/incident-123');
      expect(incident).toMatchObject({
        title: 'Response time above threshold of 100ms',
        startedAt: '2022-11-11T13:40:00.000Z',
        resolvedAt: '2022-11-11T13:52:20.079Z',
        status: 'resolved',
      });
      expect(incident.estimatedFields).toBeUndefined();
      // The service `myApp` is not in the test catalog: kept as Backstage would resolve the name.
      expect(incident.services).toEqual(['component:default/myapp']);
    });

    it('imports CSV; a bad row is reported and the others kept; atomic imports nothing', async () => {
      const csv = [
        'id,title,severity,started_at,resolved_at,services,cause_category',
        'A,Checkout slow,SEV2,2024-05-01T10:00:00Z,2024-05-01T11:00:00Z,checkout,capacity',
        'B,Search down,SEV9,2024-05-02T10:00:00Z,,search,',
      ].join('\n');
      await expect(
        importIncidents(store, csv, 'csv', { file: 'incidents.csv', atomic: true }),
      ).rejects.toMatchObject({
        constructor: AtomicImportRefused,
        status: 422,
        exitCode: 2,
        message: '1 error in incidents.csv; nothing was imported (atomic)',
      });
      expect(await store.query('SELECT id FROM incidents')).toEqual([]);
      const report = await importIncidents(store, csv, 'csv', { file: 'incidents.csv' });
      expect(report).toMatchObject({ read: 2, added: 1, rejected: 1 });
      expect(
        report.problems
          .filter((p) => p.severity === 'error')
          .map((p) => [p.location?.row, p.location?.pointer]),
      ).toEqual([[2, '/severity']]);
      expect((await store.query('SELECT id FROM incidents')).map((row) => row.id)).toEqual(['csv:A']);
    });

    it('rejects malformed JSON with its location and stores nothing', async () => {
      await expect(
        importIncidents(store, '{"data": [', 'opsgenie', { file: 'broken.json' }),
      ).rejects.toMatchObject({
        problems: [{ location: { file: 'broken.json', line: 1 } }],
      });
      expect(await store.query('SELECT id FROM incidents')).toEqual([]);
    });
  });
}

describe('importOutcome', () => {
  it('is ok without errors, partial when something was stored, refused when nothing was', () => {
    const counts = { added: 0, updated: 0, unchanged: 0 };
    expect(importOutcome({ ...counts, errors: 0 })).toBe('ok');
    expect(importOutcome({ ...counts, unchanged: 1, errors: 2 })).toBe('partial');
    expect(importOutcome({ ...counts, errors: 2 })).toBe('refused');
  });
});
