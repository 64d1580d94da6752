/**
 * The catalog's HTTP routes under `/api/v1`: entity lists, one entity, its graph, and validation
 * and import of YAML bodies.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { InputError, toProblemJson } from '../core/errors.js';
import { createRouter, type RouteDeps } from '../core/http.js';
import { catalogConfig } from './catalogConfig.js';
import { checkCatalog } from './checkCatalog.js';
import { DEFAULT_GRAPH_DEPTH, entityGraph, MAX_GRAPH_DEPTH } from './entityGraph.js';
import { importCatalog } from './importCatalog.js';
import { readCatalogText } from './ingest/backstage.js';
import { CatalogProblemSchema, EntityDetailSchema, EntitySummarySchema } from './model.js';
import { DEFAULT_PAGE_SIZE, getEntity, listEntities, MAX_PAGE_SIZE } from './queries.js';

const toProblemJsonSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    problems: z
      .array(CatalogProblemSchema)
      .optional()
      .meta({ description: 'Each thing wrong with the request, located.' }),
  })
  .loose()
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document.' });

/** A documented problem response; every error the API sends is one of these. */
const problem = (description: string) =>
  ({ description, content: { 'application/problem+json': { schema: toProblemJsonSchema } } }) as const;

const problemResponses = { 400: problem('Invalid request'), 404: problem('Not found') } as const;

/** What a YAML body can fail with besides a 400. */
const bodyProblemResponses = {
  400: problem('Invalid request'),
  413: problem('The body is over server.bodyLimitBytes'),
  415: problem('The body is not YAML'),
} as const;

const EntityPageSchema = z
  .object({
    items: z.array(EntitySummarySchema),
    totalItems: z.number().int(),
    nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page.' }),
  })
  .meta({ id: 'EntityPage' });

const GraphSchema = z
  .object({
    root: z.string(),
    direction: z.enum(['dependencies', 'dependents']),
    depth: z.number().int(),
    nodes: z.array(
      z.object({
        ref: z.string(),
        distance: z.number().int(),
        kind: z.string().optional(),
        name: z.string().optional(),
        title: z.string().optional(),
        owner: z.string().optional(),
        lifecycle: z.string().optional(),
        tier: z.string().optional(),
        missing: z.boolean().optional(),
      }),
    ),
    edges: z.array(z.object({ source: z.string(), type: z.string(), target: z.string() })),
  })
  .meta({ id: 'EntityGraph' });

const ValidationReportSchema = z
  .object({
    entities: z.number().int(),
    valid: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    problems: z.array(CatalogProblemSchema),
  })
  .meta({ id: 'CatalogValidation' });

const ImportReportSchema = z
  .object({
    added: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    problems: z.array(CatalogProblemSchema),
  })
  .meta({ id: 'CatalogImport' });

const entityPath = z.object({
  kind: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
});

const yamlBody = {
  content: {
    'application/yaml': {
      schema: z.string().meta({ description: 'Backstage catalog YAML, one or more documents.' }),
    },
  },
  required: true,
} as const;

const locationQuery = z.object({
  location: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,199}$/)
    .default('default')
    .meta({
      description:
        'Names what this body replaces: importing under the same name again replaces the entities it defined before.',
    }),
  strict: z.enum(['true', 'false']).optional(),
  partial: z.enum(['true', 'false']).optional(),
});

async function yamlText(c: Context): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/yaml|text\/plain|application\/octet-stream/i.test(type)) {
    throw new InputError(`send catalog YAML with Content-Type application/yaml, not ${type}`, [], {
      status: 415,
    });
  }
  const text = await c.req.text();
  // The body is required: an empty one is a client mistake, and importing it would empty the location.
  if (text.trim() === '') throw new InputError('the request body is empty; send catalog YAML');
  return text;
}

/** The catalog's routes, mounted by the server under `/api/v1`. */
export function catalogRoutes(deps: RouteDeps) {
  const router = createRouter();
  const config = () => catalogConfig(deps.config);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/entities',
      tags: ['catalog'],
      summary: 'List entities',
      request: {
        query: z.object({
          kind: z.string().optional(),
          namespace: z.string().optional(),
          owner: z.string().optional().meta({ description: 'Owner ref; kind defaults to group.' }),
          system: z.string().optional(),
          lifecycle: z.string().optional(),
          type: z.string().optional(),
          tag: z.string().optional(),
          q: z.string().max(200).optional().meta({ description: 'Text in name, title or description.' }),
          limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
          cursor: z.string().max(1000).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of entities',
          content: { 'application/json': { schema: EntityPageSchema } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await listEntities(deps.store, filter, { limit, ...(cursor ? { cursor } : {}) }), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/entities/{kind}/{namespace}/{name}',
      tags: ['catalog'],
      summary: 'One entity, its relations and its warnings',
      request: { params: entityPath },
      responses: {
        200: { description: 'The entity', content: { 'application/json': { schema: EntityDetailSchema } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { kind, namespace, name } = c.req.valid('param');
      return c.json(await getEntity(deps.store, `${kind}:${namespace}/${name}`), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/entities/{kind}/{namespace}/{name}/graph',
      tags: ['catalog'],
      summary: "An entity's dependencies or dependents",
      request: {
        params: entityPath,
        query: z.object({
          direction: z.enum(['dependencies', 'dependents']).default('dependencies'),
          depth: z.coerce.number().int().min(1).max(MAX_GRAPH_DEPTH).default(DEFAULT_GRAPH_DEPTH),
        }),
      },
      responses: {
        200: { description: 'The graph', content: { 'application/json': { schema: GraphSchema } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { kind, namespace, name } = c.req.valid('param');
      const { direction, depth } = c.req.valid('query');
      return c.json(await entityGraph(deps.store, `${kind}:${namespace}/${name}`, direction, depth), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/catalog/validate',
      tags: ['catalog'],
      summary: 'Validate catalog YAML without storing it',
      request: { body: yamlBody, query: z.object({ strict: z.enum(['true', 'false']).optional() }) },
      responses: {
        200: {
          description: 'The validation report',
          content: { 'application/json': { schema: ValidationReportSchema } },
        },
        ...bodyProblemResponses,
      },
    }),
    async (c) => {
      const read = readCatalogText(await yamlText(c), {
        name: 'request body',
        locationKey: 'api:validate',
        maxDocumentBytes: config().maxDocumentBytes,
      });
      const strict = c.req.valid('query').strict === 'true' || config().strict;
      const check = checkCatalog(read.documents, { strict });
      const problems = [...read.problems, ...check.problems];
      const errors = problems.filter((problem) => problem.severity === 'error').length;
      return c.json(
        {
          entities: read.documents.length,
          valid: check.entities.length,
          errors,
          warnings: problems.length - errors,
          problems: problems.map(toProblemJson),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/catalog/import',
      tags: ['catalog'],
      summary: 'Import catalog YAML (atomic unless partial=true)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: { body: yamlBody, query: locationQuery },
      responses: {
        200: { description: 'What changed', content: { 'application/json': { schema: ImportReportSchema } } },
        ...bodyProblemResponses,
        401: problem('No API token, or not a configured one'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const locationKey = `api:${query.location}`;
      const read = readCatalogText(await yamlText(c), {
        name: 'request body',
        locationKey,
        maxDocumentBytes: config().maxDocumentBytes,
      });
      const report = await importCatalog(deps.store, read, {
        rootKey: locationKey,
        strict: query.strict === 'true' || config().strict,
        partial: query.partial === 'true',
      });
      const errors = report.problems.filter((problem) => problem.severity === 'error').length;
      const { problems, ...figures } = report;
      return c.json(
        { ...figures, errors, warnings: problems.length - errors, problems: problems.map(toProblemJson) },
        200,
      );
    },
  );

  return router;
}
