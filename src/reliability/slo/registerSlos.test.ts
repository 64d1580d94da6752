import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { registerSlos } from './registerSlos.js';
import { getSlo, listSlos } from './sloQueries.js';
import {
  importTestCatalog,
  OPENSLO,
  openSloSpec,
  openSloStore,
  SLOTH_TESTDATA,
} from './testing/sloTestKit.js';

const fixture = (file: string) => ({ file, text: readFileSync(file, 'utf8') });
const goodMulti = path.join(SLOTH_TESTDATA, 'validate/good/good-multi.yaml');
const badAa = path.join(SLOTH_TESTDATA, 'validate/bad/bad-aa.yaml');
const timeslices = path.join(
  OPENSLO,
  'spec/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml',
);

async function count(store: Store): Promise<number> {
  const [row] = await store.query<{ n: number }>('SELECT count(*) AS n FROM slo_specs');
  return row!.n;
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`registerSlos on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openSloStore(factory);
      await importTestCatalog(store, ['svc01', 'checkout']);
    });
    afterEach(async () => store.close());

    it('registers Sloth specs under <service>-<name>, with a warning for components not in the catalog', async () => {
      const report = await registerSlos(store, [fixture(goodMulti)], { source: 'cli' });
      const ids = report.slos.map((slo) => slo.id);
      expect(ids).toContain('svc01-slo1');
      expect(ids).toContain('svc02-slo1');
      expect(report.added).toBe(ids.length);
      const warnings = report.problems.filter((problem) => problem.message.includes('is not in the catalog'));
      // svc01 is in the test catalog; svc02 is not.
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((problem) => problem.message.startsWith('component:default/svc02'))).toBe(true);
      expect(warnings[0]!.location?.file).toBe(goodMulti);
      expect(warnings[0]!.location?.line).toBeGreaterThan(1);

      const list = await listSlos(store);
      const slo1 = list.find((slo) => slo.id === 'svc01-slo1')!;
      expect(slo1).toMatchObject({
        service: 'svc01',
        component: 'component:default/svc01',
        componentInCatalog: true,
        objective: 99.9,
        budgetingMethod: 'Occurrences',
        window: { type: 'rolling', duration: '30d', seconds: 2_592_000 },
        format: 'sloth/prometheus/v1',
        source: 'cli',
      });
      expect(list.find((slo) => slo.id === 'svc02-slo1')!.componentInCatalog).toBe(false);
    });

    it('is idempotent, updates a changed spec, and keeps the first source of an unchanged one', async () => {
      const text = openSloSpec({ name: 'checkout-availability', target: 0.99 });
      const first = await registerSlos(store, [{ file: 'a.yaml', text }], { source: 'cli' });
      expect(first).toMatchObject({ added: 1, updated: 0, unchanged: 0 });
      const again = await registerSlos(store, [{ file: 'elsewhere.yaml', text }], { source: 'api' });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
      expect((await getSlo(store, 'checkout-availability')).source).toBe('cli');

      const changed = text.replace('target: 0.99', 'target: 0.995');
      const update = await registerSlos(store, [{ file: 'a.yaml', text: changed }], { source: 'api' });
      expect(update).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
      expect(update.slos).toEqual([
        { id: 'checkout-availability', component: 'component:default/checkout', change: 'updated' },
      ]);
      const detail = await getSlo(store, 'checkout-availability');
      expect(detail.objective).toBe(99.5);
      expect(detail.source).toBe('api');
      expect(detail.sli).toEqual({ points: 0, firstStart: null, lastEnd: null, longestPointSeconds: null });
      expect(await count(store)).toBe(1);
    });

    it('stores nothing when any spec is invalid, and says where', async () => {
      const good = { file: 'good.yaml', text: openSloSpec({ name: 'checkout-availability' }) };
      const error = await registerSlos(store, [good, fixture(badAa)], { source: 'cli' }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      const problem = (error as InputError).problems.find((p) => p.severity === 'error')!;
      expect(problem.message).toMatch(/objective must be >0 and <=100/);
      expect(problem.location).toMatchObject({ file: badAa, line: 28, column: 16 });
      expect(await count(store)).toBe(0);
    });

    it('registers OpenSLO calendar Timeslices SLOs with their slice', async () => {
      await registerSlos(store, [fixture(timeslices)], { source: 'cli' });
      const slo = (await listSlos(store)).find((s) => s.id === 'service-availability')!;
      expect(slo).toMatchObject({
        budgetingMethod: 'Timeslices',
        timeSliceTarget: 0.95,
        timeSliceWindow: '1m',
        objective: 99.95,
        window: {
          type: 'calendar',
          duration: '1w',
          startTime: '2022-01-01 12:00:00',
          timeZone: 'America/New_York',
        },
      });
    });

    it('rejects a time slice that is not a duration', async () => {
      const text = openSloSpec({
        name: 'odd-slices',
        budgetingMethod: 'RatioTimeslices',
        timeSliceWindow: '1M',
      });
      const error = await registerSlos(store, [{ file: 'odd.yaml', text }], { source: 'cli' }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((p) => p.message).join('\n')).toMatch(/timeSliceWindow "1M"/);
    });
  });
}
