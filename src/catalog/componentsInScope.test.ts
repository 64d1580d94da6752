import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { componentsInScope, parseScope } from './componentsInScope.js';
import { importCatalog } from './importCatalog.js';
import { readCatalogText } from './ingest/backstage.js';
import { catalogMigrations } from './migrations.js';

const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: department, children: [payments] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, parent: platform, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: search }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jane }
spec: { memberOf: [payments] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout }
spec: { type: service, lifecycle: production, owner: payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ledger }
spec: { type: service, lifecycle: production, owner: user:jane }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: billing-admin }
spec: { type: website, lifecycle: production, owner: platform }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: search-api }
spec: { type: service, lifecycle: production, owner: search }
`;

describe('parseScope', () => {
  it('reads org, team and service scopes with default kinds', () => {
    expect(parseScope(undefined)).toEqual({ type: 'org' });
    expect(parseScope('org')).toEqual({ type: 'org' });
    expect(parseScope('team:payments')).toEqual({ type: 'team', ref: 'group:default/payments' });
    expect(parseScope('service:Checkout')).toEqual({ type: 'service', ref: 'component:default/checkout' });
    expect(parseScope('team:group:ops/sre')).toEqual({ type: 'team', ref: 'group:ops/sre' });
  });

  it('rejects anything else', () => {
    expect(() => parseScope('system:x')).toThrow(InputError);
    expect(() => parseScope('team:')).toThrow(/not org, team/);
  });
});

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`componentsInScope on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(catalogMigrations);
      const read = readCatalogText(CATALOG, { name: 'catalog.yaml', locationKey: 'test:scope' });
      await importCatalog(store, read, { rootKey: 'test:scope' });
    });
    afterEach(async () => store.close());

    it('covers everything for org', async () => {
      expect(await componentsInScope(store, { type: 'org' })).toBeUndefined();
    });

    it("covers a team's components, its members' and its child teams'", async () => {
      expect(await componentsInScope(store, parseScope('team:payments'))).toEqual([
        'component:default/checkout',
        'component:default/ledger',
      ]);
      expect(await componentsInScope(store, parseScope('team:platform'))).toEqual([
        'component:default/billing-admin',
        'component:default/checkout',
        'component:default/ledger',
      ]);
      expect(await componentsInScope(store, parseScope('team:search'))).toEqual([
        'component:default/search-api',
      ]);
    });

    it('covers one service, or nothing when it is not in the catalog', async () => {
      expect(await componentsInScope(store, parseScope('service:checkout'))).toEqual([
        'component:default/checkout',
      ]);
      expect(await componentsInScope(store, parseScope('service:nope'))).toEqual([]);
      expect(await componentsInScope(store, parseScope('team:nope'))).toEqual([]);
    });
  });
}
