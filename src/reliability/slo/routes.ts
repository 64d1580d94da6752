/**
 * The SLO routes under `/api/v1`: register specs (YAML), list and read SLOs, send SLI points, and
 * SLO status (evaluation). `/slos/status` is matched before `/slos/{id}`: an SLO named `status`
 * is read through `GET /slos?…` only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { componentsInScope, parseScope } from '../../catalog/index.js';
import { InputError, toProblemJson } from '../../core/errors.js';
import { createRouter, type RouteDeps } from '../../core/http.js';
import { evaluateSlos } from './evaluateSlos.js';
import {
  SliPointsBodySchema,
  SliWriteReportSchema,
  SloDetailSchema,
  SloRegisterReportSchema,
  SloStatusSchema,
  SloSummarySchema,
} from './model.js';
import { parseInstant } from './parseInstant.js';
import { readSliPointsJson } from './readSliPoints.js';
import { registerSlos } from './registerSlos.js';
import { getSlo, listSlos, sloRow } from './sloQueries.js';
import { writeSliPoints } from './writeSliPoints.js';

const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional() })
  .loose()
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document.' });

const problems = (...statuses: (400 | 404 | 409)[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: { 400: 'Invalid request', 404: 'Not found', 409: 'Conflicts with stored data' }[status],
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );

const scopeQuery = z
  .string()
  .max(300)
  .optional()
  .meta({ description: 'org (default), team:<group ref> (with child teams) or service:<component ref>.' });
const atQuery = z
  .string()
  .max(100)
  .optional()
  .meta({ description: 'Evaluate at this time (default now): ISO-8601, a day, now or now-<duration>.' });
const idPath = z.object({ id: z.string().min(1).max(300) });

async function yamlText(c: Context): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/yaml|text\/plain|application\/octet-stream/i.test(type)) {
    throw new InputError(`send SLO specs as YAML (Content-Type application/yaml), not ${type}`, [], {
      status: 415,
    });
  }
  return c.req.text();
}

/** The SLO routes, mounted by the server under `/api/v1`. */
export function sloRoutes(deps: RouteDeps) {
  const router = createRouter();
  const { store } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/slos',
      tags: ['slos'],
      summary: 'List registered SLOs',
      request: { query: z.object({ scope: scopeQuery }) },
      responses: {
        200: {
          description: 'The SLOs, by id',
          content: { 'application/json': { schema: z.object({ items: z.array(SloSummarySchema) }) } },
        },
        ...problems(400),
      },
    }),
    async (c) => {
      const components = await componentsInScope(store, parseScope(c.req.valid('query').scope));
      return c.json({ items: await listSlos(store, components ? { components } : {}) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/slos',
      tags: ['slos'],
      summary: 'Register OpenSLO v1 or Sloth specs (all or nothing; idempotent)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: {
        body: {
          content: {
            'application/yaml': {
              schema: z
                .string()
                .meta({ description: 'OpenSLO v1 or Sloth spec YAML, one or more documents.' }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: {
          description: 'What changed',
          content: { 'application/json': { schema: SloRegisterReportSchema } },
        },
        ...problems(400),
      },
    }),
    async (c) => {
      const report = await registerSlos(store, [{ file: 'request body', text: await yamlText(c) }], {
        source: 'api',
      });
      return c.json(
        {
          ...report,
          errors: 0,
          warnings: report.problems.length,
          problems: report.problems.map(toProblemJson),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/slos/status',
      tags: ['slos'],
      summary: 'Evaluate the SLOs in scope',
      request: { query: z.object({ scope: scopeQuery, at: atQuery }) },
      responses: {
        200: {
          description: 'Each SLO evaluated at `at`',
          content: {
            'application/json': { schema: z.object({ at: z.string(), items: z.array(SloStatusSchema) }) },
          },
        },
        ...problems(400),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const at = query.at ? parseInstant(query.at, 'at') : new Date();
      const items = await evaluateSlos(store, { at, scope: parseScope(query.scope) });
      return c.json({ at: at.toISOString(), items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/slos/{id}',
      tags: ['slos'],
      summary: 'One SLO, its spec and the extent of its SLI data',
      request: { params: idPath },
      responses: {
        200: { description: 'The SLO', content: { 'application/json': { schema: SloDetailSchema } } },
        ...problems(404),
      },
    }),
    async (c) => c.json(await getSlo(store, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/slos/{id}/status',
      tags: ['slos'],
      summary: 'Evaluate one SLO',
      request: { params: idPath, query: z.object({ at: atQuery }) },
      responses: {
        200: {
          description: 'The SLO evaluated at `at`',
          content: { 'application/json': { schema: SloStatusSchema } },
        },
        ...problems(400, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const at = query.at ? parseInstant(query.at, 'at') : new Date();
      await sloRow(store, id); // a 404 naming the id when it is not registered
      const [status] = await evaluateSlos(store, { at, ids: [id] });
      return c.json(status!, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/slos/{id}/sli',
      tags: ['slos'],
      summary: 'Send SLI points (idempotent per start and end; any order)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: {
        params: idPath,
        body: { content: { 'application/json': { schema: SliPointsBodySchema } }, required: true },
      },
      responses: {
        200: {
          description: 'What changed',
          content: { 'application/json': { schema: SliWriteReportSchema } },
        },
        ...problems(400, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const read = readSliPointsJson(c.req.valid('json'), 'request body');
      if (read.problems.length > 0) {
        throw new InputError(
          `${read.problems.length} problem(s) in the SLI points: nothing was stored`,
          read.problems,
        );
      }
      return c.json(await writeSliPoints(store, id, read.points, { source: 'push' }), 200);
    },
  );

  return router;
}
