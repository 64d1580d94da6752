/**
 * The incident HTTP routes under `/api/v1`: list, get, create, update and import incidents (200, 207
 * Multi-Status when some records were rejected, 422 when nothing was stored), the
 * PagerDuty v3 webhook, incident statistics and on-call load. Writes need an API token, except the
 * webhook, which PagerDuty authenticates with its signature.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { componentsInScope, parseScope } from '../../catalog/index.js';
import { InputError, type Problem, toProblemJson } from '../../core/errors.js';
import { createRouter, type RouteDeps } from '../../core/http.js';
import { plural } from '../../core/plural.js';
import { parseWindowBound, reportWindow } from '../../core/reportWindow.js';
import {
  ImportQuerySchema,
  ImportReportSchema,
  IncidentInputSchema,
  IncidentPageSchema,
  IncidentPatchSchema,
  IncidentStatsSchema,
  OnCallLoadSchema,
  problem,
  StatsQuerySchema,
} from './apiSchemas.js';
import { createIncident, updateIncident } from './editIncident.js';
import { importIncidents, importOutcome } from './importIncidents.js';
import { incidentsConfig, pagerDutyWebhookSecret } from './incidentsConfig.js';
import { INCIDENT_STATUSES, IncidentSchema, SEVERITIES } from './model.js';
import { handlePagerDutyWebhook } from './pagerdutyWebhookHandler.js';
import { DEFAULT_INCIDENT_PAGE, getIncident, listIncidents, MAX_INCIDENT_PAGE } from './queries.js';
import { incidentStats, onCallLoadReport } from './stats.js';

const idParam = z.object({
  id: z.string().min(1).meta({
    description:
      'The source-qualified id, e.g. pagerduty:PT4KHLK (URL-encode if needed), or the id its source gave it (INC-1 for pave:INC-1) when only one source has it.',
  }),
});

const writeResponses = {
  400: problem('Invalid request'),
  401: problem('No API token, or not a configured one'),
} as const;

function problemCounts(problems: readonly Problem[]) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors, problems: problems.map(toProblemJson) };
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new InputError('the request body is empty; send incident JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`malformed JSON body: ${(error as Error).message}`, [
      { severity: 'error', message: (error as Error).message, location: { file: 'request body' } },
    ]);
  }
}

/** The incident routes, mounted by the server under `/api/v1`. */
export function incidentRoutes(deps: RouteDeps) {
  const router = createRouter();
  const config = () => incidentsConfig(deps.config);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/incidents/stats',
      tags: ['incidents'],
      summary: 'Incident metrics: MTTA, MTTR, platform-caused, recurrence, postmortems, action items',
      request: { query: StatsQuerySchema },
      responses: {
        200: { description: 'The metrics', content: { 'application/json': { schema: IncidentStatsSchema } } },
        400: problem('Invalid request'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const window = reportWindow({ from: query.from, to: query.to });
      return c.json(
        await incidentStats(deps.store, { scope: parseScope(query.scope), ...window, config: config() }),
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/oncall/load',
      tags: ['incidents'],
      summary: 'On-call load per team and week: pages, interruptions by business, off and sleep hours',
      request: { query: StatsQuerySchema },
      responses: {
        200: { description: 'The load', content: { 'application/json': { schema: OnCallLoadSchema } } },
        400: problem('Invalid request'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const window = reportWindow({ from: query.from, to: query.to });
      return c.json(
        await onCallLoadReport(deps.store, { scope: parseScope(query.scope), ...window, config: config() }),
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/incidents',
      tags: ['incidents'],
      summary: 'List incidents, newest first',
      request: {
        query: z.object({
          source: z.string().optional(),
          severity: z.enum(SEVERITIES).optional(),
          status: z.enum(INCIDENT_STATUSES).optional(),
          service: z.string().optional().meta({ description: 'A component ref or name.' }),
          team: z
            .string()
            .optional()
            .meta({ description: "A group ref: incidents affecting the team's services." }),
          from: z.string().optional().meta({ description: 'Started at or after: a day or RFC 3339 time.' }),
          to: z
            .string()
            .optional()
            .meta({ description: 'Started before: a day (included) or RFC 3339 time (excluded).' }),
          q: z.string().max(200).optional().meta({ description: 'Text in the title.' }),
          limit: z.coerce.number().int().min(1).max(MAX_INCIDENT_PAGE).default(DEFAULT_INCIDENT_PAGE),
          cursor: z.string().max(1000).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of incidents',
          content: { 'application/json': { schema: IncidentPageSchema } },
        },
        400: problem('Invalid request'),
      },
    }),
    async (c) => {
      const { limit, cursor, service, team, from, to, ...rest } = c.req.valid('query');
      const filter = {
        ...rest,
        ...(service ? { service: (parseScope(`service:${service}`) as { ref: string }).ref } : {}),
        ...(team
          ? { services: (await componentsInScope(deps.store, parseScope(`team:${team}`))) ?? [] }
          : {}),
        ...(from ? { from: parseWindowBound(from, 'from', 'UTC') } : {}),
        ...(to ? { to: parseWindowBound(to, 'to', 'UTC') } : {}),
      };
      return c.json(await listIncidents(deps.store, filter, { limit, ...(cursor ? { cursor } : {}) }), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/incidents',
      tags: ['incidents'],
      summary: 'Create an incident',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: { body: { content: { 'application/json': { schema: IncidentInputSchema } }, required: true } },
      responses: {
        201: { description: 'The incident', content: { 'application/json': { schema: IncidentSchema } } },
        ...writeResponses,
        409: problem('An incident with this id exists'),
      },
    }),
    async (c) => {
      const { incident } = await createIncident(deps.store, c.req.valid('json'));
      return c.json(incident, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/incidents/import',
      tags: ['incidents'],
      summary: 'Import incidents: PagerDuty, PagerDuty analytics, Opsgenie, CDEvents, CSV or Pave JSON',
      description: 'The body is the file, as the `source` format writes it (JSON, NDJSON or CSV).',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: { query: ImportQuerySchema },
      responses: {
        200: {
          description: 'Everything was imported (or already was): no errors',
          content: { 'application/json': { schema: ImportReportSchema } },
        },
        207: {
          description:
            'Multi-Status: some incidents were stored, some records were rejected; `problems` locates each',
          content: { 'application/json': { schema: ImportReportSchema } },
        },
        ...writeResponses,
        422: problem(
          'Nothing was stored because of errors (atomic, or every record invalid); `problems` locates each',
        ),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const text = await c.req.text();
      if (text.trim() === '')
        throw new InputError(`the request body is empty; send the ${query.source} file`);
      const {
        problems,
        ids: _ids,
        ...report
      } = await importIncidents(deps.store, text, query.source, {
        file: 'request body',
        atomic: query.atomic === 'true',
      });
      const json = { ...report, ...problemCounts(problems) };
      const outcome = importOutcome({ ...report, errors: json.errors });
      if (outcome === 'refused') {
        const first = problems.find((p) => p.severity === 'error');
        throw new InputError(
          `nothing was imported: ${plural(report.rejected, 'record')} rejected, ${plural(json.errors, 'error')}` +
            `${first ? `; first: ${first.message}` : ''}`,
          problems,
          { status: 422, code: 'nothing-imported' },
        );
      }
      return outcome === 'partial' ? c.json(json, 207) : c.json(json, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/incidents/{id}',
      tags: ['incidents'],
      summary: 'One incident with its timeline, postmortem and action items',
      request: { params: idParam },
      responses: {
        200: { description: 'The incident', content: { 'application/json': { schema: IncidentSchema } } },
        400: problem('An id without its source that several sources use; the detail lists them'),
        404: problem('No such incident'),
      },
    }),
    async (c) => c.json(await getIncident(deps.store, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/incidents/{id}',
      tags: ['incidents'],
      summary: 'Update an incident (JSON merge patch; timeline and action items upserted by id)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: {
        params: idParam,
        body: {
          content: {
            'application/merge-patch+json': { schema: IncidentPatchSchema },
            'application/json': { schema: IncidentPatchSchema },
          },
          required: true,
        },
      },
      responses: {
        200: {
          description: 'The updated incident',
          content: { 'application/json': { schema: IncidentSchema } },
        },
        ...writeResponses,
        404: problem('No such incident'),
      },
    }),
    async (c) => {
      const { incident } = await updateIncident(deps.store, c.req.valid('param').id, await jsonBody(c));
      return c.json(incident, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/pagerduty',
      tags: ['incidents'],
      summary: 'PagerDuty v3 webhook (X-PagerDuty-Signature verified when a secret is configured)',
      description:
        'The body is the webhook payload exactly as PagerDuty sent it: the signature covers its raw bytes.',
      responses: {
        200: {
          description: 'The event was applied (or changes nothing)',
          content: {
            'application/json': {
              schema: z.looseObject({ event: z.looseObject({}), incidentId: z.string().optional() }),
            },
          },
        },
        400: problem('Not a v3 webhook payload'),
        401: problem('Missing or wrong signature'),
      },
    }),
    async (c) => {
      const result = await handlePagerDutyWebhook(deps.store, {
        rawBody: await c.req.text(),
        signature: c.req.header('x-pagerduty-signature'),
        secret: pagerDutyWebhookSecret(deps.config),
      });
      return c.json(result, 200);
    },
  );

  return router;
}
