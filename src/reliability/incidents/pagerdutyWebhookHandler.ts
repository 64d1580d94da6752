/**
 * The PagerDuty v3 webhook as the HTTP layer calls it: verify, read, store. A delivery with a bad
 * or missing signature stores nothing; a redelivery of the same event changes nothing.
 */
import { hasErrors, InputError, UnauthorizedError } from '../../core/errors.js';
import type { Store } from '../../store/Store.js';
import { parseJsonInput } from './ingest/inputReader.js';
import {
  readPagerDutyWebhook,
  verifyPagerDutySignature,
  type WebhookEvent,
} from './ingest/pagerdutyWebhook.js';
import { AtomicImportRefused, type IncidentImportReport, storeIncidents } from './storeIncidents.js';

/** What a delivery did. */
export interface WebhookResult {
  event: WebhookEvent;
  incidentId?: string;
  report: Omit<IncidentImportReport, 'problems' | 'ids'>;
}

/**
 * Handles one delivery. With a secret configured, `X-PagerDuty-Signature` must carry a matching
 * `v1=` signature (401 otherwise); without one, deliveries are accepted unsigned.
 */
export async function handlePagerDutyWebhook(
  store: Store,
  delivery: { rawBody: string; signature: string | undefined; secret: string | undefined },
): Promise<WebhookResult> {
  if (
    delivery.secret !== undefined &&
    !verifyPagerDutySignature(delivery.rawBody, delivery.signature, delivery.secret)
  ) {
    throw new UnauthorizedError(
      delivery.signature
        ? 'X-PagerDuty-Signature does not match the body signed with reliability.pagerduty.webhookSecret'
        : 'X-PagerDuty-Signature is missing; PagerDuty signs every v3 webhook delivery',
    );
  }
  const batch = readPagerDutyWebhook(parseJsonInput(delivery.rawBody, 'request body'));
  if (hasErrors(batch.problems))
    throw new InputError(
      `invalid PagerDuty webhook: ${batch.problems.find((p) => p.severity === 'error')?.message}`,
      batch.problems,
    );
  const {
    problems: _problems,
    ids: _ids,
    ...report
  } = await storeIncidents(store, batch, {
    atomic: true,
    file: 'request body',
  }).catch((error: unknown) => {
    // Out of order with the stored version: a bad request like any other invalid event (400).
    if (error instanceof AtomicImportRefused) throw new InputError(error.message, error.problems);
    throw error;
  });
  const incidentId = batch.incidents[0]?.id;
  return { event: batch.event, ...(incidentId ? { incidentId } : {}), report };
}
