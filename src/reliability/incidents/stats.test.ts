/**
 * Incident statistics read from both stores against figures computed by hand (in the comments):
 * MTTA/MTTR quantiles, platform-caused by each rule, recurrence with a look-back before the
 * window, postmortem completion, action items, breakdowns by team and tier, and scopes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogMigrations } from '../../catalog/migrations.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { defaultIncidentsConfig } from './incidentsConfig.js';
import { readPaveIncidents } from './ingest/paveInput.js';
import { incidentMigrations } from './migrations.js';
import { incidentStats } from './stats.js';
import { storeIncidents } from './storeIncidents.js';
import { importTestCatalog } from './testing/catalogFixture.js';

const INCIDENTS = [
  {
    id: '1',
    title: 'checkout 1',
    severity: 'SEV1',
    services: ['checkout'],
    causeCategory: 'deployment',
    startedAt: '2024-05-06T10:00:00Z',
    detectedAt: '2024-05-06T10:02:00Z',
    acknowledgedAt: '2024-05-06T10:05:00Z',
    resolvedAt: '2024-05-06T11:00:00Z',
    // Resolved Monday 6 May: due by the end of Monday 13 May.
    postmortem: { status: 'complete', completedAt: '2024-05-10T12:00:00Z' },
    actionItems: [
      { title: 'Canary the checkout deploys', status: 'done', completedAt: '2024-05-09T12:00:00Z' },
    ],
  },
  {
    id: '2',
    title: 'checkout 2',
    severity: 'SEV2',
    services: ['checkout'],
    causeCategory: 'deployment',
    startedAt: '2024-05-20T10:00:00Z',
    acknowledgedAt: '2024-05-20T10:10:00Z',
    resolvedAt: '2024-05-20T12:00:00Z',
    actionItems: [{ title: 'Roll back automatically', dueDate: '2024-06-01' }],
  },
  {
    id: '3',
    title: 'edge',
    severity: 'SEV2',
    services: ['edge-gateway'],
    causeCategory: 'config',
    startedAt: '2024-05-08T10:00:00Z',
    acknowledgedAt: '2024-05-08T10:02:00Z',
    resolvedAt: '2024-05-08T10:30:00Z',
    // Resolved Wednesday 8 May: due by the end of Wednesday 15 May; completed on the 20th.
    postmortem: { status: 'complete', completedAt: '2024-05-20T09:00:00Z' },
    actionItems: [{ title: 'Validate gateway config', status: 'in_progress' }],
  },
  {
    id: '4',
    title: 'search 1',
    severity: 'SEV3',
    services: ['search'],
    causeCategory: 'platform',
    startedAt: '2024-05-09T10:00:00Z',
    acknowledgedAt: '2024-05-09T10:01:00Z',
    resolvedAt: '2024-05-09T10:10:00Z',
  },
  {
    id: '5',
    title: 'search 2',
    severity: 'SEV4',
    services: ['search'],
    causeCategory: 'platform',
    platformCaused: false,
    startedAt: '2024-05-10T10:00:00Z',
    resolvedAt: '2024-05-10T10:20:00Z',
  },
  {
    id: '6',
    title: 'payments',
    severity: 'SEV3',
    services: ['payments-api'],
    causeCategory: 'deployment',
    startedAt: '2024-05-11T10:00:00Z',
    detectedAt: '2024-05-11T10:00:00Z',
    acknowledgedAt: '2024-05-11T10:03:00Z',
    resolvedAt: '2024-05-11T11:00:00Z',
  },
  {
    id: '7',
    title: 'search before',
    services: ['search'],
    causeCategory: 'capacity',
    startedAt: '2024-04-01T10:00:00Z',
  },
  {
    id: '8',
    title: 'search 3',
    services: ['search'],
    causeCategory: 'capacity',
    startedAt: '2024-05-12T10:00:00Z',
    acknowledgedAt: '2024-05-12T10:05:00Z',
    resolvedAt: '2024-05-12T10:15:00Z',
  },
];

const window = { from: new Date('2024-05-01T00:00:00Z'), to: new Date('2024-06-01T00:00:00Z') };
const asOf = new Date('2024-06-15T00:00:00Z');
const config = { ...defaultIncidentsConfig(), minSample: 3 };

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`incident stats on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open([...catalogMigrations, ...incidentMigrations]);
      await importTestCatalog(store);
      const report = await storeIncidents(store, readPaveIncidents(INCIDENTS, { source: 'pave' }));
      expect(report.added).toBe(8);
    });
    afterEach(async () => {
      await store.close();
    });

    it('computes the organisation figures', async () => {
      const stats = await incidentStats(store, { scope: { type: 'org' }, ...window, asOf, config });
      expect(stats).toMatchObject({
        scope: 'org',
        incidents: 7,
        bySeverity: { SEV1: 1, SEV2: 2, SEV3: 2, SEV4: 1, SEV5: 0, none: 1 },
        // 60, 120, 180, 180, 300, 600: p50 180, p90 300 + 0.5 * 300, mean 1440 / 6.
        mttaSeconds: { n: 6, p50: 180, p90: 450, mean: 240, status: 'ok' },
        // 600, 900, 1200, 1800, 3600, 3600, 7200: p50 1800, p90 3600 + 0.4 * 3600, mean 18900 / 7.
        mttrSeconds: { n: 7, p50: 1800, p90: expect.closeTo(5040, 6), mean: 2700, status: 'ok' },
        // #3 affects the runtime team's edge-gateway (runtime is a child of platform); #4's cause is platform.
        platformCaused: 2,
        platformCausedBy: { explicit: 0, causeCategory: 1, platformService: 1 },
        // #2 after #1, #5 after #4, #8 after #7 (before the window, 41 days earlier).
        recurrence: { eligible: 7, recurring: 3, windowDays: 90 },
        // SEV1-2: #1 on time, #3 late, #2 overdue.
        postmortemCompletion: {
          due: 3,
          completedOnTime: 1,
          completedLate: 1,
          overdue: 1,
          pending: 0,
          businessDays: 5,
        },
        actionItems: { total: 3, open: 2, overdue: 1, done: 1, cancelled: 0 },
      });
      expect(stats.platformCausedRate).toBeCloseTo(2 / 7, 10);
      expect(stats.recurrenceRate).toBeCloseTo(3 / 7, 10);
      expect(stats.postmortemCompletion.rate).toBeCloseTo(1 / 3, 10);
      expect(stats.breakdown.team.map((row) => [row.key, row.incidents, row.platformCaused])).toEqual([
        ['group:default/payments', 3, 0],
        ['group:default/search', 3, 1],
        ['group:default/runtime', 1, 1],
      ]);
      expect(stats.breakdown.tier.map((row) => [row.key, row.incidents])).toEqual([
        ['tier-1', 4],
        ['tier-2', 3],
      ]);
      const checkout = stats.breakdown.service.find((row) => row.key === 'component:default/checkout');
      expect(checkout).toMatchObject({
        incidents: 2,
        tier: '1',
        owner: 'group:default/payments',
        mttrSeconds: { n: 2, p50: null },
      });
    });

    it('reports a service owned by a person under team "none", never by name', async () => {
      await storeIncidents(
        store,
        readPaveIncidents(
          [
            {
              id: '9',
              title: 'release notes',
              services: ['release-notes', 'search'],
              startedAt: '2024-05-13T10:00:00Z',
            },
          ],
          { source: 'pave' },
        ),
      );
      const stats = await incidentStats(store, { scope: { type: 'org' }, ...window, asOf, config });
      const teams = stats.breakdown.team.map((row) => [row.key, row.incidents]);
      expect(teams).toContainEqual(['none', 1]);
      expect(teams).toContainEqual(['group:default/search', 4]);
      expect(teams.some(([key]) => String(key).startsWith('user:'))).toBe(false);
    });

    it('narrows to a team (with its child teams) and to a service', async () => {
      const platform = await incidentStats(store, {
        scope: { type: 'team', ref: 'group:default/platform' },
        ...window,
        asOf,
        config,
      });
      expect(platform).toMatchObject({ incidents: 1, platformCaused: 1, bySeverity: { SEV2: 1 } });
      const search = await incidentStats(store, {
        scope: { type: 'service', ref: 'component:default/search' },
        ...window,
        asOf,
        config,
      });
      expect(search).toMatchObject({
        incidents: 3,
        recurrence: { eligible: 3, recurring: 2 },
        mttrSeconds: { n: 3, p50: 900 },
      });
      expect(search.breakdown.service.map((row) => row.key)).toEqual(['component:default/search']);
    });
  });
}
