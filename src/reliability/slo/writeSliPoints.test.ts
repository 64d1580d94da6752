import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { registerSlos } from './registerSlos.js';
import { getSlo } from './sloQueries.js';
import { openSloSpec, openSloStore, series } from './testing/sloTestKit.js';
import { writeSliPoints } from './writeSliPoints.js';

const END = new Date('2026-01-10T00:00:00Z');

async function stored(store: Store) {
  return store.query<{ start_at: Date; good: number; total: number; source: string }>(
    'SELECT start_at, good, total, source FROM slo_sli_points ORDER BY start_at',
  );
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`writeSliPoints on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openSloStore(factory);
      await registerSlos(
        store,
        [{ file: 'slo.yaml', text: openSloSpec({ name: 'checkout-availability' }) }],
        {
          source: 'cli',
        },
      );
    });
    afterEach(async () => store.close());

    it('adds points, then is idempotent per (slo, start, end), accepting any order', async () => {
      const points = series(END, 6, 60, (back) => ({ good: 100 - back, total: 100 }));
      const first = await writeSliPoints(store, 'checkout-availability', [...points].reverse(), {
        source: 'push',
      });
      expect(first).toEqual({
        slo: 'checkout-availability',
        received: 6,
        added: 6,
        updated: 0,
        unchanged: 0,
        replaced: 0,
      });
      const again = await writeSliPoints(store, 'checkout-availability', points, { source: 'push' });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 6 });

      // An older point arriving late, one point corrected, the rest unchanged.
      const late = series(new Date(END.getTime() - 6 * 3_600_000), 1, 60, () => ({ good: 7, total: 8 }));
      const corrected = points.map((point, i) => (i === 5 ? { ...point, good: 50 } : point));
      const third = await writeSliPoints(store, 'checkout-availability', [...corrected, ...late], {
        source: 'push',
      });
      expect(third).toMatchObject({ received: 7, added: 1, updated: 1, unchanged: 5 });
      const rows = await stored(store);
      expect(rows.map((row) => row.good)).toEqual([7, 95, 96, 97, 98, 99, 50]);
      expect(rows[0]!.start_at).toEqual(new Date('2026-01-09T17:00:00Z'));

      const detail = await getSlo(store, 'checkout-availability');
      expect(detail.sli).toEqual({
        points: 7,
        firstStart: '2026-01-09T17:00:00.000Z',
        lastEnd: '2026-01-10T00:00:00.000Z',
        longestPointSeconds: 3600,
      });
    });

    it('refuses points overlapping stored points of other intervals, storing nothing', async () => {
      await writeSliPoints(
        store,
        'checkout-availability',
        series(END, 2, 60, () => ({ good: 1, total: 1 })),
        {
          source: 'push',
        },
      );
      const finer = series(END, 3, 5, () => ({ good: 1, total: 1 }));
      const error = await writeSliPoints(store, 'checkout-availability', finer, { source: 'push' }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).problems[0]!.message).toBe(
        '2026-01-09T23:45:00.000Z/2026-01-09T23:50:00.000Z overlaps the stored point 2026-01-09T23:00:00.000Z/2026-01-10T00:00:00.000Z: its events would count twice',
      );
      expect(await stored(store)).toHaveLength(2);
    });

    it('replaces a range of its own source when asked (a pull at another step)', async () => {
      await writeSliPoints(
        store,
        'checkout-availability',
        series(END, 2, 60, () => ({ good: 1, total: 1 })),
        {
          source: 'prometheus',
        },
      );
      const finer = series(END, 24, 5, () => ({ good: 2, total: 2 }));
      const report = await writeSliPoints(store, 'checkout-availability', finer, {
        source: 'prometheus',
        replaceRange: { from: new Date(END.getTime() - 2 * 3_600_000), to: END },
      });
      expect(report).toMatchObject({ replaced: 2, added: 24 });
      const rows = await stored(store);
      expect(rows).toHaveLength(24);
      expect(rows.every((row) => row.source === 'prometheus' && row.good === 2)).toBe(true);
    });

    it('keeps fractional counts (rates times steps from a pull) after whole ones', async () => {
      const points = series(END, 3, 5, (back) =>
        back === 0 ? { good: 0.25, total: 1.5 } : { good: 1, total: 2 },
      );
      await writeSliPoints(store, 'checkout-availability', points, { source: 'push' });
      expect((await stored(store)).map((row) => [row.good, row.total])).toEqual([
        [1, 2],
        [1, 2],
        [0.25, 1.5],
      ]);
    });

    it('names an unknown SLO', async () => {
      await expect(writeSliPoints(store, 'nope', [], { source: 'push' })).rejects.toThrow(NotFoundError);
    });
  });
}
