/**
 * The HTTP app: health endpoints, the OpenAPI document, each domain's routes under `/api/v1`, a
 * body-size limit and token check, and every error as an RFC 9457 problem document.
 */
import { timingSafeEqual } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { PaveConfig } from '../core/config.js';
import type { Domain } from '../core/domain.js';
import { PaveError, type Problem, toProblemJson, UnauthorizedError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { homePage } from './homePage.js';

export interface AppOptions {
  store: Store;
  config: PaveConfig;
  domains: readonly Domain[];
  version: string;
  /** Where unexpected errors are logged; stderr by default. */
  log?: (message: string) => void;
}

const PROBLEM_TYPE_BASE = 'https://pave.dev/problems/';

/** An RFC 9457 problem document response. */
export function problemResponse(
  c: Context,
  status: number,
  code: string,
  title: string,
  detail: string,
  problems: readonly Problem[] = [],
): Response {
  const body = {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title,
    status,
    detail,
    instance: c.req.path,
    ...(problems.length > 0 ? { problems: problems.map(toProblemJson) } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  // RFC 9110 §15.5.2: a 401 must say which authentication scheme would do.
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="pave"';
  // A 503 (database unreachable or out of memory for the moment) is worth retrying soon.
  if (status === 503) headers['retry-after'] = '5';
  return new Response(JSON.stringify(body), { status, headers });
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Compares two secrets in constant time. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Requires `Authorization: Bearer <token>` matching a configured token, when any are configured. */
export function tokenMiddleware(tokens: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.length > 0) {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match || !tokens.some((token) => sameSecret(match[1]!.trim(), token))) {
        throw new UnauthorizedError(
          match
            ? 'the API token is not valid'
            : 'this endpoint needs an API token: Authorization: Bearer <token>',
        );
      }
    }
    await next();
  };
}

export function createApp(options: AppOptions): OpenAPIHono {
  const { store, config } = options;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const app = new OpenAPIHono();
  const requireToken = tokenMiddleware(config.api.tokens);

  app.onError((error, c) => {
    if (error instanceof PaveError) {
      return problemResponse(
        c,
        error.status,
        error.code,
        TITLES[error.status] ?? 'Error',
        error.message,
        error.problems,
      );
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return problemResponse(
        c,
        status,
        `http-${status}`,
        TITLES[status] ?? 'Error',
        error.message || TITLES[status] || 'Error',
      );
    }
    if (error instanceof SyntaxError) {
      return problemResponse(
        c,
        400,
        'malformed-json',
        'Invalid request',
        `malformed JSON body: ${error.message}`,
      );
    }
    log(
      `error: ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return problemResponse(
      c,
      500,
      'internal',
      'Internal server error',
      'an unexpected error occurred; see the server log',
    );
  });
  app.notFound((c) =>
    problemResponse(c, 404, 'not-found', 'Not found', `no route for ${c.req.method} ${c.req.path}`),
  );

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.server.bodyLimitBytes,
      onError: (c) =>
        problemResponse(
          c,
          413,
          'too-large',
          'Payload too large',
          `the request body is over the ${config.server.bodyLimitBytes}-byte limit (server.bodyLimitBytes)`,
        ),
    }),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['health'],
      summary: 'The process is up',
      responses: {
        200: {
          description: 'Up',
          content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
        },
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['health'],
      summary: 'The store answers: ready for traffic',
      responses: {
        200: {
          description: 'Ready',
          content: {
            'application/json': {
              schema: z.object({ status: z.literal('ready'), store: z.enum(['duckdb', 'postgres']) }),
            },
          },
        },
        503: { description: 'The store does not answer' },
      },
    }),
    async (c) => {
      try {
        await store.ping();
        return c.json({ status: 'ready' as const, store: store.engine }, 200);
      } catch (error) {
        return problemResponse(
          c,
          503,
          'not-ready',
          'Service unavailable',
          `the store does not answer: ${String(error)}`,
        );
      }
    },
  );

  for (const domain of options.domains) {
    if (domain.routes) app.route('/api/v1', domain.routes({ store, config, requireToken }));
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Pave API',
      version: options.version,
      description: 'The internal developer platform control plane: catalog, delivery, reliability and more.',
    },
    servers: [{ url: '/' }],
  });

  app.get('/', async (c) => c.html(await homePage(store, c.req.query('q'))));
  return app;
}
