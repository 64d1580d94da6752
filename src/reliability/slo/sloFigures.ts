/**
 * The SLO figures, as pure functions of a window's sums: every figure `pave slo status` and the API
 * show comes from here (definitions, units and sources in docs/slo-evaluation.md).
 *
 * A window's sums are `units` (events for Occurrences, time slices with data for the Timeslices
 * methods) and `bad` (bad events, bad slices, or the sum of each slice's error ratio for
 * RatioTimeslices). One formula then serves all three budgeting methods.
 */

/** What a window holds: its units and how many of them are bad. */
export interface WindowSums {
  units: number;
  bad: number;
}

/** The error budget as a ratio, `1 - objective`: 0.001 for 99.9%. */
export function errorBudget(objectivePercent: number): number {
  return 1 - objectivePercent / 100;
}

/** `bad / units`, or `undefined` when the window has no data (zero traffic is no data, not a failure). */
export function errorRatio(sums: WindowSums): number | undefined {
  return sums.units > 0 ? sums.bad / sums.units : undefined;
}

/** "slo-attainment": percent of good units in the window. */
export function attainment(sums: WindowSums): number | undefined {
  const ratio = errorRatio(sums);
  return ratio === undefined ? undefined : 100 * (1 - ratio);
}

/**
 * "slo-burn-rate": how fast the window spends the budget, relative to spending exactly all of it
 * over the SLO's window (SRE Workbook, "Alerting on SLOs": burn rate 1). `undefined` without data
 * or with an objective of 100% (no budget to burn).
 */
export function burnRate(sums: WindowSums, objectivePercent: number): number | undefined {
  const ratio = errorRatio(sums);
  const budget = errorBudget(objectivePercent);
  return ratio === undefined || budget <= 0 ? undefined : ratio / budget;
}

/**
 * "slo-error-budget-remaining": percent of the window's budget not spent, `100 × (1 - burn rate
 * over the window)`. 100 when nothing bad happened in the window, whatever happened before it; 0
 * exhausted; negative when overspent (kept, not clamped: it says by how much).
 */
export function errorBudgetRemaining(sums: WindowSums, objectivePercent: number): number | undefined {
  const rate = burnRate(sums, objectivePercent);
  return rate === undefined ? undefined : 100 * (1 - rate);
}

/** "slo-exhaustion-forecast": when the budget runs out if the current burn rate holds. */
export interface ExhaustionForecast {
  status: 'exhausted' | 'forecast' | 'not_exhausting' | 'no_data';
  at: Date | undefined;
  inSeconds: number | undefined;
}

/**
 * At burn rate `b` the whole budget lasts `window / b` (burn rate 1 spends it in exactly one window),
 * so the `remaining` percent lasts `remaining/100 × window / b`. A calendar window's budget is
 * renewed at the period's end: a forecast beyond it is `not_exhausting`.
 */
export function exhaustionForecast(input: {
  remainingPercent: number | undefined;
  burnRate: number | undefined;
  windowSeconds: number;
  at: Date;
  /** The calendar period's end; undefined for rolling windows. */
  periodEnd?: Date;
}): ExhaustionForecast {
  const { remainingPercent, burnRate: rate } = input;
  if (remainingPercent === undefined) return { status: 'no_data', at: undefined, inSeconds: undefined };
  if (remainingPercent <= 0) return { status: 'exhausted', at: undefined, inSeconds: 0 };
  if (rate === undefined) return { status: 'no_data', at: undefined, inSeconds: undefined };
  if (rate <= 0) return { status: 'not_exhausting', at: undefined, inSeconds: undefined };
  const seconds = ((remainingPercent / 100) * input.windowSeconds) / rate;
  const at = new Date(input.at.getTime() + seconds * 1000);
  if (input.periodEnd && at >= input.periodEnd)
    return { status: 'not_exhausting', at: undefined, inSeconds: undefined };
  return { status: 'forecast', at, inSeconds: seconds };
}

/** The SRE Workbook example policy's window: four weeks. */
export const POLICY_WINDOW_DAYS = 28;
/** A single incident spending more than this share of the four-week budget needs a postmortem. */
export const POSTMORTEM_BUDGET_SHARE = 0.2;

/** "slo-incident-budget-burn": percent of the policy window's budget that an incident's bad units spent. */
export function incidentBudgetBurn(
  incidentBad: number,
  policySums: WindowSums,
  objectivePercent: number,
): number | undefined {
  const budgetUnits = errorBudget(objectivePercent) * policySums.units;
  return budgetUnits > 0 ? (100 * incidentBad) / budgetUnits : undefined;
}
