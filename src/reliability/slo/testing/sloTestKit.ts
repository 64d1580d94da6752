/**
 * What the SLO evaluation tests share: a store with the catalog and SLO tables, a small catalog,
 * OpenSLO specs written inline, and SLI series built point by point.
 */
import { importCatalog, readCatalogText } from '../../../catalog/index.js';
import { catalogMigrations } from '../../../catalog/migrations.js';
import type { Migration } from '../../../store/migrations.js';
import type { Store } from '../../../store/Store.js';
import type { TestStoreFactory } from '../../../store/testing/testStores.js';
import type { SliPoint } from '../model.js';
import { sloMigrations } from '../sloMigrations.js';

export { FIXTURES, OPENSLO, SLOTH, SLOTH_TESTDATA } from '../../testing/slothCases.js';

/** A fresh store with the catalog's and the SLO tables, and any `more` (e.g. the incidents'). */
export function openSloStore(factory: TestStoreFactory, more: readonly Migration[] = []): Promise<Store> {
  return factory.open([...catalogMigrations, ...sloMigrations, ...more]);
}

/** Imports Components `names` owned by team `payments` (child of `platform`), and `search-api` owned by `search`. */
export async function importTestCatalog(store: Store, names: readonly string[]): Promise<void> {
  const documents = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: platform }\nspec: { type: department, children: [payments] }',
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: payments }\nspec: { type: team, parent: platform, children: [] }',
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: search }\nspec: { type: team, children: [] }',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: search-api }\nspec: { type: service, lifecycle: production, owner: search }',
    ...names.map(
      (name) =>
        `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: production, owner: payments }`,
    ),
  ];
  const read = readCatalogText(documents.join('\n---\n'), { name: 'catalog.yaml', locationKey: 'test:slo' });
  await importCatalog(store, read, { rootKey: 'test:slo' });
}

/** An OpenSLO v1 SLO with a good/total ratio SLI, with the parts a test varies. */
export function openSloSpec(options: {
  name: string;
  service?: string;
  target?: number;
  budgetingMethod?: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  timeWindow?: string;
  timeSliceTarget?: number;
  timeSliceWindow?: string;
}): string {
  const method = options.budgetingMethod ?? 'Occurrences';
  const slices =
    method === 'Occurrences'
      ? ''
      : `\n      timeSliceWindow: ${options.timeSliceWindow ?? '1m'}${method === 'Timeslices' ? `\n      timeSliceTarget: ${options.timeSliceTarget ?? 0.95}` : ''}`;
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${options.name}
spec:
  service: ${options.service ?? 'checkout'}
  indicator:
    metadata:
      name: ${options.name}-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="${options.service ?? 'checkout'}",code!~"5.."}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="${options.service ?? 'checkout'}"}[{{.window}}]))
  timeWindow:
${options.timeWindow ?? '    - duration: 30d\n      isRolling: true'}
  budgetingMethod: ${method}
  objectives:
    - target: ${options.target ?? 0.99}${slices}
`;
}

const MINUTE = 60_000;

/**
 * Points of `stepMinutes` each, ending at `end` and going back `count` steps, oldest first; `shape`
 * gives each point's good and total from its index counted back from the end (0 = the last).
 */
export function series(
  end: Date,
  count: number,
  stepMinutes: number,
  shape: (back: number) => { good: number; total: number },
): SliPoint[] {
  const points: SliPoint[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const pointEnd = end.getTime() - back * stepMinutes * MINUTE;
    points.push({
      start: new Date(pointEnd - stepMinutes * MINUTE),
      end: new Date(pointEnd),
      ...shape(back),
    });
  }
  return points;
}
