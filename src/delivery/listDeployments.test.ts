import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { storeRecords } from './ingestRecords.js';
import { listDeployments } from './listDeployments.js';
import { emptyRecords } from './model.js';
import { recordDeployment } from './recordDeployment.js';
import {
  deployment,
  importTestCatalog,
  march,
  openDeliveryStore,
  TEST_CATALOG,
} from './testing/deliveryStore.js';

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`listDeployments on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openDeliveryStore(factory);
      await importTestCatalog(store);
      const records = emptyRecords();
      records.deployments.push(
        deployment('d1', 'acme/checkout', march(4)),
        deployment('d2', 'checkout', march(5)),
        // Two at the same time: the id decides, newest first means the greater id first.
        deployment('d3a', 'ledger', march(6)),
        deployment('d3b', 'ledger', march(6)),
        deployment('d4', 'artist-lookup', march(7)),
        deployment('d5', 'search', march(8), { environment: 'staging' }),
        // Still running: no finish time, so its status time places it.
        deployment('d6', 'checkout', march(9), { status: 'in_progress', finishedAt: undefined }),
      );
      await storeRecords(store, records);
    });
    afterEach(async () => store?.close());

    it('pages through every deployment exactly once, newest first, with the cursor it returns', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await listDeployments(store, {}, { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((item) => item.id));
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(['d6', 'd5', 'd4', 'd3b', 'd3a', 'd2', 'd1']);
      const all = await listDeployments(store);
      expect(all.items.map((item) => item.id)).toEqual(seen);
      expect(all.nextCursor).toBeUndefined();
    });

    it('gives each deployment the component its service resolves to, or null', async () => {
      const { items } = await listDeployments(store);
      const component = Object.fromEntries(items.map((item) => [item.id, item.component]));
      expect(component).toEqual({
        d1: 'component:default/checkout',
        d2: 'component:default/checkout',
        d3a: 'component:default/ledger',
        d3b: 'component:default/ledger',
        d4: null,
        d5: 'component:default/search',
        d6: 'component:default/checkout',
      });
      // The raw name stays as recorded.
      expect(items.find((item) => item.id === 'd1')?.service).toBe('acme/checkout');
    });

    it('shows the component once the catalog names a service recorded before it', async () => {
      const before = await listDeployments(store, { service: 'artist-lookup' });
      expect(before.items.map((item) => [item.id, item.component])).toEqual([['d4', null]]);
      await importTestCatalog(
        store,
        `${TEST_CATALOG}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: artist-lookup }
spec: { type: service, lifecycle: production, owner: search }
`,
      );
      const after = await listDeployments(store, { service: 'component:default/artist-lookup' });
      expect(after.items.map((item) => [item.id, item.component])).toEqual([
        ['d4', 'component:default/artist-lookup'],
      ]);
    });

    it('filters by service ref, environment and window while paging', async () => {
      const checkout = await listDeployments(store, { service: 'component:default/checkout' }, { limit: 2 });
      expect(checkout.items.map((item) => item.id)).toEqual(['d6', 'd2']);
      const rest = await listDeployments(
        store,
        { service: 'component:default/checkout' },
        { limit: 2, cursor: checkout.nextCursor! },
      );
      expect(rest.items.map((item) => item.id)).toEqual(['d1']);
      expect(rest.nextCursor).toBeUndefined();
      const staging = await listDeployments(store, { environment: 'STAGING' });
      expect(staging.items.map((item) => item.id)).toEqual(['d5']);
      const window = await listDeployments(store, { from: '2024-03-05', to: '2024-03-06' });
      expect(window.items.map((item) => item.id)).toEqual(['d3b', 'd3a', 'd2']);
    });

    it('refuses a cursor it did not return', async () => {
      for (const cursor of ['nope!', Buffer.from('[1,2]').toString('base64url'), 'e30']) {
        await expect(listDeployments(store, {}, { cursor })).rejects.toThrow(InputError);
      }
      await expect(listDeployments(store, {}, { cursor: 'nope!' })).rejects.toThrow(
        /cursor: not a cursor this API returned/,
      );
    });

    it('warns when a recorded service matches no catalog component, and keeps the deployment', async () => {
      const unknown = await recordDeployment(store, {
        id: 'r1',
        service: 'nosuch',
        environment: 'production',
        finishedAt: march(10),
      });
      expect(unknown).toMatchObject({ outcome: 'created', component: null });
      expect(unknown.warnings).toEqual([
        'service nosuch matches no catalog component: the deployment is kept and counted at organisation scope as unattributed until the catalog names it',
      ]);
      const known = await recordDeployment(store, {
        id: 'r2',
        service: 'acme/checkout',
        environment: 'production',
        finishedAt: march(10),
      });
      expect(known).toMatchObject({ component: 'component:default/checkout', warnings: [] });
      const { items } = await listDeployments(store, {}, { limit: 2 });
      expect(items.map((item) => item.id)).toEqual(['r2', 'r1']);
    });
  });
}
