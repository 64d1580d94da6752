/**
 * DORA performance tiers (elite, high, medium, low) per metric, from the software delivery
 * performance clusters of the Accelerate State of DevOps reports 2023 and 2024 (dora.dev/research).
 *
 * The reports describe clusters, not thresholds: each cluster by a band per metric ("between once
 * per day and once per week", "less than one day") or, for the change failure rate, by a typical
 * value. Pave turns them into thresholds one way for every metric: a value gets the best tier whose
 * band it reaches, a typical value being the upper bound of its tier; where a worse cluster's band
 * repeats or lies inside a better one (2023 medium and low deploy alike; in 2024 medium's 10% change
 * failure rate lies below high's 20% and both recover in less than a day) the better tier takes
 * it, so that tier is unreachable for that metric; a value beyond every band is low. The thresholds,
 * written out in docs/metrics.md, are in `TIER_THRESHOLDS`.
 */
import type { TierYear } from './deliveryConfig.js';

export type Tier = 'elite' | 'high' | 'medium' | 'low';

const DAY = 86_400;
const WEEK = 7 * DAY;
/** A month as the reports mean it: 365.25 / 12 days. */
const MONTH = (365.25 / 12) * DAY;
/** Deployments per week equal to once a month. */
const MONTHLY_PER_WEEK = WEEK / MONTH;

/** Thresholds of one report. Missing tiers are unreachable for that metric. */
export interface TierThresholds {
  /** Minimum deployments per week per deploying service, by tier (elite, high, medium). */
  deploymentsPerWeek: Partial<Record<Exclude<Tier, 'low'>, number>>;
  /** Maximum median lead time, seconds (elite is strictly less). */
  leadTimeSeconds: Partial<Record<Exclude<Tier, 'low'>, number>>;
  /** Maximum change failure rate, 0..1 (inclusive). */
  changeFailureRate: Partial<Record<Exclude<Tier, 'low'>, number>>;
  /** Maximum median recovery time, seconds (elite and high strictly less). */
  recoverySeconds: Partial<Record<Exclude<Tier, 'low'>, number>>;
}

export const TIER_THRESHOLDS: Record<TierYear, TierThresholds> = {
  // 2023 report, "Software delivery performance" clusters: elite 18%, high 31%, medium 33%, low 17%.
  '2023': {
    // On demand / once per day to once per week / once per week to once per month / (low: the same as medium).
    deploymentsPerWeek: { elite: 7, high: 1, medium: MONTHLY_PER_WEEK },
    // < 1 day / 1 day to 1 week / 1 week to 1 month / (low: the same as medium).
    leadTimeSeconds: { elite: DAY, high: WEEK, medium: MONTH },
    // 5% / 10% / 15% / 64%.
    changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
    // < 1 hour / < 1 day / 1 day to 1 week / 1 month to 6 months.
    recoverySeconds: { elite: 3600, high: DAY, medium: WEEK },
  },
  // 2024 report, clusters: elite 19%, high 22%, medium 35%, low 25%.
  '2024': {
    // On demand / once per day to once per week / once per week to once per month / once per month to once every 6 months.
    deploymentsPerWeek: { elite: 7, high: 1, medium: MONTHLY_PER_WEEK },
    // < 1 day / 1 day to 1 week / 1 week to 1 month / 1 month to 6 months.
    leadTimeSeconds: { elite: DAY, high: WEEK, medium: MONTH },
    // 5% / 20% / 10% (inside high's band: unreachable) / 40%.
    changeFailureRate: { elite: 0.05, high: 0.2 },
    // < 1 hour / < 1 day / < 1 day (the same as high: unreachable) / 1 week to 1 month.
    recoverySeconds: { elite: 3600, high: DAY },
  },
};

const ORDER = ['elite', 'high', 'medium'] as const;

/** The tier of a deployment frequency (deployments per week per deploying service). */
export function deploymentFrequencyTier(perWeek: number | null, year: TierYear): Tier | null {
  if (perWeek === null) return null;
  const t = TIER_THRESHOLDS[year].deploymentsPerWeek;
  for (const tier of ORDER) {
    const min = t[tier];
    if (min !== undefined && perWeek >= min) return tier;
  }
  return 'low';
}

/** The tier of a median lead time in seconds. */
export function leadTimeTier(p50Seconds: number | null, year: TierYear): Tier | null {
  if (p50Seconds === null) return null;
  const t = TIER_THRESHOLDS[year].leadTimeSeconds;
  for (const tier of ORDER) {
    const max = t[tier];
    if (max === undefined) continue;
    if (tier === 'elite' ? p50Seconds < max : p50Seconds <= max) return tier;
  }
  return 'low';
}

/** The tier of a change failure rate (0..1). */
export function changeFailureRateTier(rate: number | null, year: TierYear): Tier | null {
  if (rate === null) return null;
  const t = TIER_THRESHOLDS[year].changeFailureRate;
  for (const tier of ORDER) {
    const max = t[tier];
    if (max !== undefined && rate <= max) return tier;
  }
  return 'low';
}

/** The tier of a median failed-deployment recovery time in seconds. */
export function recoveryTimeTier(p50Seconds: number | null, year: TierYear): Tier | null {
  if (p50Seconds === null) return null;
  const t = TIER_THRESHOLDS[year].recoverySeconds;
  for (const tier of ORDER) {
    const max = t[tier];
    if (max === undefined) continue;
    if (tier === 'medium' ? p50Seconds <= max : p50Seconds < max) return tier;
  }
  return 'low';
}
