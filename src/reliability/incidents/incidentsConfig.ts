/**
 * The incident settings of `pave.yaml` (`reliability.incidents`, `reliability.pagerduty`), with the
 * defaults docs/incidents.md documents.
 */
import { z } from 'zod';
import { configSection, type PaveConfig } from '../../core/config.js';
import { DEFAULT_MIN_SAMPLE } from '../../core/quantile.js';
import { SeveritySchema } from './model.js';

export const incidentsConfigSchema = z.strictObject({
  /**
   * Groups whose services are the platform's: an incident affecting one of them is platform-caused
   * (unless the incident says otherwise). Child groups are included.
   */
  platformOwners: z.array(z.string().min(1)).default(['group:default/platform']),
  /** Cause categories that make an incident platform-caused. */
  platformCauseCategories: z.array(z.string().min(1)).default(['platform']),
  /** Severities whose postmortems are tracked for completion. */
  postmortemSeverities: z.array(SeveritySchema).default(['SEV1', 'SEV2']),
  /** Business days (Monday-Friday) after resolution by which the postmortem is due. */
  postmortemBusinessDays: z.number().int().min(0).max(60).default(5),
  /** IANA time zone in which business days are counted. */
  postmortemTimezone: z.string().default('UTC'),
  /** An incident recurs when the same cause hit the same service within this many days before. */
  recurrenceWindowDays: z.number().int().min(1).max(3650).default(90),
  /** Length of an on-call shift in hours, for pages per shift (SRE book: 12-hour shifts). */
  shiftHours: z.number().int().min(1).max(168).default(12),
  /** More incidents than this in one shift overloads it (SRE book: at most 2 per 12-hour shift). */
  shiftIncidentLimit: z.number().int().min(1).default(2),
  /** Below this sample a quantile or rate is `null` with `insufficient_data`. */
  minSample: z.number().int().min(1).default(DEFAULT_MIN_SAMPLE),
});
export type IncidentsConfig = z.infer<typeof incidentsConfigSchema>;

const reliabilitySchema = z.looseObject({
  incidents: incidentsConfigSchema.default(incidentsConfigSchema.parse({})),
  pagerduty: z.looseObject({ webhookSecret: z.string().min(1).optional() }).default({}),
});

/** The incident settings, defaults filled in. */
export function incidentsConfig(config: PaveConfig): IncidentsConfig {
  return configSection(config, 'reliability', reliabilitySchema).incidents;
}

/** The PagerDuty webhook secret (`reliability.pagerduty.webhookSecret`, `PAVE_PAGERDUTY_WEBHOOK_SECRET`). */
export function pagerDutyWebhookSecret(config: PaveConfig): string | undefined {
  return configSection(config, 'reliability', reliabilitySchema).pagerduty.webhookSecret;
}

/** The defaults, for tests and callers without a configuration. */
export function defaultIncidentsConfig(): IncidentsConfig {
  return incidentsConfigSchema.parse({});
}
