/**
 * The incident demo part on both stores: deterministic for (seed, asOf), replacing its previous
 * rows, with every severity, postmortems (every SEV1-2, a minority of SEV3-5), overdue action items,
 * pages, platform-caused incidents, and links to the delivery demo's production deployments when
 * there are some.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import { silentProgress } from '../core/progress.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import { deploymentFromInput, emptyRecords, storeRecords } from '../delivery/index.js';
import { allMigrations } from '../domains.js';
import { defaultIncidentsConfig, incidentStats } from '../reliability/index.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { generateOrganisation } from './organisation.js';
import { DEMO_INCIDENT_DAYS, reliabilityDemoPart } from './reliability.js';
import { writeCatalogFiles } from './writeCatalog.js';

const organisation = generateOrganisation({ seed: 5, teams: 8 });
const AS_OF = new Date('2026-01-31T00:00:00Z');
const DAY_MS = 86_400_000;

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`the incident demo part on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(allMigrations());
      const written = await writeCatalogFiles(organisation, tempFolder());
      await importCatalog(store, readCatalogFiles([written.root]), {
        rootKey: fileLocationKey(written.root),
      });
    });
    afterEach(async () => store.close());

    const run = (seed = 5) =>
      reliabilityDemoPart.run({ store, organisation, seed, asOf: AS_OF, progress: silentProgress });

    async function fingerprint(): Promise<string> {
      const hash = createHash('sha256');
      for (const row of await store.query<{ id: string; hash: string }>(
        'SELECT id, hash FROM incidents ORDER BY id',
      )) {
        hash.update(`${row.id} ${row.hash}\n`);
      }
      for (const row of await store.query<{ id: string; sent_at: Date }>(
        'SELECT id, sent_at FROM incident_notifications ORDER BY id',
      )) {
        hash.update(`${row.id} ${row.sent_at.toISOString()}\n`);
      }
      return hash.digest('hex');
    }

    it('is deterministic and replaces its previous rows', async () => {
      const summary = await run();
      const first = await fingerprint();
      const [{ n }] = (await store.query<{ n: number }>('SELECT count(*) AS n FROM incidents')) as [
        { n: number },
      ];
      expect(await run()).toBe(summary);
      expect(await fingerprint()).toBe(first);
      await run(6);
      expect(await fingerprint()).not.toBe(first);
      await run();
      expect(await fingerprint()).toBe(first);
      expect(
        ((await store.query<{ n: number }>('SELECT count(*) AS n FROM incidents')) as [{ n: number }])[0].n,
      ).toBe(n);
    });

    it('has every severity over two years, postmortems, overdue action items, pages and platform causes', async () => {
      await run();
      const severities = await store.query<{ severity: string; n: number }>(
        'SELECT severity, count(*) AS n FROM incidents GROUP BY severity ORDER BY severity',
      );
      expect(severities.map((row) => row.severity)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5']);
      const [span] = await store.query<{ first: Date; last: Date }>(
        'SELECT min(started_at) AS first, max(started_at) AS last FROM incidents',
      );
      expect(span!.first.getTime()).toBeGreaterThanOrEqual(AS_OF.getTime() - DEMO_INCIDENT_DAYS * DAY_MS);
      expect(span!.first.getTime()).toBeLessThan(AS_OF.getTime() - (DEMO_INCIDENT_DAYS - 60) * DAY_MS);
      expect(span!.last.getTime()).toBeLessThan(AS_OF.getTime());
      const stats = await incidentStats(store, {
        scope: { type: 'org' },
        from: new Date(AS_OF.getTime() - DEMO_INCIDENT_DAYS * DAY_MS),
        to: AS_OF,
        asOf: AS_OF,
        config: defaultIncidentsConfig(),
      });
      expect(stats.platformCaused).toBeGreaterThan(0);
      expect(stats.platformCaused).toBeLessThan(stats.incidents);
      expect(stats.postmortemCompletion.due).toBeGreaterThan(0);
      expect(stats.postmortemCompletion.completedOnTime).toBeGreaterThan(0);
      // Every resolved SEV1-2 has a postmortem; a minority of SEV3, SEV4 and SEV5 have one too.
      const reviews = await store.query<{ severity: string; n: number; reviewed: number }>(
        `SELECT severity, count(*) AS n, count(postmortem_status) AS reviewed FROM incidents
          WHERE resolved_at IS NOT NULL GROUP BY severity ORDER BY severity`,
      );
      for (const { severity, n, reviewed } of reviews) {
        if (severity === 'SEV1' || severity === 'SEV2') expect(reviewed).toBe(n);
        else {
          expect(reviewed, severity).toBeGreaterThan(0);
          expect(reviewed, severity).toBeLessThan(n / 2);
        }
      }
      expect(stats.actionItems.overdue).toBeGreaterThan(0);
      expect(stats.actionItems.done).toBeGreaterThan(0);
      expect(stats.recurrence.recurring).toBeGreaterThan(0);
      const [pages] = await store.query<{ n: number; teams: number }>(
        'SELECT count(*) AS n, count(DISTINCT team_ref) AS teams FROM incident_notifications',
      );
      expect(pages!.n).toBeGreaterThan(stats.incidents / 2);
      expect(pages!.teams).toBeGreaterThan(1);
      // Every timestamp respects the order an incident passes through (the store checked it too).
      const [disorder] = await store.query<{ n: number }>(
        `SELECT count(*) AS n FROM incidents WHERE detected_at < started_at OR acknowledged_at < detected_at
           OR resolved_at < mitigated_at OR closed_at < resolved_at`,
      );
      expect(disorder!.n).toBe(0);
    });

    it('links deployment-caused incidents to the delivery demo deployments of their service', async () => {
      // A production deployment of every service every two days over the demo period.
      const records = emptyRecords();
      const services = organisation.components.filter((c) => c.type === 'service' || c.type === 'website');
      for (const [i, component] of services.entries()) {
        for (
          let time = AS_OF.getTime() - (DEMO_INCIDENT_DAYS + 7) * DAY_MS + i * 60_000;
          time < AS_OF.getTime();
          time += 2 * DAY_MS
        ) {
          records.deployments.push(
            deploymentFromInput({
              id: `d-${component.name}-${time}`,
              service: component.ref,
              environment: 'production',
              sha: createHash('sha1').update(`${component.ref}${time}`).digest('hex'),
              status: 'success',
              finishedAt: new Date(time).toISOString(),
            }),
          );
        }
      }
      await storeRecords(store, records);
      const summary = await run();
      expect(summary).toMatch(/\d+ linked to delivery deployments/);
      const links = await store.query<{ incident_id: string; cause_category: string; target: string }>(
        `SELECT l.incident_id, i.cause_category, l.target FROM incident_links l JOIN incidents i ON i.id = l.incident_id
          WHERE l.kind = 'deployment'`,
      );
      expect(links.length).toBeGreaterThan(10);
      expect(new Set(links.map((link) => link.cause_category))).toEqual(new Set(['deployment']));
    });
  });
}
