import type { Entity as BackstageEntity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { entityReferences, entityRelations, type RelatedEntity } from './relations.js';
import { backstageRelations, backstageVerdict, fixtureDocuments } from './testing/backstageVerdict.js';

const lines = (entity: RelatedEntity) =>
  entityRelations(entity)
    .map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`)
    .sort();

describe('relations equal what Backstage derives', () => {
  it('for every valid entity of the example catalog', async () => {
    let compared = 0;
    let relations = 0;
    for (const document of fixtureDocuments()) {
      const entity = document.entity as BackstageEntity;
      if (entity.kind === 'Template' || (await backstageVerdict(entity)).verdict !== 'valid') continue;
      const expected = backstageRelations(entity);
      expect({ file: document.file, relations: lines(entity as RelatedEntity) }).toEqual({
        file: document.file,
        relations: expected,
      });
      compared++;
      relations += expected.length;
    }
    expect(compared).toBeGreaterThan(70);
    expect(relations).toBeGreaterThan(200);
  });

  it('for every relation field of every built-in kind', async () => {
    const entities: RelatedEntity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'Checkout', namespace: 'payments' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'team-payments',
          system: 'shop',
          subcomponentOf: 'storefront',
          providesApis: ['checkout-api', 'default/Legacy-API'],
          consumesApis: ['api:pricing'],
          dependsOn: ['resource:checkout-db', 'Component:Default/Fraud'],
          dependencyOf: ['component:storefront'],
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: 'checkout-api' },
        spec: {
          type: 'openapi',
          lifecycle: 'production',
          owner: 'user:jdoe',
          system: 'shop',
          definition: 'x',
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'checkout-db' },
        spec: {
          type: 'database',
          owner: 'team-a',
          system: 'shop',
          dependsOn: ['resource:disk'],
          dependencyOf: 'component:checkout',
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'shop' },
        spec: { owner: 'team-a', domain: 'commerce' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'commerce' },
        spec: { owner: 'team-a', subdomainOf: 'business' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a', namespace: 'org' },
        spec: {
          type: 'team',
          parent: 'engineering',
          children: ['team-a1', 'group:default/team-a2'],
          members: ['jdoe'],
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'jdoe' },
        spec: { memberOf: ['team-a', 'org/team-b'] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'all' },
        spec: { targets: ['./a.yaml'] },
      },
    ];
    for (const entity of entities) {
      expect((await backstageVerdict(entity)).verdict).toBe('valid');
      expect([entity.kind, lines(entity)]).toEqual([
        entity.kind,
        backstageRelations(entity as BackstageEntity),
      ]);
    }
    expect(lines(entities[0]!)).toHaveLength(2 * 9);
  });
});

describe('entityRelations', () => {
  it('gives both directions with lower-case keys and the default kind of each field', () => {
    const relations = entityRelations({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Checkout' },
      spec: { owner: 'Team-Payments', providesApis: ['checkout-api'], system: 'Shop' },
    });
    expect(relations).toEqual([
      { sourceRef: 'component:default/checkout', type: 'ownedBy', targetRef: 'group:default/team-payments' },
      { sourceRef: 'group:default/team-payments', type: 'ownerOf', targetRef: 'component:default/checkout' },
      { sourceRef: 'component:default/checkout', type: 'providesApi', targetRef: 'api:default/checkout-api' },
      {
        sourceRef: 'api:default/checkout-api',
        type: 'apiProvidedBy',
        targetRef: 'component:default/checkout',
      },
      { sourceRef: 'component:default/checkout', type: 'partOf', targetRef: 'system:default/shop' },
      { sourceRef: 'system:default/shop', type: 'hasPart', targetRef: 'component:default/checkout' },
    ]);
  });

  it("resolves references without a namespace in the entity's own namespace", () => {
    const relations = entityRelations({
      kind: 'User',
      metadata: { name: 'jdoe', namespace: 'acme' },
      spec: { memberOf: ['team-a', 'default/team-b'] },
    });
    expect(relations.map((r) => r.targetRef)).toEqual([
      'group:acme/team-a',
      'user:acme/jdoe',
      'group:default/team-b',
      'user:acme/jdoe',
    ]);
  });

  it('lists a relation once even when written twice', () => {
    const relations = entityRelations({
      kind: 'Component',
      metadata: { name: 'a' },
      spec: { owner: 'team-a', dependsOn: ['resource:db', 'Resource:default/DB'] },
    });
    expect(relations.filter((r) => r.type === 'dependsOn')).toHaveLength(1);
    expect(relations).toHaveLength(4);
  });

  it('derives ownership for v1beta3 templates only, and nothing for kinds that are not built in', () => {
    const template = (apiVersion: string) => ({
      apiVersion,
      kind: 'Template',
      metadata: { name: 'new-service' },
      spec: { owner: 'platform', type: 'service', steps: [] },
    });
    expect(lines(template('scaffolder.backstage.io/v1beta3'))).toEqual([
      'group:default/platform ownerOf template:default/new-service',
      'template:default/new-service ownedBy group:default/platform',
    ]);
    expect(entityRelations(template('backstage.io/v1beta2'))).toEqual([]);
    expect(
      entityRelations({ kind: 'Environment', metadata: { name: 'prod' }, spec: { owner: 'team-a' } }),
    ).toEqual([]);
  });

  it('skips references that do not parse (validateEntity reports them)', () => {
    const relations = entityRelations({
      kind: 'Component',
      metadata: { name: 'a' },
      spec: { owner: 'group:', dependsOn: ['db', 5, 'resource:db'] },
    });
    expect(relations.map((r) => r.targetRef)).toEqual(['resource:default/db', 'component:default/a']);
  });
});

describe('entityReferences', () => {
  it('says where each reference is written, for dangling-reference warnings', () => {
    const references = entityReferences({
      kind: 'Group',
      metadata: { name: 'team-a' },
      spec: { type: 'team', parent: 'eng', children: ['team-a1', 'team-a2'] },
    });
    expect(references.map((r) => [r.path, r.field, r.targetRef, r.outgoing, r.incoming])).toEqual([
      [['spec', 'parent'], 'parent', 'group:default/eng', 'childOf', 'parentOf'],
      [['spec', 'children', 0], 'children', 'group:default/team-a1', 'parentOf', 'childOf'],
      [['spec', 'children', 1], 'children', 'group:default/team-a2', 'parentOf', 'childOf'],
    ]);
  });
});
