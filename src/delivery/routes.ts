/**
 * The delivery domain's HTTP routes under `/api/v1`: recording and explaining deployments,
 * CDEvents, GitHub and GitLab webhooks, and the DORA and CI metrics. Writes take the API token,
 * except the webhooks, which authenticate by their signature or token.
 */
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { hasErrors, InputError } from '../core/errors.js';
import { createRouter, type RouteDeps } from '../core/http.js';
import { reportWindow } from '../core/reportWindow.js';
import { computeCi } from './ciMetrics.js';
import { ingestReportJson } from './commands.js';
import { deliveryConfig, incidentWindowSeconds, LEAD_TIME_FROM, TIER_YEARS } from './deliveryConfig.js';
import { DeploymentExplanationSchema, explainDeployment } from './explainDeployment.js';
import { parseCdeventsValue } from './ingest/cdevents.js';
import { isObject } from './ingest/fields.js';
import { type IngestReport, ingestResult } from './ingestRecords.js';
import { ingestCdeventsText } from './ingestSources.js';
import {
  DEFAULT_DEPLOYMENT_PAGE,
  DeploymentPageSchema,
  listDeployments,
  MAX_DEPLOYMENT_PAGE,
} from './listDeployments.js';
import { checkTimezone, computeDora } from './metrics.js';
import {
  CiReportSchema,
  DoraReportSchema,
  IngestProblemSchema,
  type IngestReportJson,
  IngestReportJsonSchema,
} from './metricsModel.js';
import { DeploymentSchema } from './model.js';
import { DeploymentInputSchema, recordDeployment } from './recordDeployment.js';
import { ingestGitHubWebhook, ingestGitLabWebhook } from './webhooks.js';

const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    problems: z.array(IngestProblemSchema).optional(),
  })
  .loose()
  .meta({ id: 'DeliveryProblem', description: 'An RFC 9457 problem document.' });

const problem = (description: string) =>
  ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } }) as const;

const ingestResponses = {
  200: {
    description: 'What was stored; events with errors were dropped and are listed with their location',
    content: { 'application/json': { schema: IngestReportJsonSchema } },
  },
  207: {
    description:
      'Some events were stored and some rejected: `errors` counts them and `problems` locates each (a batch client must look)',
    content: { 'application/json': { schema: IngestReportJsonSchema } },
  },
  400: problem('Nothing could be ingested (or, atomic, something was invalid): every problem is located'),
  413: problem('The body is over server.bodyLimitBytes'),
};

const atomicQuery = z.object({
  atomic: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: store nothing if any event is invalid.' }),
});

const windowQuery = {
  scope: z
    .string()
    .default('org')
    .meta({ description: '`org`, `service:<ref>`, `team:<ref>`, `system:<ref>` or `domain:<ref>`.' }),
  from: z
    .string()
    .optional()
    .meta({ description: 'A day (`2024-03-01`) or RFC 3339 time; default 90 days before `to`.' }),
  to: z
    .string()
    .optional()
    .meta({ description: 'A day (included) or RFC 3339 time (excluded); default now.' }),
};

/** A 400 when every event was rejected; otherwise the report (errors listed, valid events kept). */
function ingestJson(report: IngestReport): IngestReportJson {
  const json = ingestReportJson(report);
  if (hasErrors(report.problems) && json.errors >= report.events) {
    throw new InputError(
      `nothing was ingested: ${json.errors} error${json.errors === 1 ? '' : 's'}${
        report.problems[0] ? `, first: ${report.problems[0].message}` : ''
      }`,
      report.problems,
    );
  }
  return json;
}

/** 200 when everything was stored, 207 (Multi-Status) when some events were rejected. */
function ingestStatus(json: IngestReportJson): 200 | 207 {
  return json.errors > 0 ? 207 : 200;
}

/**
 * A webhook without its own secret falls back to the API tokens: once tokens are configured, an
 * unsigned webhook must not be the one way to write without one.
 */
function unlessWebhookSecret(
  secret: () => string | undefined,
  requireToken: MiddlewareHandler,
): MiddlewareHandler {
  return (c, next) => (secret() === undefined ? requireToken(c, next) : next());
}

/** The delivery routes, mounted by the server under `/api/v1`. */
export function deliveryRoutes(deps: RouteDeps) {
  const router = createRouter();
  const config = () => deliveryConfig(deps.config);

  router.openapi(
    createRoute({
      method: 'post',
      path: '/deployments',
      tags: ['delivery'],
      summary: 'Record a deployment (idempotent by its id)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: {
        body: { content: { 'application/json': { schema: DeploymentInputSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'Recorded: `created`, `updated` (merged into the stored one) or `unchanged`',
          content: {
            'application/json': {
              schema: z.object({
                outcome: z.enum(['created', 'updated', 'unchanged']),
                deployment: DeploymentSchema,
                component: z.string().nullable().meta({
                  description: 'The catalog component ref its service resolves to, or null when none.',
                }),
                warnings: z.array(z.string()).meta({
                  description:
                    'Kept but worth saying, e.g. a service that matches no catalog component (counted at organisation scope as unattributed).',
                }),
              }),
            },
          },
        },
        400: problem('Invalid deployment: each bad field with its JSON pointer'),
        401: problem('No API token, or not a configured one'),
      },
    }),
    async (c) => {
      const result = await recordDeployment(deps.store, c.req.valid('json'));
      return c.json(
        {
          outcome: result.outcome,
          deployment: result.deployment,
          component: result.component,
          warnings: result.warnings,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/deployments',
      tags: ['delivery'],
      summary: 'List deployments, newest first (by finish time, else status time, then id), a page at a time',
      request: {
        query: z.object({
          service: z
            .string()
            .optional()
            .meta({ description: 'A raw service name or the component ref it resolves to.' }),
          environment: z.string().optional(),
          from: z.string().optional().meta({ description: 'Finished at or after: a day or RFC 3339 time.' }),
          to: z
            .string()
            .optional()
            .meta({ description: 'Finished before: a day (included) or RFC 3339 time (excluded).' }),
          limit: z.coerce.number().int().min(1).max(MAX_DEPLOYMENT_PAGE).default(DEFAULT_DEPLOYMENT_PAGE),
          cursor: z.string().optional().meta({ description: '`nextCursor` of the previous page; opaque.' }),
        }),
      },
      responses: {
        200: {
          description: 'One page of deployments; `nextCursor` is absent on the last',
          content: { 'application/json': { schema: DeploymentPageSchema } },
        },
        400: problem('Invalid request, e.g. a malformed cursor'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listDeployments(
        deps.store,
        {
          ...(query.service ? { service: query.service } : {}),
          ...(query.environment ? { environment: query.environment } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
        },
        { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
      );
      return c.json(page, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/deployments/{id}',
      tags: ['delivery'],
      summary: 'One deployment explained: its changes, and why it failed or not',
      request: {
        params: z.object({ id: z.string().min(1) }),
        query: z.object({
          env: z
            .string()
            .optional()
            .meta({ description: 'Comma-separated environments counted as production.' }),
        }),
      },
      responses: {
        200: {
          description: 'The explanation',
          content: { 'application/json': { schema: DeploymentExplanationSchema } },
        },
        404: problem('No such deployment'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { env } = c.req.valid('query');
      const explanation = await explainDeployment(deps.store, id, {
        config: config(),
        ...(env ? { environments: env.split(',') } : {}),
      });
      return c.json(explanation, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/events',
      tags: ['delivery'],
      summary: 'Ingest CDEvents: one event, an array, or NDJSON (CloudEvents structured mode is unwrapped)',
      security: [{ bearerAuth: [] }],
      middleware: [deps.requireToken] as const,
      request: { query: atomicQuery },
      responses: { ...ingestResponses, 401: problem('No API token, or not a configured one') },
    }),
    async (c) => {
      const atomic = c.req.valid('query').atomic === 'true';
      const type = c.req.header('content-type') ?? '';
      const text = await c.req.text();
      if (text.trim() === '') throw new InputError('the request body is empty; send CDEvents JSON or NDJSON');
      if (/cloudevents/i.test(type)) {
        // Structured mode: each CloudEvent carries the CDEvent in `data`.
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new InputError(`malformed JSON body: ${(error as Error).message}`);
        }
        const unwrap = (event: unknown) => (isObject(event) && 'data' in event ? event.data : event);
        const events = Array.isArray(value) ? value.map(unwrap) : unwrap(value);
        const report = await ingestResult(
          deps.store,
          parseCdeventsValue(events, { file: 'request body', atomic }),
        );
        const json = ingestJson(report);
        return c.json(json, ingestStatus(json));
      }
      const json = ingestJson(await ingestCdeventsText(deps.store, text, { atomic }));
      return c.json(json, ingestStatus(json));
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/github',
      tags: ['delivery'],
      summary:
        'GitHub webhook: deployment, deployment_status, push, pull_request, pull_request_review, workflow_run, workflow_job',
      description:
        'Authenticated by `X-Hub-Signature-256` (HMAC-SHA256 of the raw body) when `delivery.github.webhookSecret` / `PAVE_GITHUB_WEBHOOK_SECRET` is set; a bad signature stores nothing. Without a secret, an API token is required once tokens are configured. Other events are kept raw.',
      security: [{ bearerAuth: [] }],
      middleware: [unlessWebhookSecret(() => config().github.webhookSecret, deps.requireToken)] as const,
      responses: { ...ingestResponses, 401: problem('Missing or wrong X-Hub-Signature-256') },
    }),
    async (c) => {
      // The signature covers the bytes as sent: read them before anything parses the body.
      const body = new Uint8Array(await c.req.arrayBuffer());
      const secret = config().github.webhookSecret;
      const report = await ingestGitHubWebhook(
        deps.store,
        {
          event: c.req.header('x-github-event'),
          deliveryId: c.req.header('x-github-delivery'),
          signature: c.req.header('x-hub-signature-256'),
          body,
        },
        secret === undefined ? {} : { secret },
      );
      const json = ingestJson(report);
      return c.json(json, ingestStatus(json));
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/gitlab',
      tags: ['delivery'],
      summary: 'GitLab webhook: Deployment, Pipeline, Merge Request and Push hooks',
      description:
        'Authenticated by `X-Gitlab-Token` when `delivery.gitlab.webhookToken` / `PAVE_GITLAB_WEBHOOK_TOKEN` is set; without it, an API token is required once tokens are configured. Other hooks are kept raw.',
      security: [{ bearerAuth: [] }],
      middleware: [unlessWebhookSecret(() => config().gitlab.webhookToken, deps.requireToken)] as const,
      responses: { ...ingestResponses, 401: problem('Missing or wrong X-Gitlab-Token') },
    }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const token = config().gitlab.webhookToken;
      const report = await ingestGitLabWebhook(
        deps.store,
        {
          event: c.req.header('x-gitlab-event'),
          deliveryId: c.req.header('idempotency-key') ?? c.req.header('x-gitlab-event-uuid'),
          token: c.req.header('x-gitlab-token'),
          body,
        },
        token === undefined ? {} : { token },
      );
      const json = ingestJson(report);
      return c.json(json, ingestStatus(json));
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/metrics/dora',
      tags: ['delivery'],
      summary: 'The five DORA metrics of a scope over a window, with tiers and optional buckets',
      request: {
        query: z.object({
          ...windowQuery,
          bucket: z.enum(['none', 'week', 'month']).default('none'),
          env: z
            .string()
            .optional()
            .meta({ description: 'Comma-separated environments counted as production.' }),
          tiers: z.enum(TIER_YEARS).optional(),
          tz: z.string().default('UTC').meta({ description: 'IANA time zone for days, weeks and months.' }),
          leadTimeFrom: z.enum(LEAD_TIME_FROM).optional(),
          incidentWindow: z.string().optional().meta({
            description: 'Incident attribution window, e.g. 12h or 2d (default the configured 24h).',
          }),
        }),
      },
      responses: {
        200: { description: 'The report', content: { 'application/json': { schema: DoraReportSchema } } },
        400: problem('Invalid request'),
        404: problem('The scope names an entity missing from the catalog'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const timezone = checkTimezone(query.tz);
      const report = await computeDora(deps.store, {
        scope: query.scope,
        ...reportWindow({ from: query.from, to: query.to, timezone }),
        bucket: query.bucket,
        timezone,
        config: config(),
        ...(query.env ? { environments: query.env.split(',') } : {}),
        ...(query.tiers ? { tiers: query.tiers } : {}),
        ...(query.leadTimeFrom ? { leadTimeFrom: query.leadTimeFrom } : {}),
        ...(query.incidentWindow
          ? { incidentWindowSeconds: incidentWindowSeconds(query.incidentWindow, 'incidentWindow') }
          : {}),
      });
      return c.json(report, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/metrics/ci',
      tags: ['delivery'],
      summary: 'CI health: pipeline success rate and duration, flaky tests',
      request: {
        query: z.object({ ...windowQuery, limit: z.coerce.number().int().min(1).max(1000).default(50) }),
      },
      responses: {
        200: { description: 'The report', content: { 'application/json': { schema: CiReportSchema } } },
        400: problem('Invalid request'),
        404: problem('The scope names an entity missing from the catalog'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const report = await computeCi(deps.store, {
        scope: query.scope,
        ...reportWindow({ from: query.from, to: query.to }),
        minSample: config().minSample,
        limit: query.limit,
      });
      return c.json(report, 200);
    },
  );

  return router;
}
