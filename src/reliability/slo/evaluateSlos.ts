/**
 * SLO evaluation: for each SLO at an instant, its window's attainment and remaining error budget,
 * its burn rates over 1h, 6h, 1d and 3d, the forecast time to exhaustion, and its state under the
 * SRE Workbook's example error-budget policy. The heavy lifting is two set-based queries for all
 * SLOs at once (`evaluationQueries.ts`); the figures are the pure functions of `sloFigures.ts`.
 */
import { componentsInScope, type Scope } from '../../catalog/index.js';
import { formatDuration } from '../../core/duration.js';
import type { Store } from '../../store/Store.js';
import type { SloTimeWindow } from '../model.js';
import { type BudgetIncident, budgetIncidents } from './budgetIncidents.js';
import {
  type BadUnitsInterval,
  badUnitsInIntervals,
  type EvaluationInput,
  type EvaluationSums,
  evaluationSums,
  TRAILING_WINDOWS,
  type TrailingWindow,
} from './evaluationQueries.js';
import {
  BURN_RATE_WINDOWS,
  type BurnRateWindow,
  type IncidentBurn,
  type PolicyState,
  type SloStatus,
} from './model.js';
import {
  attainment,
  burnRate,
  errorBudgetRemaining,
  exhaustionForecast,
  incidentBudgetBurn,
  POLICY_WINDOW_DAYS,
  POSTMORTEM_BUDGET_SHARE,
  type WindowSums,
} from './sloFigures.js';
import { type SloRow, sloRows } from './sloQueries.js';
import { windowBounds } from './sloWindow.js';

/** The burn-rate window the exhaustion forecast extrapolates. */
export const FORECAST_BURN_RATE_WINDOW: BurnRateWindow = '1d';

/** The SRE Workbook example policy's exceptions to a release freeze. */
export const RELEASE_FREEZE_EXCEPTIONS = ['P0', 'security'];

export interface EvaluateOptions {
  /** The instant to evaluate at; now by default. */
  at?: Date;
  /** Only the SLOs of the components in scope. */
  scope?: Scope;
  /** Only these SLO ids. */
  ids?: readonly string[];
}

/** Evaluates every registered SLO in scope, sorted by id. */
export async function evaluateSlos(store: Store, options: EvaluateOptions = {}): Promise<SloStatus[]> {
  const at = options.at ?? new Date();
  const components = options.scope ? await componentsInScope(store, options.scope) : undefined;
  const rows = await sloRows(store, {
    ...(components ? { components } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
  });
  if (rows.length === 0) return [];

  const bounds = rows.map((row) => windowBounds(rowWindow(row), at));
  const inputs: EvaluationInput[] = rows.map((row, index) => ({
    sloKey: row.slo_key,
    method: row.budgeting_method,
    windowFrom: bounds[index]!.from,
    ...(row.time_slice_seconds !== null ? { sliceSeconds: row.time_slice_seconds } : {}),
    ...(row.time_slice_target !== null ? { sliceTarget: row.time_slice_target } : {}),
  }));
  const sums = await evaluationSums(store, inputs, at, { allSlos: !components && !options.ids });

  // The policy window's incidents, and the bad units each spent on each SLO of its services.
  const policyFrom = new Date(at.getTime() - TRAILING_WINDOWS['28d'] * 1000);
  const incidents = await budgetIncidents(store, [...new Set(rows.map((row) => row.component))], {
    from: policyFrom,
    to: at,
  });
  const pairs: { row: SloRow; incident: BudgetIncident; interval: BadUnitsInterval }[] = [];
  for (const incident of incidents ?? []) {
    for (const row of rows) {
      if (!incident.services.includes(row.component)) continue;
      const from = incident.startedAt > policyFrom ? incident.startedAt : policyFrom;
      const to = incident.resolvedAt && incident.resolvedAt < at ? incident.resolvedAt : at;
      pairs.push({ row, incident, interval: { sloKey: row.slo_key, from, to } });
    }
  }
  const incidentBad = await badUnitsInIntervals(
    store,
    inputs,
    pairs.map((pair) => pair.interval),
    at,
  );

  return rows.map((row, index) => {
    const incidentBurns = pairs.flatMap((pair, i) =>
      pair.row === row ? [{ incident: pair.incident, bad: incidentBad[i]! }] : [],
    );
    return sloStatus(
      row,
      bounds[index]!,
      sums.get(row.slo_key),
      at,
      incidents === undefined ? undefined : incidentBurns,
    );
  });
}

/** The SLO's window as the spec model writes it. */
function rowWindow(row: SloRow): SloTimeWindow {
  return row.window_type === 'calendar'
    ? {
        type: 'calendar',
        duration: row.window_duration,
        seconds: row.window_seconds,
        startTime: row.calendar_start ?? '',
        timeZone: row.calendar_time_zone ?? 'UTC',
      }
    : { type: 'rolling', duration: row.window_duration, seconds: row.window_seconds };
}

const EMPTY: WindowSums = { units: 0, bad: 0 };

/** Rounds to 6 decimal places: figures without float noise (99.9 rather than 99.90000000000001). */
function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 1e6) / 1e6;
}

function sloStatus(
  row: SloRow,
  bounds: ReturnType<typeof windowBounds>,
  sums: EvaluationSums | undefined,
  at: Date,
  incidents: { incident: BudgetIncident; bad: number }[] | undefined,
): SloStatus {
  const objective = row.objective;
  const window = sums?.window ?? EMPTY;
  const trailing = (name: keyof typeof TRAILING_WINDOWS) => sums?.trailing[name] ?? EMPTY;
  const remaining = errorBudgetRemaining(window, objective);
  const burnRates = Object.fromEntries(
    BURN_RATE_WINDOWS.map((name) => [name, round(burnRate(trailing(name), objective))]),
  ) as SloStatus['burnRates'];
  const forecast = exhaustionForecast({
    remainingPercent: remaining,
    burnRate: burnRate(trailing(FORECAST_BURN_RATE_WINDOW), objective),
    windowSeconds: bounds.lengthSeconds,
    at,
    ...(row.window_type === 'calendar' ? { periodEnd: bounds.end } : {}),
  });

  const policySums = trailing('28d');
  const policyRemaining = errorBudgetRemaining(policySums, objective);
  const releaseFreeze = policyRemaining !== undefined && policyRemaining <= 0;
  const burns: IncidentBurn[] = (incidents ?? []).map(({ incident, bad }) => {
    const burned = incidentBudgetBurn(bad, policySums, objective);
    return {
      id: incident.id,
      title: incident.title,
      severity: incident.severity ?? null,
      startedAt: incident.startedAt.toISOString(),
      resolvedAt: incident.resolvedAt ? incident.resolvedAt.toISOString() : null,
      budgetBurned: round(burned),
      postmortemRequired: burned !== undefined && burned > 100 * POSTMORTEM_BUDGET_SHARE,
      postmortem: incident.postmortemStatus ?? null,
      p0ActionItems: incident.p0ActionItems,
    };
  });
  // The requirement is met once the postmortem is complete and holds a P0 action item.
  const postmortemRequired = burns.some(
    (burn) => burn.postmortemRequired && !(burn.postmortem === 'complete' && burn.p0ActionItems > 0),
  );
  const hasData = window.units > 0 || policySums.units > 0;
  const policyState: PolicyState = releaseFreeze
    ? 'release_freeze'
    : postmortemRequired
      ? 'postmortem_required'
      : hasData
        ? 'ok'
        : 'no_data';

  return {
    slo: row.slo_id,
    name: row.name,
    displayName: row.display_name,
    service: row.service,
    component: row.component,
    owner: row.owner_ref,
    objective,
    budgetingMethod: row.budgeting_method,
    window: {
      type: row.window_type,
      duration: row.window_duration,
      from: bounds.from.toISOString(),
      to: bounds.to.toISOString(),
      end: bounds.end.toISOString(),
    },
    status: window.units > 0 ? 'ok' : 'no_data',
    sample: {
      unit: row.budgeting_method === 'Occurrences' ? 'events' : 'slices',
      total: round(window.units) ?? 0,
      bad: round(window.bad) ?? 0,
      firstDataEnd: sums?.firstEnd ? sums.firstEnd.toISOString() : null,
      lastDataEnd: sums?.lastEnd ? sums.lastEnd.toISOString() : null,
    },
    attainment: round(attainment(window)),
    errorBudgetRemaining: round(remaining),
    burnRates,
    exhaustionForecast: {
      status: forecast.status,
      at: forecast.at ? forecast.at.toISOString() : null,
      inSeconds: forecast.inSeconds === undefined ? null : Math.round(forecast.inSeconds),
      burnRateWindow: FORECAST_BURN_RATE_WINDOW,
    },
    policyState,
    policy: {
      windowDays: POLICY_WINDOW_DAYS,
      errorBudgetRemaining: round(policyRemaining),
      releaseFreeze,
      exceptions: releaseFreeze ? RELEASE_FREEZE_EXCEPTIONS : [],
      postmortemRequired,
      incidents: burns,
      incidentData: incidents === undefined ? 'unavailable' : 'available',
    },
    warnings: sloWarnings(row, sums, at, incidents === undefined),
  };
}

function sloWarnings(
  row: SloRow,
  sums: EvaluationSums | undefined,
  at: Date,
  noIncidents: boolean,
): string[] {
  const warnings: string[] = [];
  if (row.objective >= 100) {
    warnings.push('an objective of 100% leaves no error budget: budget and burn rates are not defined');
  }
  // A burn rate is coarse when points counted in its window began well before it (long points).
  for (const name of BURN_RATE_WINDOWS) {
    const start = sums?.earliestStart[name as TrailingWindow];
    const reach = start ? (at.getTime() - start.getTime()) / 1000 - TRAILING_WINDOWS[name] : 0;
    if (reach > TRAILING_WINDOWS[name] * 0.1) {
      warnings.push(
        `the ${name} burn rate counts SLI points that began ${formatDuration(reach)} before its window: the data there is too coarse for it`,
      );
    }
  }
  const longest = row.max_point_seconds ?? 0;
  const shortest = TRAILING_WINDOWS['1h'];
  if (row.time_slice_seconds !== null && longest > row.time_slice_seconds) {
    warnings.push(
      `SLI points are up to ${formatDuration(longest)} long, longer than the ${formatDuration(row.time_slice_seconds)} time slice: each counts in the slice it starts in`,
    );
  }
  if (sums?.lastEnd && at.getTime() - sums.lastEnd.getTime() > shortest * 1000) {
    warnings.push(`no SLI data after ${sums.lastEnd.toISOString()}: recent burn rates are missing`);
  }
  if (!sums) warnings.push('no SLI data in the window or the last four weeks');
  if (noIncidents)
    warnings.push('no incident data in this store: the postmortem rule of the policy was not checked');
  return warnings;
}
