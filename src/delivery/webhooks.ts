/**
 * GitHub and GitLab webhook deliveries: authenticate, parse, store. The body is taken as the raw
 * bytes GitHub signed: the signature is checked on them before anything is parsed, and a delivery
 * that fails the check is refused with nothing stored.
 */
import { UnauthorizedError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { parseGitHubWebhook, verifyGitHubSignature } from './ingest/github.js';
import { parseGitLabWebhook, verifyGitLabToken } from './ingest/gitlab.js';
import { type IngestReport, ingestResult } from './ingestRecords.js';

/** A GitHub delivery as the HTTP layer receives it. */
export interface GitHubWebhookRequest {
  /** `X-GitHub-Event`. */
  event: string | undefined;
  /** `X-GitHub-Delivery`. */
  deliveryId: string | undefined;
  /** `X-Hub-Signature-256`. */
  signature: string | undefined;
  body: Uint8Array;
}

/** Verifies (when a secret is configured), parses and stores one GitHub delivery. */
export async function ingestGitHubWebhook(
  store: Store,
  request: GitHubWebhookRequest,
  options: { secret?: string; receivedAt?: Date } = {},
): Promise<IngestReport> {
  if (
    options.secret !== undefined &&
    !verifyGitHubSignature(request.body, request.signature, options.secret)
  ) {
    throw new UnauthorizedError(
      request.signature === undefined
        ? 'the X-Hub-Signature-256 header is missing; this endpoint has a webhook secret configured'
        : 'the X-Hub-Signature-256 signature does not match the body and the configured webhook secret',
    );
  }
  const result = parseGitHubWebhook(
    {
      event: request.event ?? '',
      ...(request.deliveryId !== undefined ? { deliveryId: request.deliveryId } : {}),
      body: request.body,
    },
    options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt },
  );
  return ingestResult(
    store,
    result,
    options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt },
  );
}

/** A GitLab delivery as the HTTP layer receives it. */
export interface GitLabWebhookRequest {
  /** `X-Gitlab-Event`. */
  event: string | undefined;
  /** `Idempotency-Key`, else `X-Gitlab-Event-UUID`. */
  deliveryId: string | undefined;
  /** `X-Gitlab-Token`. */
  token: string | undefined;
  body: Uint8Array;
}

/** Checks the token (when one is configured), parses and stores one GitLab delivery. */
export async function ingestGitLabWebhook(
  store: Store,
  request: GitLabWebhookRequest,
  options: { token?: string; receivedAt?: Date } = {},
): Promise<IngestReport> {
  if (options.token !== undefined && !verifyGitLabToken(request.token, options.token)) {
    throw new UnauthorizedError(
      request.token === undefined
        ? 'the X-Gitlab-Token header is missing; this endpoint has a webhook token configured'
        : 'the X-Gitlab-Token header does not match the configured webhook token',
    );
  }
  const result = parseGitLabWebhook(
    {
      ...(request.event !== undefined ? { event: request.event } : {}),
      ...(request.deliveryId !== undefined ? { deliveryId: request.deliveryId } : {}),
      body: request.body,
    },
    options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt },
  );
  return ingestResult(
    store,
    result,
    options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt },
  );
}
