import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScope } from '../../catalog/index.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { incidentMigrations } from '../incidents/migrations.js';
import type { IncidentDraft } from '../incidents/model.js';
import { storeIncidents } from '../incidents/storeIncidents.js';
import { evaluateSlos } from './evaluateSlos.js';
import type { SloStatus } from './model.js';
import { registerSlos } from './registerSlos.js';
import { importTestCatalog, openSloSpec, openSloStore, series } from './testing/sloTestKit.js';
import { writeSliPoints } from './writeSliPoints.js';

const AT = new Date('2026-01-31T00:00:00Z');
const HOUR = 3_600_000;

const calendarMonth =
  '    - duration: 1M\n      isRolling: false\n      calendar:\n        startTime: 2026-01-01 00:00:00\n        timeZone: UTC';

async function register(store: Store, ...specs: string[]) {
  await registerSlos(
    store,
    specs.map((text, i) => ({ file: `slo-${i}.yaml`, text })),
    { source: 'cli' },
  );
}

function byId(statuses: readonly SloStatus[], id: string): SloStatus {
  const status = statuses.find((s) => s.slo === id);
  if (!status) throw new Error(`no status for ${id}`);
  return status;
}

function incident(
  id: string,
  service: string,
  started: Date,
  resolved: Date | undefined,
  extra: Partial<IncidentDraft> = {},
): IncidentDraft {
  return {
    id,
    source: 'pave',
    title: `incident ${id}`,
    severity: 'SEV2',
    startedAt: started.toISOString(),
    ...(resolved ? { resolvedAt: resolved.toISOString() } : {}),
    serviceHints: [{ ref: `component:default/${service}` }],
    teamHints: [],
    deploymentIds: [],
    shas: [],
    timeline: [],
    actionItems: [],
    updatedAt: started.toISOString(),
    ...extra,
  };
}

/** Stores incidents through the incidents part's own import path. */
async function addIncidents(store: Store, incidents: IncidentDraft[]) {
  const report = await storeIncidents(store, {
    incidents,
    notifications: [],
    problems: [],
    read: incidents.length,
    rejected: 0,
  });
  expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`evaluateSlos on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openSloStore(factory, incidentMigrations);
      await importTestCatalog(store, ['checkout', 'quiet', 'ledger', 'slices']);
    });
    afterEach(async () => store.close());

    it('computes attainment, budget, burn rates and forecast of an Occurrences SLO by hand', async () => {
      await register(store, openSloSpec({ name: 'checkout-availability', target: 0.99 }));
      // Hourly points of 1,000 events: 100 bad in the last hour, 10 bad an hour a day ago
      // (the six hours 24-29 back), and 80 hours all bad just before the 30-day window.
      const points = series(AT, 800, 60, (back) => {
        if (back === 0) return { good: 900, total: 1000 };
        if (back >= 24 && back <= 29) return { good: 990, total: 1000 };
        if (back >= 720) return { good: 0, total: 1000 };
        return { good: 1000, total: 1000 };
      });
      await writeSliPoints(store, 'checkout-availability', points, { source: 'push' });
      const status = byId(await evaluateSlos(store, { at: AT }), 'checkout-availability');

      // Window: 720 points, 720,000 events, 160 bad. Budget 1% = 7,200 events.
      expect(status.window).toEqual({
        type: 'rolling',
        duration: '30d',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-31T00:00:00.000Z',
        end: '2026-01-31T00:00:00.000Z',
      });
      expect(status.status).toBe('ok');
      expect(status.sample).toEqual({
        unit: 'events',
        total: 720_000,
        bad: 160,
        firstDataEnd: '2026-01-01T01:00:00.000Z',
        lastDataEnd: '2026-01-31T00:00:00.000Z',
      });
      expect(status.attainment).toBeCloseTo(100 * (1 - 160 / 720_000), 6);
      // The all-bad hours before the window do not count: 100 × (1 - 160/7200).
      expect(status.errorBudgetRemaining).toBeCloseTo(97.777778, 5);
      expect(status.burnRates['1h']).toBeCloseTo(10, 6); // 100/1000 / 0.01
      expect(status.burnRates['6h']).toBeCloseTo(100 / 6000 / 0.01, 6);
      expect(status.burnRates['1d']).toBeCloseTo(100 / 24_000 / 0.01, 6);
      expect(status.burnRates['3d']).toBeCloseTo(160 / 72_000 / 0.01, 6);
      // 97.78% of a 30-day budget at the 1d burn rate (0.41667): 0.977778 × 2,592,000 s / 0.416667.
      expect(status.exhaustionForecast.status).toBe('forecast');
      expect(status.exhaustionForecast.inSeconds).toBe(6_082_560);
      expect(status.exhaustionForecast.at).toBe(new Date(AT.getTime() + 6_082_560_000).toISOString());
      expect(status.policy.errorBudgetRemaining).toBeCloseTo(100 * (1 - 160 / 6720), 5);
      expect(status.policyState).toBe('ok');
      expect(status.policy.incidentData).toBe('available');
      expect(status.owner).toBe('group:default/payments');
      expect(status.warnings).toEqual([]);
    });

    it('treats zero traffic as no data, not a failure', async () => {
      await register(
        store,
        openSloSpec({ name: 'quiet-availability', service: 'quiet' }),
        openSloSpec({ name: 'never-fed', service: 'quiet' }),
      );
      await writeSliPoints(
        store,
        'quiet-availability',
        series(AT, 48, 60, () => ({ good: 0, total: 0 })),
        { source: 'push' },
      );
      const statuses = await evaluateSlos(store, { at: AT });
      for (const id of ['quiet-availability', 'never-fed']) {
        const status = byId(statuses, id);
        expect(status.status).toBe('no_data');
        expect(status.attainment).toBeNull();
        expect(status.errorBudgetRemaining).toBeNull();
        expect(status.burnRates).toEqual({ '1h': null, '6h': null, '1d': null, '3d': null });
        expect(status.exhaustionForecast).toMatchObject({ status: 'no_data', at: null, inSeconds: null });
        expect(status.policyState).toBe('no_data');
        expect(status.sample).toMatchObject({ total: 0, bad: 0 });
      }
    });

    it('starts a new calendar window at 100% while a rolling window still carries the old burn', async () => {
      const calendar = openSloSpec({
        name: 'ledger-calendar',
        service: 'ledger',
        target: 0.99,
        timeWindow: calendarMonth,
      });
      const rolling = openSloSpec({ name: 'ledger-rolling', service: 'ledger', target: 0.99 });
      await register(store, calendar, rolling);
      const at = new Date('2026-01-05T00:00:00Z');
      // December: 5% errors (five times the budget); January: none.
      const points = series(at, 24 * 34, 60, (back) => {
        const end = at.getTime() - back * HOUR;
        return end <= Date.parse('2026-01-01T00:00:00Z')
          ? { good: 950, total: 1000 }
          : { good: 1000, total: 1000 };
      });
      for (const id of ['ledger-calendar', 'ledger-rolling'])
        await writeSliPoints(store, id, points, { source: 'push' });
      const statuses = await evaluateSlos(store, { at });

      const month = byId(statuses, 'ledger-calendar');
      expect(month.window).toMatchObject({
        type: 'calendar',
        from: '2026-01-01T00:00:00.000Z',
        end: '2026-02-01T00:00:00.000Z',
      });
      expect(month.sample.total).toBe(96_000);
      expect(month.attainment).toBe(100);
      expect(month.errorBudgetRemaining).toBe(100);
      expect(month.burnRates['3d']).toBe(0);
      expect(month.exhaustionForecast.status).toBe('not_exhausting');

      const thirty = byId(statuses, 'ledger-rolling');
      // Rolling 30 days back to 2025-12-06: 624 hours of December at 5%, 96 of January at 0%.
      expect(thirty.sample).toMatchObject({ total: 720_000, bad: 624 * 50 });
      expect(thirty.errorBudgetRemaining).toBeCloseTo(100 * (1 - 31_200 / 720_000 / 0.01), 6);
      expect(thirty.exhaustionForecast).toMatchObject({ status: 'exhausted', inSeconds: 0 });

      // Both: the last four weeks overspent the budget, so the policy freezes releases.
      for (const status of [month, thirty]) {
        expect(status.policyState).toBe('release_freeze');
        expect(status.policy).toMatchObject({ releaseFreeze: true, exceptions: ['P0', 'security'] });
        // 28 days back to 2025-12-08: 576 hours of December, 96 of January.
        expect(status.policy.errorBudgetRemaining).toBeCloseTo(100 * (1 - (576 * 50) / 672_000 / 0.01), 6);
      }
    });

    it('counts time slices: Timeslices by target, RatioTimeslices by mean ratio, skipping empty and unfinished slices', async () => {
      const common = {
        service: 'slices',
        target: 0.99,
        timeWindow: '    - duration: 1d\n      isRolling: true',
        timeSliceWindow: '5m',
      };
      await register(
        store,
        openSloSpec({
          ...common,
          name: 'slices-timeslices',
          budgetingMethod: 'Timeslices',
          timeSliceTarget: 0.9,
        }),
        openSloSpec({ ...common, name: 'slices-ratio', budgetingMethod: 'RatioTimeslices' }),
        openSloSpec({ ...common, name: 'slices-occurrences', budgetingMethod: 'Occurrences' }),
      );
      // Two hours of 1-minute points = 24 slices of 5 minutes, counted back from the last (0):
      // slice 0 at 80% (bad), slice 3 at exactly 90% (good: the target is met), slice 20 without traffic.
      const points = series(AT, 120, 1, (back) => {
        const slice = Math.floor(back / 5);
        if (slice === 0) return { good: 80, total: 100 };
        if (slice === 3) return { good: 90, total: 100 };
        if (slice === 20) return { good: 0, total: 0 };
        return { good: 100, total: 100 };
      });
      // A point after the evaluation instant: its slice has not ended, it must not count.
      const future = { start: AT, end: new Date(AT.getTime() + 60_000), good: 0, total: 100 };
      for (const id of ['slices-timeslices', 'slices-ratio', 'slices-occurrences']) {
        await writeSliPoints(store, id, [...points, future], { source: 'push' });
      }
      const statuses = await evaluateSlos(store, { at: AT });

      const timeslices = byId(statuses, 'slices-timeslices');
      expect(timeslices.sample).toMatchObject({ unit: 'slices', total: 23, bad: 1 });
      expect(timeslices.attainment).toBeCloseTo((100 * 22) / 23, 6);
      expect(timeslices.errorBudgetRemaining).toBeCloseTo(100 * (1 - 1 / 23 / 0.01), 6);
      expect(timeslices.burnRates['1h']).toBeCloseTo(1 / 12 / 0.01, 6);
      expect(timeslices.burnRates['6h']).toBeCloseTo(1 / 23 / 0.01, 6);

      const ratio = byId(statuses, 'slices-ratio');
      expect(ratio.sample).toMatchObject({ unit: 'slices', total: 23 });
      expect(ratio.sample.bad).toBeCloseTo(0.3, 9);
      expect(ratio.attainment).toBeCloseTo(100 * (1 - 0.3 / 23), 6);
      expect(ratio.burnRates['1h']).toBeCloseTo(0.3 / 12 / 0.01, 6);

      const occurrences = byId(statuses, 'slices-occurrences');
      expect(occurrences.sample).toMatchObject({ unit: 'events', total: 11_500, bad: 150 });
    });

    it('requires a postmortem for an incident that burned more than 20% of the four-week budget', async () => {
      await register(store, openSloSpec({ name: 'checkout-availability', target: 0.99 }));
      // 28 days of hourly points, 1,000 events each: the four-week budget is 6,720 bad events.
      const incidentStart = new Date(AT.getTime() - 50 * HOUR);
      const points = series(AT, 24 * 28, 60, (back) => {
        if (back >= 40 && back < 50) return { good: 850, total: 1000 }; // the big incident: 1,500 bad
        if (back >= 100 && back < 102) return { good: 900, total: 1000 }; // the small one: 200 bad
        return { good: 1000, total: 1000 };
      });
      await writeSliPoints(store, 'checkout-availability', points, { source: 'push' });
      const big = incident('pave:big', 'checkout', incidentStart, new Date(AT.getTime() - 40 * HOUR));
      const small = incident(
        'pave:small',
        'checkout',
        new Date(AT.getTime() - 102 * HOUR),
        new Date(AT.getTime() - 100 * HOUR),
      );
      const elsewhere = incident('pave:other', 'ledger', incidentStart, undefined);
      await addIncidents(store, [big, small, elsewhere]);
      let status = byId(await evaluateSlos(store, { at: AT }), 'checkout-availability');
      expect(status.policy.incidents.map((i) => [i.id, i.budgetBurned, i.postmortemRequired])).toEqual([
        ['pave:small', expect.closeTo((100 * 200) / 6720, 5), false],
        ['pave:big', expect.closeTo((100 * 1500) / 6720, 5), true],
      ]);
      expect(status.policyState).toBe('postmortem_required');
      expect(status.policy.postmortemRequired).toBe(true);

      // A complete postmortem with a P0 action item meets the requirement.
      const reviewed: IncidentDraft = {
        ...big,
        postmortem: { status: 'complete' },
        actionItems: [{ id: 'a1', title: 'add a circuit breaker', priority: 'P0', status: 'open' }],
        updatedAt: AT.toISOString(),
      };
      await addIncidents(store, [reviewed]);
      status = byId(await evaluateSlos(store, { at: AT }), 'checkout-availability');
      expect(status.policy.incidents[1]).toMatchObject({
        postmortem: 'complete',
        p0ActionItems: 1,
        postmortemRequired: true,
      });
      expect(status.policy.postmortemRequired).toBe(false);
      expect(status.policyState).toBe('ok');
    });

    it('warns when a burn-rate window only sees points longer than itself', async () => {
      await register(store, openSloSpec({ name: 'checkout-availability' }));
      await writeSliPoints(
        store,
        'checkout-availability',
        series(AT, 10, 24 * 60, () => ({ good: 99, total: 100 })),
        {
          source: 'push',
        },
      );
      const status = byId(await evaluateSlos(store, { at: AT }), 'checkout-availability');
      // The last daily point ends at AT: the 1h and 6h windows count a whole day.
      expect(status.burnRates['1h']).toBeCloseTo(1, 6);
      expect(status.warnings).toEqual([
        'the 1h burn rate counts SLI points that began 23h before its window: the data there is too coarse for it',
        'the 6h burn rate counts SLI points that began 18h before its window: the data there is too coarse for it',
      ]);
    });

    it('limits evaluation to a scope and to ids', async () => {
      await register(
        store,
        openSloSpec({ name: 'checkout-availability' }),
        openSloSpec({ name: 'search-availability', service: 'search-api' }),
      );
      const team = await evaluateSlos(store, { at: AT, scope: parseScope('team:search') });
      expect(team.map((s) => s.slo)).toEqual(['search-availability']);
      const parent = await evaluateSlos(store, { at: AT, scope: parseScope('team:platform') });
      expect(parent.map((s) => s.slo)).toEqual(['checkout-availability']);
      const ids = await evaluateSlos(store, { at: AT, ids: ['checkout-availability'] });
      expect(ids.map((s) => s.slo)).toEqual(['checkout-availability']);
    });
  });
}
