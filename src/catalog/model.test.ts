import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ApiSpecSchema,
  ComponentSpecSchema,
  DomainSpecSchema,
  EntityDetailSchema,
  EntitySchema,
  EntitySummarySchema,
  GroupSpecSchema,
  LocationSpecSchema,
  ResourceSpecSchema,
  StoredRelationSchema,
  SystemSpecSchema,
  TemplateSpecSchema,
  UserSpecSchema,
} from './model.js';
import { entityRelations } from './relations.js';
import { fixtureDocuments } from './testing/backstageVerdict.js';
import { entityKey, validateEntity } from './validateEntity.js';

const specSchemas: Record<string, z.ZodType> = {
  Component: ComponentSpecSchema,
  API: ApiSpecSchema,
  Resource: ResourceSpecSchema,
  System: SystemSpecSchema,
  Domain: DomainSpecSchema,
  Group: GroupSpecSchema,
  User: UserSpecSchema,
  Location: LocationSpecSchema,
  Template: TemplateSpecSchema,
};

const validDocuments = fixtureDocuments().filter(
  (d) => !validateEntity(d.entity).some((issue) => issue.severity === 'error'),
);

describe('model schemas', () => {
  it('accept every entity validateEntity accepts, and its kind spec', () => {
    const kinds = new Set<string>();
    for (const { file, entity } of validDocuments) {
      const parsed = EntitySchema.safeParse(entity);
      expect({ file, issues: parsed.error?.issues }).toEqual({ file, issues: undefined });
      const { kind, spec } = entity as { kind: string; spec?: unknown };
      const schema = specSchemas[kind];
      if (!schema) continue;
      kinds.add(kind);
      const specParsed = schema.safeParse(spec);
      expect({ file, issues: specParsed.error?.issues }).toEqual({ file, issues: undefined });
    }
    expect([...kinds].sort()).toEqual([
      'API',
      'Component',
      'Domain',
      'Group',
      'Location',
      'Resource',
      'System',
      'Template',
      'User',
    ]);
  });

  it('reject what they must: a missing name, a relation of an unknown type', () => {
    expect(EntitySchema.safeParse({ apiVersion: 'v1', kind: 'X', metadata: {} }).success).toBe(false);
    expect(
      StoredRelationSchema.safeParse({ sourceRef: 'a:b/c', type: 'likes', targetRef: 'a:b/d' }).success,
    ).toBe(false);
    expect(ComponentSpecSchema.safeParse({ type: 'service', lifecycle: 'production' }).success).toBe(false);
  });

  it('describe an entity detail built from real data', () => {
    const { entity } = validDocuments.find(
      (d) => d.file === 'examples/components/artist-lookup-component.yaml',
    )!;
    const typed = EntitySchema.parse(entity);
    const detail = {
      ref: entityKey(typed),
      entity: typed,
      relations: entityRelations(typed),
      warnings: [],
    };
    expect(EntityDetailSchema.parse(detail).relations).toHaveLength(6);
    const summary = EntitySummarySchema.parse({
      ref: detail.ref,
      kind: typed.kind,
      namespace: 'default',
      name: typed.metadata.name,
      tags: typed.metadata.tags ?? [],
    });
    expect(summary.ref).toBe('component:default/artist-lookup');
  });

  it('appear as named components of the OpenAPI document', () => {
    const app = new OpenAPIHono();
    app.openapi(
      createRoute({
        method: 'get',
        path: '/entities/{kind}/{namespace}/{name}',
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: EntityDetailSchema } } },
        },
      }),
      (c) => c.json(undefined as never),
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: '/entities',
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: z.object({ items: z.array(EntitySummarySchema) }) } },
          },
        },
      }),
      (c) => c.json(undefined as never),
    );
    const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'pave', version: '0' } });
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual([
      'CatalogProblem',
      'Entity',
      'EntityDetail',
      'EntityLink',
      'EntityMeta',
      'EntitySummary',
      'Relation',
      'StoredRelation',
    ]);
    expect((schemas.StoredRelation as { description?: string }).description).toBe(
      'A directed relation between two entities.',
    );
  });
});
