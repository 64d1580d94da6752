/**
 * What a domain's `routes.ts` needs to declare HTTP routes: a router whose request validation
 * failures become problem documents, and the dependencies the server hands to each domain.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Store } from '../store/Store.js';
import type { PaveConfig } from './config.js';
import { InputError, jsonPointer, type Problem } from './errors.js';

/** What the server gives every domain's routes. */
export interface RouteDeps {
  store: Store;
  config: PaveConfig;
  /** Rejects the request with 401 unless it carries a configured API token (when tokens are set). */
  requireToken: MiddlewareHandler;
}

/** Builds a domain's routes; mounted by `server/` under `/api/v1`. */
export type RoutesFactory = (deps: RouteDeps) => OpenAPIHono;

/**
 * A router for a domain's routes. A request that fails its zod schema is answered with a 400
 * problem document listing each issue with a JSON pointer into the part that failed.
 */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      const target = (result as { target?: string }).target ?? 'request';
      const problems: Problem[] = result.error.issues.map((issue) => ({
        severity: 'error',
        message: issue.message,
        location: { file: target, pointer: jsonPointer(issue.path as (string | number)[]) },
      }));
      const first = problems[0];
      const where = first?.location?.pointer ? ` at ${target}${first.location.pointer}` : ` in ${target}`;
      throw new InputError(`invalid ${target}${where}: ${first?.message ?? 'invalid'}`, problems);
    },
  });
}
