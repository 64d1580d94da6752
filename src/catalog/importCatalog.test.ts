import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { tempFolder, writeFiles } from '../core/testing/tempFiles.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { entityGraph } from './entityGraph.js';
import { importCatalog } from './importCatalog.js';
import { fileLocationKey, readCatalogFiles, readCatalogText } from './ingest/backstage.js';
import { catalogMigrations } from './migrations.js';
import { getEntity, listAllEntities, listEntities } from './queries.js';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/backstage');

const component = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a
${extra}`;

const group = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
  children: []
`;

async function importFiles(
  store: Store,
  inputs: string[],
  options: { strict?: boolean; partial?: boolean } = {},
) {
  const read = readCatalogFiles(inputs);
  return importCatalog(store, read, {
    rootKey: inputs.map((input) => fileLocationKey(input)).join(' '),
    ...options,
  });
}

async function count(store: Store, table = 'catalog_entities'): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row!.n;
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`catalog import on ${factory.engine}`, () => {
    let store: Store;
    let dir: string;
    beforeEach(async () => {
      store = await factory.open(catalogMigrations);
      dir = tempFolder();
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports every valid Backstage example, and importing again changes nothing', async () => {
      const inputs = [path.join(fixtures, 'everything.yaml'), path.join(fixtures, 'examples/acme/org.yaml')];
      const first = await importFiles(store, inputs);
      expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(first.added).toBe(await count(store));
      expect(first.added).toBeGreaterThan(70);
      const before = await store.query(
        'SELECT entity_ref, updated_at FROM catalog_entities ORDER BY entity_ref',
      );
      const again = await importFiles(store, inputs);
      expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: first.added });
      expect(
        await store.query('SELECT entity_ref, updated_at FROM catalog_entities ORDER BY entity_ref'),
      ).toEqual(before);

      const artist = await getEntity(store, 'component:default/artist-lookup');
      expect(artist.relations).toEqual(
        expect.arrayContaining([
          {
            sourceRef: 'component:default/artist-lookup',
            type: 'ownedBy',
            targetRef: 'group:default/team-a',
          },
          {
            sourceRef: 'component:default/artist-lookup',
            type: 'dependsOn',
            targetRef: 'resource:default/artists-db',
          },
        ]),
      );
      const teamA = await getEntity(store, 'group:team-a');
      expect(teamA.relations).toContainEqual({
        sourceRef: 'group:default/team-a',
        type: 'ownerOf',
        targetRef: 'component:default/artist-lookup',
      });
    });

    it('writes nothing when any entity is invalid, and leaves what was stored intact', async () => {
      writeFiles(dir, { 'a.yaml': `${group('team-a')}---\n${component('kept')}` });
      await importFiles(store, [path.join(dir, 'a.yaml')]);
      const before = await store.query('SELECT entity_ref, hash FROM catalog_entities ORDER BY entity_ref');
      writeFiles(dir, {
        'a.yaml': `${group('team-a')}---\n${component('new-one')}---\n${component('Bad Name')}`,
      });
      const failure = await importFiles(store, [path.join(dir, 'a.yaml')]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as InputError).message).toMatch(/1 error; nothing was imported/);
      expect((failure as InputError).problems.find((p) => p.severity === 'error')?.location).toMatchObject({
        line: 21,
        column: 3,
      });
      expect(await store.query('SELECT entity_ref, hash FROM catalog_entities ORDER BY entity_ref')).toEqual(
        before,
      );
    });

    it('imports the valid entities with --partial and keeps the stored version of the invalid ones', async () => {
      writeFiles(dir, { 'a.yaml': `${group('team-a')}---\n${component('svc', '  system: shop\n')}` });
      await importFiles(store, [path.join(dir, 'a.yaml')]);
      // svc now has an invalid lifecycle type; other entities change.
      writeFiles(dir, {
        'a.yaml': `${group('team-a')}---\n${component('svc').replace('lifecycle: production', 'lifecycle: 7')}---\n${component('added')}`,
      });
      const report = await importFiles(store, [path.join(dir, 'a.yaml')], { partial: true });
      expect(report).toMatchObject({ added: 1, removed: 0, rejected: 1 });
      const svc = await getEntity(store, 'component:svc');
      expect((svc.entity.spec as { lifecycle: string }).lifecycle).toBe('production');
      expect((await listAllEntities(store, { kind: 'component' })).map((e) => e.name)).toEqual([
        'added',
        'svc',
      ]);
    });

    it('updates changed entities and removes those a file no longer defines', async () => {
      writeFiles(dir, {
        'all.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets: [./a.yaml, ./b.yaml]\n`,
        'a.yaml': `${group('team-a')}---\n${component('one')}---\n${component('two')}`,
        'b.yaml': component('three'),
      });
      const root = path.join(dir, 'all.yaml');
      expect(await importFiles(store, [root])).toMatchObject({ added: 5, updated: 0, removed: 0 });
      writeFiles(dir, {
        'all.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets: [./a.yaml]\n`,
        'a.yaml': `${group('team-a')}---\n${component('one').replace('  name: one', '  name: one\n  tags: [java]')}`,
      });
      // all.yaml and a.yaml changed; two was dropped from a.yaml; b.yaml is no longer reached.
      expect(await importFiles(store, [root])).toMatchObject({
        added: 0,
        updated: 2,
        removed: 2,
        unchanged: 1,
      });
      expect((await listAllEntities(store, {})).map((e) => e.ref)).toEqual([
        'component:default/one',
        'group:default/team-a',
        'location:default/all',
      ]);
      expect(await count(store, 'catalog_locations')).toBe(2);
      const [tag] = await store.query('SELECT tag FROM catalog_tags');
      expect(tag).toEqual({ tag: 'java' });
      expect(
        await store.query("SELECT * FROM catalog_relations WHERE origin_ref = 'component:default/two'"),
      ).toEqual([]);
    });

    it('refuses an entity another location already defines', async () => {
      writeFiles(dir, {
        'a.yaml': `${group('team-a')}---\n${component('shared')}`,
        'b.yaml': component('Shared'),
      });
      await importFiles(store, [path.join(dir, 'a.yaml')]);
      const failure = await importFiles(store, [path.join(dir, 'b.yaml')]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as InputError).problems.map((p) => p.message)).toContainEqual(
        expect.stringMatching(/component:default\/shared is already defined by .*a\.yaml/),
      );
      // Importing both together moves nothing and conflicts on the duplicate within the batch.
      const both = await importFiles(store, [path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')]).catch(
        (e: unknown) => e,
      );
      expect((both as InputError).problems.map((p) => p.message)).toContainEqual(
        expect.stringMatching(/defined twice/),
      );
    });

    it('warns about dangling references, and rejects them with strict', async () => {
      writeFiles(dir, { 'a.yaml': component('lonely', '  dependsOn: [component:ghost]\n') });
      const report = await importFiles(store, [path.join(dir, 'a.yaml')]);
      expect(report.added).toBe(1);
      expect(
        report.problems.map((p) => `${p.severity} ${p.location?.line}:${p.location?.column} ${p.message}`),
      ).toEqual([
        'warning 8:3 ownedBy group:default/team-a: no such entity in the catalog',
        'warning 9:15 dependsOn component:default/ghost: no such entity in the catalog',
      ]);
      const detail = await getEntity(store, 'component:lonely');
      expect(detail.warnings.map((w) => w.message)).toEqual([
        'dependsOn component:default/ghost: no such entity in the catalog',
        'ownedBy group:default/team-a: no such entity in the catalog',
      ]);
      await store.execute('DELETE FROM catalog_entities');
      await store.execute('DELETE FROM catalog_locations');
      await expect(importFiles(store, [path.join(dir, 'a.yaml')], { strict: true })).rejects.toThrow(
        /2 errors/,
      );
      expect(await count(store)).toBe(0);
    });

    it('imports YAML sent over the API under a location name', async () => {
      const read = readCatalogText(`${group('team-a')}---\n${component('from-api')}`, {
        name: 'request body',
        locationKey: 'api:payments',
      });
      expect(await importCatalog(store, read, { rootKey: 'api:payments' })).toMatchObject({ added: 2 });
      const replaced = readCatalogText(group('team-a'), {
        name: 'request body',
        locationKey: 'api:payments',
      });
      expect(await importCatalog(store, replaced, { rootKey: 'api:payments' })).toMatchObject({
        removed: 1,
        unchanged: 1,
      });
    });
  });

  describe.skipIf(factory.unavailable !== undefined)(`catalog queries on ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open(catalogMigrations);
      await importFiles(store, [
        path.join(fixtures, 'everything.yaml'),
        path.join(fixtures, 'examples/acme/org.yaml'),
      ]);
    });
    afterEach(async () => {
      await store.close();
    });

    it('filters by kind, owner, system, lifecycle, type, tag, namespace and text', async () => {
      const refs = async (filter: Parameters<typeof listAllEntities>[1]) =>
        (await listAllEntities(store, filter)).map((entity) => entity.ref);
      expect(await refs({ kind: 'Component', owner: 'team-a', system: 'artist-engagement-portal' })).toEqual([
        'component:default/artist-lookup',
        'component:default/www-artist',
      ]);
      expect(await refs({ kind: 'component', lifecycle: 'experimental', type: 'service' })).toContain(
        'component:default/artist-lookup',
      );
      expect(await refs({ tag: 'java' })).toEqual(
        expect.arrayContaining(['component:default/artist-lookup']),
      );
      expect(await refs({ namespace: 'alternative' })).toEqual(['component:alternative/different-namespace']);
      expect(await refs({ q: 'ARTIST LOOK' })).toEqual(['component:default/artist-lookup']);
      expect(await refs({ q: '%' })).toEqual([]);
      expect(await refs({ owner: 'group:default/nobody' })).toEqual([]);
    });

    it('pages with a cursor, without gaps or repeats', async () => {
      const all = await listAllEntities(store, {});
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listEntities(store, {}, { limit: 7, ...(cursor ? { cursor } : {}) });
        expect(page.totalItems).toBe(all.length);
        seen.push(...page.items.map((item) => item.ref));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((entity) => entity.ref));
      await expect(listEntities(store, {}, { cursor: 'not a cursor' })).rejects.toThrow(/cursor/);
    });

    it('walks dependencies and dependents through APIs', async () => {
      const dependents = await entityGraph(store, 'component:artist-lookup', 'dependents', 2);
      expect(dependents.nodes.map((node) => node.ref)).toEqual([
        'component:default/artist-lookup',
        'component:default/demo-service',
        'component:default/dream11-svc',
        'component:default/www-artist',
      ]);
      const dependencies = await entityGraph(store, 'component:petstore', 'dependencies', 3);
      expect(dependencies.nodes.find((node) => node.ref === 'api:default/searcher')).toMatchObject({
        missing: true,
      });
      expect(dependencies.edges).toContainEqual({
        source: 'component:default/petstore',
        type: 'consumesApi',
        target: 'api:default/searcher',
      });
      await expect(entityGraph(store, 'component:nope', 'dependents')).rejects.toThrow(/no entity/);
      await expect(entityGraph(store, 'component:petstore', 'dependents', 0)).rejects.toThrow(/depth/);
    });
  });
}
