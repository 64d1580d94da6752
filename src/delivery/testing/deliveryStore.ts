/**
 * Test helpers for the delivery domain on a real store: a store with the catalog's and delivery's
 * tables, a small catalog to resolve services and scopes against, an in-memory incident source,
 * and builders for hand-made histories.
 */
import { catalogDomain, importCatalog, readCatalogText } from '../../catalog/index.js';
import { reliabilityDomain } from '../../reliability/index.js';
import type { Store } from '../../store/Store.js';
import type { TestStoreFactory } from '../../store/testing/testStores.js';
import type { AttributionIncident, IncidentSource } from '../incidentAttribution.js';
import { deliveryMigrations } from '../migrations.js';
import type { Commit, Deployment } from '../model.js';

/**
 * A fresh store with the catalog and delivery tables, and the reliability domain's (the default
 * incident source reads them).
 */
export function openDeliveryStore(factory: TestStoreFactory): Promise<Store> {
  return factory.open([...catalogDomain.migrations, ...deliveryMigrations, ...reliabilityDomain.migrations]);
}

/**
 * The test catalog: team `payments` (child `payments-core`, member `jane`) under `engineering`;
 * `checkout` (payments, system shop in domain commerce, GitHub `acme/checkout`), `ledger`
 * (payments-core, system shop, GitLab `acme/ledger`), `search` (team `search`, source location
 * `github.com/acme/search`), `legacy` (owned by user jane, no system).
 */
export const TEST_CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: engineering }
spec: { type: organization, children: [payments, search] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, parent: engineering, children: [payments-core] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments-core }
spec: { type: team, parent: payments, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: search }
spec: { type: team, parent: engineering, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jane }
spec: { memberOf: [payments] }
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: { name: commerce }
spec: { owner: payments }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: shop }
spec: { owner: payments, domain: commerce }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations: { github.com/project-slug: acme/checkout }
spec: { type: service, lifecycle: production, owner: payments, system: shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations: { gitlab.com/project-slug: acme/ledger }
spec: { type: service, lifecycle: production, owner: payments-core, system: shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search
  annotations: { backstage.io/source-location: "url:https://github.com/acme/search/tree/main/" }
spec: { type: service, lifecycle: production, owner: search }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: legacy }
spec: { type: service, lifecycle: production, owner: user:jane }
`;

/** Imports `TEST_CATALOG` (or another YAML text). */
export async function importTestCatalog(store: Store, yaml = TEST_CATALOG): Promise<void> {
  const read = readCatalogText(yaml, { name: 'test-catalog.yaml', locationKey: 'test:catalog' });
  const report = await importCatalog(store, read, { rootKey: 'test:catalog' });
  const errors = report.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new Error(`test catalog: ${errors.map((e) => e.message).join('; ')}`);
}

/** An incident source over a fixed list (filtered by start time, as the real one is). */
export function fakeIncidents(incidents: readonly AttributionIncident[]): IncidentSource {
  return async (_store, window) =>
    incidents.filter((incident) => incident.startedAt >= window.from && incident.startedAt < window.to);
}

/** An incident with defaults for the fields a test does not care about. */
export function incident(
  fields: Partial<AttributionIncident> & { id: string; startedAt: Date },
): AttributionIncident {
  return {
    severity: 'SEV2',
    mitigatedAt: undefined,
    resolvedAt: undefined,
    services: [],
    deploymentIds: [],
    shas: [],
    ...fields,
  };
}

/** `2024-03-<day>T<hh>:<mm>:00.000Z`, for hand-built histories in March 2024 (4 March is a Monday). */
export function march(day: number, hour = 12, minute = 0): string {
  return new Date(Date.UTC(2024, 2, day, hour, minute)).toISOString();
}

/** A successful production deployment. */
export function deployment(
  id: string,
  service: string,
  finishedAt: string,
  fields: Partial<Deployment> = {},
): Deployment {
  return {
    id,
    service,
    environment: 'production',
    status: 'success',
    finishedAt,
    statusAt: finishedAt,
    source: 'pave',
    ...fields,
  };
}

/** A commit from git history with one parent (or none). */
export function commit(
  sha: string,
  parent: string | undefined,
  committedAt: string,
  fields: Partial<Commit> = {},
): Commit {
  return {
    sha,
    parents: parent === undefined ? [] : [parent],
    committedAt,
    authoredAt: committedAt,
    repository: 'acme/checkout',
    source: 'git',
    ...fields,
  };
}

/** A 40-digit sha from a short label, distinct per label: `sha('p1')` is `7031` followed by zeros. */
export function sha(label: string): string {
  return Buffer.from(label).toString('hex').padEnd(40, '0').slice(0, 40);
}
