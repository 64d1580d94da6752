/**
 * A small catalog for incident tests: a platform department with a runtime team, two product
 * teams, users with time zones, and components with tiers and PagerDuty service ids (one owned by
 * a user).
 */
import { importCatalog, readCatalogText } from '../../../catalog/index.js';
import type { Store } from '../../../store/Store.js';

const group = (name: string, parent?: string, children: string[] = []) => `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
  profile:
    displayName: ${name[0]!.toUpperCase()}${name.slice(1)} Team
${parent ? `  parent: ${parent}\n` : ''}  children: [${children.join(', ')}]
`;

const user = (name: string, team: string, timezone: string) => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${name}
  annotations:
    pave.dev/timezone: ${timezone}
spec:
  profile:
    email: ${name}@example.com
  memberOf: [${team}]
`;

const component = (name: string, owner: string, tier: number, pagerDuty?: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    pave.dev/tier: "${tier}"
${pagerDuty ? `    pagerduty.com/service-id: ${pagerDuty}\n` : ''}spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/** The fixture catalog as YAML. */
export const TEST_CATALOG = [
  group('platform', undefined, ['runtime']),
  group('runtime', 'platform'),
  group('payments'),
  group('search'),
  user('ada', 'payments', 'Europe/London'),
  user('grace', 'search', 'America/New_York'),
  user('linus', 'runtime', 'Asia/Tokyo'),
  component('checkout', 'payments', 1, 'PIJ90N7'),
  component('payments-api', 'payments', 1, 'PF9KMXH'),
  component('search', 'search', 2),
  component('edge-gateway', 'runtime', 1, 'PWIXJZS'),
  // Owned by a person, not a team: team figures must not name them.
  component('release-notes', 'user:ada', 3),
].join('');

/** Imports the fixture catalog into `store` (which has the catalog migrations). */
export async function importTestCatalog(store: Store): Promise<void> {
  const read = readCatalogText(TEST_CATALOG, { name: 'test-catalog.yaml', locationKey: 'test:catalog' });
  const report = await importCatalog(store, read, { rootKey: 'test:catalog' });
  const errors = report.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new Error(`test catalog: ${errors.map((p) => p.message).join('; ')}`);
}
