/**
 * The set-based SQL of SLO evaluation: one query sums every SLO's units and bad units over its
 * window and over the burn-rate and policy windows, another sums the bad units inside incidents.
 * One SQL text for DuckDB and PostgreSQL; each SLO's parameters travel as parallel arrays.
 *
 * Units: an Occurrences SLO's units are its events (each point's `total`, bad `total - good`),
 * counted in a window when the point ended inside it: `from < end_at <= at`. Data after `at` never
 * counts, nor data that ended before the window (the window starts at 100% budget whatever
 * happened before it). A Timeslices or RatioTimeslices SLO's units are its time slices:
 * slices of `slice_s` seconds aligned to the Unix epoch, each holding the points that start in it,
 * counted when the slice has ended (`slice end <= at`) and had traffic; a Timeslices slice is bad
 * when `good < timeSliceTarget × total`, a RatioTimeslices slice counts its error ratio.
 */
import type { Queryable } from '../../store/Store.js';
import type { WindowSums } from './sloFigures.js';

/** What one SLO's evaluation needs of it. */
export interface EvaluationInput {
  sloKey: number;
  method: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  windowFrom: Date;
  /** Slice length in seconds (Timeslices methods). */
  sliceSeconds?: number;
  sliceTarget?: number;
}

/** The trailing windows every SLO is also summed over, by name, in seconds. */
export const TRAILING_WINDOWS = {
  '1h': 3600,
  '6h': 6 * 3600,
  '1d': 86_400,
  '3d': 3 * 86_400,
  '28d': 28 * 86_400,
} as const;
export type TrailingWindow = keyof typeof TRAILING_WINDOWS;

/** One SLO's sums. */
export interface EvaluationSums {
  window: WindowSums;
  trailing: Record<TrailingWindow, WindowSums>;
  /** The end of the first and last unit counted in the SLO window; undefined without data. */
  firstEnd: Date | undefined;
  lastEnd: Date | undefined;
  /** Per burn-rate window, the earliest start of a unit counted in it: before the window, data is coarse. */
  earliestStart: Partial<Record<TrailingWindow, Date>>;
}

/** The burn-rate windows whose earliest unit start is reported. */
const COARSE_CHECKED: readonly TrailingWindow[] = ['1h', '6h', '1d', '3d'];

const TRAILING_NAMES = Object.keys(TRAILING_WINDOWS) as TrailingWindow[];

/**
 * The CTE `units(slo_key, window_from, unit_start, unit_end, bad, units)`: the SLOs' parameters
 * are `$1..$7` (`unitsParams`), `$8` the evaluation instant, `$9` the lowest trailing bound (Unix
 * seconds), `$10` the earliest `end_at` any SLO needs (a plain bound that lets the engines prune
 * storage). `unit_start` is a point's start (a slice's earliest point start). Each budgeting family
 * has its own parameter arrays, so the planner knows how many SLOs each branch joins (a filter on
 * a method would make PostgreSQL guess one and loop over an index); a family no SLO uses is left
 * out (its branch would scan the points again).
 */
function unitsCte(inputs: readonly EvaluationInput[]): string {
  const occurrences = inputs.some((input) => input.method === 'Occurrences');
  const slices = inputs.some((input) => input.method !== 'Occurrences');
  const branches = [
    ...(occurrences
      ? [
          `SELECT p.slo_key, b.window_from, p.start_at AS unit_start, p.end_at AS unit_end, p.total - p.good AS bad, p.total AS units
    FROM slo_sli_points p JOIN occurrence_bounds b ON b.slo_key = p.slo_key
    WHERE p.end_at <= $8 AND p.end_at > $10 AND p.end_at > b.lower_bound`,
        ]
      : []),
    ...(slices
      ? [
          `SELECT slo_key, window_from, unit_start, unit_end,
           CASE WHEN method = 'Timeslices' THEN (CASE WHEN good >= slice_target * total THEN 0.0 ELSE 1.0 END)
                ELSE (total - good) / total END AS bad,
           1.0 AS units
    FROM (
      SELECT p.slo_key, b.window_from, b.method, b.slice_target,
             to_timestamp((floor(CAST(extract(epoch FROM p.start_at) AS FLOAT8) / b.slice_s) + 1) * b.slice_s) AS unit_end,
             min(p.start_at) AS unit_start, sum(p.good) AS good, sum(p.total) AS total
      FROM slo_sli_points p JOIN slice_bounds b ON b.slo_key = p.slo_key
      WHERE p.end_at <= $8 AND p.end_at > $10 AND p.end_at > b.lower_bound
      GROUP BY 1, 2, 3, 4, 5
    ) slices
    WHERE total > 0 AND unit_end <= $8`,
        ]
      : []),
  ];
  // OFFSET 0 keeps PostgreSQL from pulling the bounds' expressions up into the join, where they
  // would be computed once per point instead of once per SLO (a CTE scan would forbid parallelism).
  return `occurrence_bounds AS (
    SELECT slo_key, to_timestamp(CAST(from_s AS FLOAT8)) AS window_from,
           to_timestamp(least(CAST(from_s AS FLOAT8), $9)) AS lower_bound
    FROM (SELECT unnest($1::INTEGER[]) AS slo_key, unnest($2::TEXT[]) AS from_s) raw
    OFFSET 0
  ),
  slice_bounds AS (
    SELECT slo_key, method, CAST(slice_s AS FLOAT8) AS slice_s, CAST(slice_target AS FLOAT8) AS slice_target,
           to_timestamp(CAST(from_s AS FLOAT8)) AS window_from,
           to_timestamp(least(CAST(from_s AS FLOAT8), $9) - CAST(slice_s AS FLOAT8)) AS lower_bound
    FROM (SELECT unnest($3::INTEGER[]) AS slo_key, unnest($4::TEXT[]) AS from_s, unnest($5::TEXT[]) AS method,
                 unnest($6::TEXT[]) AS slice_s, unnest($7::TEXT[]) AS slice_target) raw
    OFFSET 0
  ),
  units AS (
    ${branches.join('\n    UNION ALL\n    ')}
  )`;
}

/** The earliest `end_at` the units of `inputs` need, given the lowest bound of the trailing windows. */
function floorOf(inputs: readonly EvaluationInput[], lowestSeconds: number): Date {
  let floor = Number.POSITIVE_INFINITY;
  for (const input of inputs) {
    const slice = input.method === 'Occurrences' ? 0 : (input.sliceSeconds ?? 60);
    floor = Math.min(floor, Math.min(input.windowFrom.getTime() / 1000, lowestSeconds) - slice);
  }
  return new Date(floor * 1000);
}

/**
 * Floats travel as text: the DuckDB client types a list by its first number, so `[0, 0.9]` would
 * fail as a list of integers. `String(x)` round-trips a double exactly.
 */
export function floatTexts(values: readonly number[]): string[] {
  return values.map(String);
}

/** `$1..$10` of `unitsCte`. */
function unitsParams(inputs: readonly EvaluationInput[], at: Date, lowestSeconds: number) {
  // An empty list has no type in DuckDB: an unused family gets one SLO key that matches nothing.
  const none: EvaluationInput = { sloKey: -1, method: 'Timeslices', windowFrom: at };
  const family = (test: (input: EvaluationInput) => boolean) => {
    const members = inputs.filter(test);
    return members.length > 0 ? members : [none];
  };
  const occurrences = family((input) => input.method === 'Occurrences');
  const slices = family((input) => input.method !== 'Occurrences');
  const seconds = (date: Date) => date.getTime() / 1000;
  return [
    occurrences.map((input) => input.sloKey),
    floatTexts(occurrences.map((input) => seconds(input.windowFrom))),
    slices.map((input) => input.sloKey),
    floatTexts(slices.map((input) => seconds(input.windowFrom))),
    slices.map((input) => input.method),
    floatTexts(slices.map((input) => input.sliceSeconds ?? 60)),
    floatTexts(slices.map((input) => input.sliceTarget ?? 0)),
    at,
    lowestSeconds,
    floorOf(inputs, lowestSeconds),
  ] as const;
}

/** Sums of the units in one bucket of one SLO: (lower, upper]. */
interface BucketRow {
  sloKey: number;
  /** The bucket's lower bound in ms; -Infinity below every bound. */
  lower: number;
  inWindow: boolean;
  units: number;
  bad: number;
  minStart: Date;
  minEnd: Date;
  maxEnd: Date;
}

/** More distinct window starts than this and Occurrences SLOs are summed through the join instead. */
const MAX_BOUNDARIES = 64;

/**
 * Sums every SLO of `inputs` over its window and the trailing windows ending at `at`.
 *
 * The points are summed per SLO and bucket, a bucket being the span between two consecutive bounds
 * (the trailing windows' starts and the SLOs' window starts): a dozen rows per SLO, which are
 * cumulated into windows here. For Occurrences SLOs the bounds are constants, so the points need
 * no join with the SLOs (a plain scan and aggregate both engines run in parallel): what keeps 43
 * million points fast. Slices first need each SLO's slice length, so they are joined.
 * `allSlos` says the inputs are every registered SLO: the scan needs no filter on the SLO.
 */
export async function evaluationSums(
  db: Queryable,
  inputs: readonly EvaluationInput[],
  at: Date,
  options: { allSlos?: boolean } = {},
): Promise<Map<number, EvaluationSums>> {
  const result = new Map<number, EvaluationSums>();
  if (inputs.length === 0) return result;
  const occurrences = inputs.filter((input) => input.method === 'Occurrences');
  const bounds = [
    ...new Set([
      ...TRAILING_NAMES.map((name) => at.getTime() - TRAILING_WINDOWS[name] * 1000),
      ...occurrences.map((input) => input.windowFrom.getTime()),
    ]),
  ].sort((a, b) => b - a);
  const bucketed = occurrences.length > 0 && bounds.length <= MAX_BOUNDARIES;
  const rows = [
    ...(bucketed
      ? await occurrenceBuckets(
          db,
          occurrences,
          bounds,
          at,
          options.allSlos === true && occurrences.length === inputs.length,
        )
      : []),
    ...(await joinedBuckets(
      db,
      bucketed ? inputs.filter((input) => input.method !== 'Occurrences') : inputs,
      at,
    )),
  ];
  const windowFrom = new Map(inputs.map((input) => [input.sloKey, input.windowFrom.getTime()]));
  const earlier = (a: Date | undefined, b: Date) => (a === undefined || b < a ? b : a);
  for (const row of rows) {
    if (!windowFrom.has(row.sloKey)) continue;
    let sums = result.get(row.sloKey);
    if (!sums) {
      sums = {
        window: { units: 0, bad: 0 },
        trailing: Object.fromEntries(TRAILING_NAMES.map((name) => [name, { units: 0, bad: 0 }])) as Record<
          TrailingWindow,
          WindowSums
        >,
        firstEnd: undefined,
        lastEnd: undefined,
        earliestStart: {},
      };
      result.set(row.sloKey, sums);
    }
    if (row.inWindow) {
      sums.window.units += row.units;
      sums.window.bad += row.bad;
      sums.firstEnd = earlier(sums.firstEnd, row.minEnd);
    }
    if (sums.lastEnd === undefined || row.maxEnd > sums.lastEnd) sums.lastEnd = row.maxEnd;
    for (const name of TRAILING_NAMES) {
      if (row.lower < at.getTime() - TRAILING_WINDOWS[name] * 1000) continue;
      sums.trailing[name].units += row.units;
      sums.trailing[name].bad += row.bad;
      if (COARSE_CHECKED.includes(name))
        sums.earliestStart[name] = earlier(sums.earliestStart[name], row.minStart);
    }
  }
  return result;
}

type RawBucket = {
  slo_key: number;
  bucket: number;
  in_window?: boolean;
  units: number | null;
  bad: number | null;
  min_start: Date;
  min_end: Date;
  max_end: Date;
};

/** Occurrences SLOs: points summed per SLO and span between constant bounds, without a join. */
async function occurrenceBuckets(
  db: Queryable,
  inputs: readonly EvaluationInput[],
  bounds: readonly number[],
  at: Date,
  allSlos: boolean,
): Promise<BucketRow[]> {
  // Bounds are $3.. in descending order; the last one is the floor, so no point falls below all.
  const bucket = `CASE ${bounds.map((_, i) => `WHEN p.end_at > $${3 + i} THEN ${i}`).join(' ')} END`;
  const filter = allSlos ? '' : ` AND p.slo_key = ANY($${3 + bounds.length})`;
  const rows = await db.query<RawBucket>(
    `SELECT p.slo_key, ${bucket} AS bucket, sum(p.total) AS units, sum(p.total - p.good) AS bad,
            min(p.start_at) AS min_start, min(p.end_at) AS min_end, max(p.end_at) AS max_end
     FROM slo_sli_points p
     WHERE p.end_at <= $1 AND p.end_at > $2${filter}
     GROUP BY 1, 2`,
    [
      at,
      new Date(bounds[bounds.length - 1]!),
      ...bounds.map((bound) => new Date(bound)),
      ...(allSlos ? [] : [inputs.map((input) => input.sloKey)]),
    ],
  );
  const windowFrom = new Map(inputs.map((input) => [input.sloKey, input.windowFrom.getTime()]));
  return rows.flatMap((row) => {
    const sloKey = Number(row.slo_key);
    const from = windowFrom.get(sloKey);
    if (from === undefined) return [];
    const lower = bounds[Number(row.bucket)]!;
    return [{ sloKey, lower, inWindow: lower >= from, ...sumsOf(row) }];
  });
}

/** Any SLOs, slices included: units from `unitsCte` (a join with the SLOs), per trailing bucket. */
async function joinedBuckets(
  db: Queryable,
  inputs: readonly EvaluationInput[],
  at: Date,
): Promise<BucketRow[]> {
  if (inputs.length === 0) return [];
  const atSeconds = at.getTime() / 1000;
  const trailingFrom = TRAILING_NAMES.map((name) => new Date((atSeconds - TRAILING_WINDOWS[name]) * 1000));
  const bucket = `CASE ${TRAILING_NAMES.map((_, i) => `WHEN u.unit_end > $${11 + i} THEN ${i}`).join(' ')} ELSE ${TRAILING_NAMES.length} END`;
  const longest = Math.max(...Object.values(TRAILING_WINDOWS));
  const rows = await db.query<RawBucket>(
    `WITH ${unitsCte(inputs)}
     SELECT u.slo_key, ${bucket} AS bucket, u.unit_end > u.window_from AS in_window,
            sum(u.units) AS units, sum(u.bad) AS bad, min(u.unit_start) AS min_start,
            min(u.unit_end) AS min_end, max(u.unit_end) AS max_end
     FROM units u GROUP BY 1, 2, 3`,
    [...unitsParams(inputs, at, atSeconds - longest), ...trailingFrom],
  );
  return rows.map((row) => ({
    sloKey: Number(row.slo_key),
    lower: trailingFrom[Number(row.bucket)]?.getTime() ?? Number.NEGATIVE_INFINITY,
    inWindow: Boolean(row.in_window),
    ...sumsOf(row),
  }));
}

function sumsOf(row: RawBucket) {
  return {
    units: Number(row.units ?? 0),
    bad: Number(row.bad ?? 0),
    minStart: row.min_start,
    minEnd: row.min_end,
    maxEnd: row.max_end,
  };
}

/** An interval of one SLO to sum bad units over: (from, to]. */
export interface BadUnitsInterval {
  sloKey: number;
  from: Date;
  to: Date;
}

/** The bad units of each interval (in order), with units counted as `evaluationSums` counts them. */
export async function badUnitsInIntervals(
  db: Queryable,
  inputs: readonly EvaluationInput[],
  intervals: readonly BadUnitsInterval[],
  at: Date,
): Promise<number[]> {
  if (intervals.length === 0) return [];
  const wanted = new Set(intervals.map((interval) => interval.sloKey));
  const used = inputs.filter((input) => wanted.has(input.sloKey));
  const lowest = Math.min(...intervals.map((interval) => interval.from.getTime() / 1000));
  const sql = `WITH ${unitsCte(used)},
    intervals AS (
      SELECT slo_key, idx, to_timestamp(CAST(from_s AS FLOAT8)) AS from_at, to_timestamp(CAST(to_s AS FLOAT8)) AS to_at
      FROM (SELECT unnest($11::INTEGER[]) AS slo_key, unnest($12::INTEGER[]) AS idx,
                   unnest($13::TEXT[]) AS from_s, unnest($14::TEXT[]) AS to_s) raw
    )
    SELECT i.idx, sum(u.bad) AS bad
    FROM units u JOIN intervals i ON i.slo_key = u.slo_key
    WHERE u.unit_end > i.from_at AND u.unit_end <= i.to_at
    GROUP BY i.idx`;
  const rows = await db.query<{ idx: number; bad: number | null }>(sql, [
    ...unitsParams(used, at, lowest),
    intervals.map((interval) => interval.sloKey),
    intervals.map((_, index) => index),
    floatTexts(intervals.map((interval) => interval.from.getTime() / 1000)),
    floatTexts(intervals.map((interval) => interval.to.getTime() / 1000)),
  ]);
  const bad = intervals.map(() => 0);
  for (const row of rows) bad[Number(row.idx)] = Number(row.bad ?? 0);
  return bad;
}
