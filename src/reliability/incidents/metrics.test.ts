/**
 * The incident metrics against hand-computed expectations: interpolated quantiles, platform
 * causes, recurrence window edges, business-day postmortem deadlines over weekends and DST,
 * action items, and business/off/sleep hours across time zones and DST changes.
 */
import { describe, expect, it } from 'vitest';
import {
  actionItemStats,
  durationStats,
  type IncidentFacts,
  interruptionPeriod,
  platformCause,
  postmortemDeadline,
  postmortemStats,
  recurrenceStats,
  recurringIncidents,
  timesToAcknowledge,
  timesToResolve,
} from './metrics.js';
import { countedInterruptions, onCallLoad, weekStart } from './oncallLoad.js';

const t = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

function facts(id: string, start: string, extra: Partial<IncidentFacts> = {}): IncidentFacts {
  return { id, startedAt: t(start), services: ['component:default/checkout'], ...extra };
}

describe('MTTA and MTTR', () => {
  const minute = 60_000;
  const incidents = [2, 4, 6, 8, 30].map((minutes, i) =>
    facts(`i${i}`, '2024-05-01T10:00:00Z', {
      detectedAt: t('2024-05-01T10:01:00Z'),
      acknowledgedAt: t('2024-05-01T10:01:00Z') + minutes * minute,
      resolvedAt: t('2024-05-01T10:00:00Z') + minutes * 10 * minute,
    }),
  );

  it('measures from detection to the first acknowledgement, and from the start to resolution', () => {
    expect(timesToAcknowledge(incidents)).toEqual([120, 240, 360, 480, 1800]);
    expect(timesToResolve(incidents)).toEqual([1200, 2400, 3600, 4800, 18000]);
  });

  it('interpolates p50 and p90 and carries n', () => {
    // Sorted 120, 240, 360, 480, 1800: p50 at rank 2 -> 360; p90 at rank 3.6 -> 480 + 0.6 * 1320 = 1272.
    expect(durationStats(timesToAcknowledge(incidents), 5)).toEqual({
      n: 5,
      p50: 360,
      p90: 1272,
      mean: 600,
      status: 'ok',
    });
  });

  it('is null with insufficient_data below the minimum sample', () => {
    expect(durationStats([60, 120, 180, 240], 5)).toEqual({
      n: 4,
      p50: null,
      p90: null,
      mean: null,
      status: 'insufficient_data',
    });
    expect(durationStats([], 5).status).toBe('no_data');
  });
});

describe('platform-caused', () => {
  const categories = new Set(['platform']);
  const platformServices = new Set(['component:default/edge-gateway']);

  it('follows the explicit field, then the cause category, then the platform owning a service', () => {
    expect(
      platformCause(
        facts('a', '2024-01-01T00:00:00Z', { platformCaused: false, causeCategory: 'platform' }),
        categories,
        platformServices,
      ),
    ).toEqual({
      caused: false,
      reason: 'explicit',
    });
    expect(
      platformCause(
        facts('b', '2024-01-01T00:00:00Z', { causeCategory: 'platform' }),
        categories,
        platformServices,
      ).reason,
    ).toBe('cause-category');
    expect(
      platformCause(
        facts('c', '2024-01-01T00:00:00Z', {
          services: ['component:default/checkout', 'component:default/edge-gateway'],
        }),
        categories,
        platformServices,
      ),
    ).toEqual({ caused: true, reason: 'platform-service' });
    expect(
      platformCause(
        facts('d', '2024-01-01T00:00:00Z', { causeCategory: 'deployment' }),
        categories,
        platformServices,
      ),
    ).toEqual({
      caused: false,
      reason: 'none',
    });
  });
});

describe('recurrence', () => {
  const base = '2024-01-01T00:00:00Z';
  const at = (days: number, ms = 0) => new Date(t(base) + days * DAY + ms).toISOString();

  it('counts an earlier incident exactly 90 days before, and not 90 days and 1 ms before', () => {
    const incidents = [
      facts('first', at(0), { causeCategory: 'deployment' }),
      facts('edge', at(90), { causeCategory: 'deployment' }),
      facts('search-first', at(0), { causeCategory: 'deployment', services: ['component:default/search'] }),
      facts('search-late', at(90, 1), {
        causeCategory: 'deployment',
        services: ['component:default/search'],
      }),
    ];
    expect([...recurringIncidents(incidents, 90)].sort()).toEqual(['edge']);
  });

  it('needs the same cause on the same service, strictly earlier', () => {
    const incidents = [
      facts('a', at(0), { causeCategory: 'config' }),
      facts('b', at(1), { causeCategory: 'capacity' }),
      facts('c', at(2), { causeCategory: 'config', services: ['component:default/search'] }),
      facts('d1', at(3), { causeCategory: 'dependency' }),
      facts('d2', at(3), { causeCategory: 'dependency' }),
      facts('e', at(4)),
    ];
    expect(recurringIncidents(incidents, 90).size).toBe(0);
    // A chain: each one within 90 days of the one before it.
    const chain = [0, 80, 160].map((day, i) => facts(`x${i}`, at(day), { causeCategory: 'config' }));
    expect([...recurringIncidents(chain, 90)].sort()).toEqual(['x1', 'x2']);
  });

  it('rates the incidents of the window, looking back before it, over those with a cause and a service', () => {
    const before = facts('before', at(-10), { causeCategory: 'deployment' });
    const inWindow = [
      facts('w1', at(5), { causeCategory: 'deployment' }), // recurs (before)
      facts('w2', at(6), { causeCategory: 'deployment' }), // recurs (w1)
      facts('w3', at(7), { causeCategory: 'config' }),
      facts('w4', at(8), { causeCategory: 'capacity' }),
      facts('w5', at(9), { causeCategory: 'capacity', services: ['component:default/search'] }),
      facts('w6', at(10)), // no cause: not eligible
    ];
    expect(recurrenceStats(inWindow, [before, ...inWindow], 90, 5)).toEqual({
      eligible: 5,
      recurring: 2,
      rate: 0.4,
      status: 'ok',
    });
    expect(recurrenceStats(inWindow.slice(0, 3), [before, ...inWindow], 90, 5)).toMatchObject({
      rate: null,
      status: 'insufficient_data',
    });
  });
});

describe('postmortem deadlines in business days', () => {
  it('skips the weekend: resolved on Friday, 5 business days ends with the next Friday', () => {
    expect(new Date(postmortemDeadline(t('2024-05-03T15:00:00Z'), 5, 'UTC')).toISOString()).toBe(
      '2024-05-11T00:00:00.000Z',
    );
    // Resolved on Saturday: Monday is the first business day, so the same deadline.
    expect(new Date(postmortemDeadline(t('2024-05-04T10:00:00Z'), 5, 'UTC')).toISOString()).toBe(
      '2024-05-11T00:00:00.000Z',
    );
    expect(new Date(postmortemDeadline(t('2024-05-03T15:00:00Z'), 1, 'UTC')).toISOString()).toBe(
      '2024-05-07T00:00:00.000Z',
    );
    expect(new Date(postmortemDeadline(t('2024-05-03T15:00:00Z'), 0, 'UTC')).toISOString()).toBe(
      '2024-05-04T00:00:00.000Z',
    );
  });

  it('counts days in the configured time zone, across a DST change', () => {
    // 02:00Z Saturday is 22:00 Friday in New York (EDT): Friday is the day of resolution.
    expect(new Date(postmortemDeadline(t('2024-05-04T02:00:00Z'), 1, 'America/New_York')).toISOString()).toBe(
      '2024-05-07T04:00:00.000Z',
    );
    // Resolved Friday 8 March (EST, UTC-5); clocks go forward on Sunday 10 March; Monday ends at midnight EDT (UTC-4).
    expect(new Date(postmortemDeadline(t('2024-03-08T15:00:00Z'), 1, 'America/New_York')).toISOString()).toBe(
      '2024-03-12T04:00:00.000Z',
    );
  });

  it('rates completion for SEV1-2: on time, late, overdue; pending and other severities not counted', () => {
    const resolved = { resolvedAt: t('2024-05-03T15:00:00Z'), severity: 'SEV1' };
    const incidents = [
      facts('on-time', '2024-05-03T14:00:00Z', {
        ...resolved,
        postmortemStatus: 'complete',
        postmortemCompletedAt: t('2024-05-10T23:59:59Z'),
      }),
      facts('late', '2024-05-03T14:00:00Z', {
        ...resolved,
        postmortemStatus: 'complete',
        postmortemCompletedAt: t('2024-05-11T00:00:01Z'),
      }),
      facts('unknown-time', '2024-05-03T14:00:00Z', {
        ...resolved,
        severity: 'SEV2',
        postmortemStatus: 'complete',
      }),
      facts('overdue', '2024-05-03T14:00:00Z', { ...resolved, postmortemStatus: 'draft' }),
      facts('overdue-2', '2024-05-03T14:00:00Z', { ...resolved, severity: 'SEV2' }),
      facts('pending', '2024-05-08T14:00:00Z', { severity: 'SEV1', resolvedAt: t('2024-05-09T10:00:00Z') }),
      facts('sev3', '2024-05-03T14:00:00Z', { ...resolved, severity: 'SEV3' }),
    ];
    const options = {
      severities: new Set(['SEV1', 'SEV2']),
      businessDays: 5,
      timeZone: 'UTC',
      asOf: t('2024-05-12T00:00:00Z'),
      minSample: 5,
    };
    expect(postmortemStats(incidents, options)).toEqual({
      due: 5,
      completedOnTime: 1,
      completedLate: 2,
      overdue: 2,
      pending: 1,
      rate: 0.2,
      status: 'ok',
    });
  });
});

describe('action items', () => {
  it('counts open, overdue (due day passed), done and cancelled', () => {
    const items = [
      { status: 'open', dueDate: '2024-05-09' },
      { status: 'in_progress', dueDate: '2024-05-10' },
      { status: 'open' },
      { status: 'done', dueDate: '2024-05-01' },
      { status: 'cancelled', dueDate: '2024-05-01' },
    ];
    // On 10 May the item due that day is not overdue yet.
    expect(actionItemStats(items, t('2024-05-10T12:00:00Z'))).toEqual({
      total: 5,
      open: 3,
      overdue: 1,
      done: 1,
      cancelled: 1,
    });
  });
});

describe('business, off and sleep hours', () => {
  it('follows PagerDuty: 08-18 Mon-Fri business, 22-08 sleep every day, the rest off', () => {
    expect(interruptionPeriod(t('2024-05-03T07:59:59Z'), 'UTC')).toBe('sleep'); // Friday
    expect(interruptionPeriod(t('2024-05-03T08:00:00Z'), 'UTC')).toBe('business');
    expect(interruptionPeriod(t('2024-05-03T17:59:59Z'), 'UTC')).toBe('business');
    expect(interruptionPeriod(t('2024-05-03T18:00:00Z'), 'UTC')).toBe('off');
    expect(interruptionPeriod(t('2024-05-03T22:00:00Z'), 'UTC')).toBe('sleep');
    expect(interruptionPeriod(t('2024-05-04T10:00:00Z'), 'UTC')).toBe('off'); // Saturday daytime
    expect(interruptionPeriod(t('2024-05-05T23:00:00Z'), 'UTC')).toBe('sleep'); // Sunday night
  });

  it('uses the responder time zone', () => {
    // 13:00Z Friday is 22:00 in Tokyo (sleep), 14:00 in London (BST, business), 09:00 in New York (business).
    expect(interruptionPeriod(t('2024-05-03T13:00:00Z'), 'Asia/Tokyo')).toBe('sleep');
    expect(interruptionPeriod(t('2024-05-03T09:00:00Z'), 'Asia/Tokyo')).toBe('off');
    expect(interruptionPeriod(t('2024-05-03T13:00:00Z'), 'Europe/London')).toBe('business');
    // 23:00Z Friday is 09:00 Saturday in Sydney (AEST, no DST in May): off hours.
    expect(interruptionPeriod(t('2024-05-03T23:00:00Z'), 'Australia/Sydney')).toBe('off');
  });

  it('follows DST: the same UTC hour changes period when the clocks change', () => {
    // New York: Friday 8 March 2024 is EST (UTC-5), Monday 11 March EDT (UTC-4).
    expect(interruptionPeriod(t('2024-03-08T12:30:00Z'), 'America/New_York')).toBe('sleep'); // 07:30 EST
    expect(interruptionPeriod(t('2024-03-11T12:30:00Z'), 'America/New_York')).toBe('business'); // 08:30 EDT
    // London: Friday 29 March is GMT, Tuesday 2 April BST; 17:30Z is 17:30 then 18:30.
    expect(interruptionPeriod(t('2024-03-29T17:30:00Z'), 'Europe/London')).toBe('business');
    expect(interruptionPeriod(t('2024-04-02T17:30:00Z'), 'Europe/London')).toBe('off');
  });
});

describe('on-call load', () => {
  const page = (
    incidentId: string,
    sentAt: string,
    extra: Partial<{ responder: string; timezone: string; team: string; urgency: 'high' | 'low' }> = {},
  ) => ({
    incidentId,
    sentAt: t(sentAt),
    team: 'group:default/payments',
    urgency: 'high' as const,
    responder: 'ada',
    timezone: 'UTC',
    ...extra,
  });

  it('counts one interruption for a burst of notifications to one responder', () => {
    const pages = [
      page('i1', '2024-05-06T03:00:00Z'),
      page('i1', '2024-05-06T03:00:30Z'),
      page('i1', '2024-05-06T03:02:00Z'),
      page('i1', '2024-05-06T03:05:00Z'),
      page('i1', '2024-05-06T03:00:10Z', { responder: 'bob' }),
    ];
    expect(
      countedInterruptions(pages).map((p) => [new Date(p.sentAt).toISOString().slice(11, 19), p.responder]),
    ).toEqual([
      ['03:00:00', 'ada'],
      ['03:00:10', 'bob'],
      ['03:05:00', 'ada'],
    ]);
  });

  it('aggregates per team and ISO week, with shifts and overloaded shifts', () => {
    const pages = [
      // Monday 6 May, 03:00-04:00 UTC: three incidents in the 00:00-12:00 shift (over the limit of 2).
      page('i1', '2024-05-06T03:00:00Z'),
      page('i2', '2024-05-06T03:30:00Z'),
      page('i3', '2024-05-06T04:00:00Z', { timezone: 'Asia/Tokyo' }), // 13:00 JST Monday: business
      // Saturday 11 May, 12:00 UTC: off hours in UTC.
      page('i4', '2024-05-11T12:00:00Z'),
      // Next week, Wednesday 15 May 23:00 in New York (03:00Z Thursday): sleep.
      page('i5', '2024-05-16T03:00:00Z', { timezone: 'America/New_York' }),
      page('x1', '2024-05-07T10:00:00Z', { team: 'group:default/search' }),
    ];
    const [payments, search] = onCallLoad(
      pages,
      { from: t('2024-05-06T00:00:00Z'), to: t('2024-05-20T00:00:00Z') },
      { shiftHours: 12, shiftIncidentLimit: 2 },
    );
    expect(payments).toMatchObject({
      team: 'group:default/payments',
      pages: 5,
      interruptions: 5,
      businessHours: 1,
      offHours: 1,
      sleepHours: 3,
      incidents: 5,
      shifts: 28,
      pagesPerShift: 0.179,
      shiftsOverLimit: 1,
    });
    expect(
      payments!.weeks.map((week) => [
        week.week,
        week.pages,
        week.sleepHours,
        week.shifts,
        week.shiftsOverLimit,
      ]),
    ).toEqual([
      ['2024-05-06', 4, 2, 14, 1],
      ['2024-05-13', 1, 1, 14, 0],
    ]);
    expect(search).toMatchObject({ team: 'group:default/search', pages: 1, businessHours: 1 });
  });

  it('counts a low-urgency SMS as an interruption but not as a page', () => {
    const [load] = onCallLoad(
      [
        page('i1', '2024-05-06T10:00:00Z'),
        // Low urgency: it still interrupts (PagerDuty counts every SMS, push and call).
        page('i2', '2024-05-06T23:00:00Z', { urgency: 'low' }),
      ],
      { from: t('2024-05-06T00:00:00Z'), to: t('2024-05-13T00:00:00Z') },
      { shiftHours: 12, shiftIncidentLimit: 2 },
    );
    expect(load).toMatchObject({
      pages: 1,
      incidents: 1,
      interruptions: 2,
      businessHours: 1,
      sleepHours: 1,
      pagesPerShift: 0.071,
    });
    expect(new Date(weekStart(t('2024-05-12T23:59:59Z'))).toISOString()).toBe('2024-05-06T00:00:00.000Z');
  });
});
