/**
 * The `delivery` section of `pave.yaml`: which environments are production, the incident
 * attribution window, the defaults of `pave metrics dora`, and the webhook secrets
 * (`PAVE_GITHUB_WEBHOOK_SECRET`, `PAVE_GITLAB_WEBHOOK_TOKEN` set the last two).
 */
import { z } from 'zod';
import { configSection, type PaveConfig } from '../core/config.js';
import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_MIN_SAMPLE } from '../core/quantile.js';

/** Environment names that are production when the source does not say (compared in lower case). */
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod'] as const;
/** How long after a deployment an incident may start and still be blamed on it, by the attribution rule. */
export const DEFAULT_INCIDENT_WINDOW = '24h';

/** Where a change's lead time starts: the commit's committer or author date, or its pull request's merge. */
export const LEAD_TIME_FROM = ['committed', 'authored', 'merged'] as const;
export type LeadTimeFrom = (typeof LEAD_TIME_FROM)[number];

/** The DORA report whose performance clusters give the tiers. */
export const TIER_YEARS = ['2023', '2024'] as const;
export type TierYear = (typeof TIER_YEARS)[number];

const duration = z.string().refine(
  (text) => {
    try {
      return parseDuration(text) > 0;
    } catch {
      return false;
    }
  },
  { message: 'must be a duration such as 24h, 12h or 2d' },
);

export const deliveryConfigSchema = z.strictObject({
  production: z
    .strictObject({
      environments: z
        .array(z.string().min(1))
        .min(1)
        .default([...DEFAULT_PRODUCTION_ENVIRONMENTS]),
    })
    .default({ environments: [...DEFAULT_PRODUCTION_ENVIRONMENTS] }),
  incidentWindow: duration.default(DEFAULT_INCIDENT_WINDOW),
  leadTimeFrom: z.enum(LEAD_TIME_FROM).default('committed'),
  tiers: z.enum(TIER_YEARS).default('2024'),
  minSample: z.number().int().min(1).default(DEFAULT_MIN_SAMPLE),
  github: z.strictObject({ webhookSecret: z.string().min(1).optional() }).default({}),
  gitlab: z.strictObject({ webhookToken: z.string().min(1).optional() }).default({}),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

/** The validated `delivery` section, defaults filled in. */
export function deliveryConfig(config: PaveConfig): DeliveryConfig {
  return configSection(config, 'delivery', deliveryConfigSchema);
}

/** The production environment names of a configuration, lower-cased and sorted. */
export function productionEnvironments(config: DeliveryConfig): string[] {
  return normaliseEnvironments(config.production.environments);
}

/** Environment names as Pave compares them: lower case, unique, sorted. */
export function normaliseEnvironments(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))].sort();
}

/** The seconds of an incident attribution window given as a flag or query parameter (`12h`, `2d`). */
export function incidentWindowSeconds(text: string, name: string): number {
  let seconds: number | undefined;
  try {
    seconds = parseDuration(text);
  } catch {
    seconds = undefined;
  }
  if (seconds === undefined || !(seconds > 0)) {
    throw new InputError(`${name} must be a duration such as 24h, 12h or 2d, not ${text}`);
  }
  return seconds;
}
