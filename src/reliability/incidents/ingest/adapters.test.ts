/**
 * The import adapters on their own (no store): what each vendor field becomes, and where each kind
 * of bad input is reported (JSON line and column, JSON pointer, CSV row and column).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError, type Problem } from '../../../core/errors.js';
import {
  opsgenieGetAlertResponse,
  opsgenieListAlertsResponse,
  pagerDutyAnalyticsExport,
  pagerDutyDocumentedIncident,
  pagerDutyListResponse,
} from '../testing/payloads.js';
import { readCdeventIncidents } from './cdevents.js';
import { readIncidentCsv } from './csv.js';
import { readOpsgenieAlerts } from './opsgenie.js';
import { readPagerDutyIncidents } from './pagerduty.js';
import { readPagerDutyAnalytics } from './pagerdutyAnalytics.js';
import { readIncidents } from './readIncidents.js';

const conformance = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/cdevents/conformance');

const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');

describe('PagerDuty REST incidents', () => {
  it('maps the documented incident and its log entries', () => {
    const batch = readPagerDutyIncidents(pagerDutyListResponse(), { file: 'incidents.json' });
    expect(batch.read).toBe(2);
    expect(errors(batch.problems)).toEqual([]);
    const [fire, bump] = batch.incidents;
    expect(fire).toMatchObject({
      id: 'pagerduty:PT4KHLK',
      source: 'pagerduty',
      title: 'The server is on fire.',
      severity: 'SEV2',
      urgency: 'high',
      startedAt: '2015-10-06T21:30:42.000Z',
      detectedAt: '2015-10-06T21:30:42.000Z',
      acknowledgedAt: '2015-10-06T21:32:52.000Z',
      resolvedAt: '2015-10-06T21:38:23.000Z',
      serviceHints: [{ pagerDutyId: 'PIJ90N7', name: 'My Mail Service' }],
      teamHints: [{ name: 'Payments Team' }],
      url: 'https://subdomain.pagerduty.com/incidents/PT4KHLK',
      updatedAt: '2015-10-06T21:40:23.000Z',
    });
    expect(fire!.timeline.map((event) => event.type)).toEqual([
      'trigger',
      'notify',
      'notify',
      'acknowledge',
      'resolve',
    ]);
    // No priority: urgency high maps to SEV3; acknowledged without an acknowledgement time: the status change.
    expect(bump).toMatchObject({ severity: 'SEV3', acknowledgedAt: '2015-10-07T08:10:00.000Z' });
    expect(bump!.resolvedAt).toBeUndefined();
    // Real notifications for the first incident (SMS and e-mail); a synthetic page for the second's assignee.
    expect(batch.notifications.map((n) => [n.id, n.channel, n.synthetic, n.responder, n.timezone])).toEqual([
      ['pagerduty:R2XGXEI3W0FHMRSJJ', 'sms', false, 'ada@example.com', 'America/Lima'],
      ['pagerduty:R3XGXEI3W0FHMRSJK', 'email', false, 'PXPGF42', undefined],
      ['pagerduty:PGR0VU2:trigger:PTUXL6G', 'other', true, 'PTUXL6G', undefined],
    ]);
  });

  it('rejects the documented example, acknowledged a month after it was resolved, at the acknowledgement', () => {
    const batch = readPagerDutyIncidents(pagerDutyDocumentedIncident(), { file: 'incident.json' });
    expect(batch.incidents).toEqual([]);
    expect(batch.rejected).toBe(1);
    expect(errors(batch.problems).map(formatProblem)).toEqual([
      'incident.json: error: /incident/resolved_at: resolvedAt (2015-10-06T21:38:23.000Z) is before acknowledgedAt (2015-11-10T00:32:52.000Z); an incident is started <= detected <= acknowledged/mitigated <= resolved <= closed [pagerduty:PT4KHLK]',
    ]);
  });

  it('points at a log entry whose time contradicts the incident', () => {
    const input = pagerDutyListResponse();
    input.log_entries[3]!.created_at = '2015-10-06T20:00:00Z';
    const batch = readPagerDutyIncidents(input, { file: 'incidents.json' });
    expect(errors(batch.problems).map((p) => p.location?.pointer)).toEqual(['/log_entries/3/created_at']);
    expect(batch.incidents.map((i) => i.id)).toEqual(['pagerduty:PGR0VU2']);
  });

  it('keeps the good incidents when one lacks created_at, and warns about an unknown priority', () => {
    const input = pagerDutyListResponse();
    delete (input.incidents[1] as Record<string, unknown>).created_at;
    (input.incidents[0]!.priority as { summary: string }).summary = 'Urgent';
    const batch = readPagerDutyIncidents(input, { file: 'incidents.json' });
    expect(errors(batch.problems).map(formatProblem)).toEqual([
      'incidents.json: error: /incidents/1/created_at: required [pagerduty:PGR0VU2]',
    ]);
    expect(batch.problems.filter((p) => p.severity === 'warning').map((p) => p.location?.pointer)).toEqual([
      '/incidents/0/priority/summary',
    ]);
    // Unknown priority: urgency high -> SEV3.
    expect(batch.incidents.map((i) => [i.id, i.severity])).toEqual([['pagerduty:PT4KHLK', 'SEV3']]);
  });

  it('reports malformed JSON with its line and column', () => {
    const text = '{\n  "incidents": [\n    { "id": "P1", }\n  ]\n}';
    let error: unknown;
    try {
      readIncidents(text, 'pagerduty', { file: 'broken.json' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const [problem] = (error as InputError).problems;
    expect(problem?.location).toEqual({ file: 'broken.json', line: 3, column: 19 });
  });
});

describe('PagerDuty analytics export', () => {
  it('derives acknowledgement and resolution from the seconds fields', () => {
    const batch = readPagerDutyAnalytics(pagerDutyAnalyticsExport(), { file: 'raw.json' });
    expect(errors(batch.problems)).toEqual([]);
    expect(batch.incidents.map((i) => [i.id, i.severity, i.acknowledgedAt, i.resolvedAt])).toEqual([
      ['pagerduty:PT4KHLK', 'SEV2', '2015-10-06T21:32:52.000Z', '2015-10-06T21:38:23.000Z'],
      // major without a priority: SEV2; resolved from seconds_to_resolve.
      ['pagerduty:Q0ANALYT2', 'SEV2', '2015-10-08T03:05:00.000Z', '2015-10-08T04:00:00.000Z'],
      // low urgency, not major: SEV4; never acknowledged.
      ['pagerduty:Q0ANALYT3', 'SEV4', undefined, '2015-10-09T12:30:00.000Z'],
    ]);
    // One synthetic page per high-urgency row, for its team.
    expect(batch.notifications.map((n) => [n.incidentId, n.teamHint?.name])).toEqual([
      ['pagerduty:PT4KHLK', 'Payments Team'],
      ['pagerduty:Q0ANALYT2', 'Search Team'],
    ]);
  });

  it('rejects a row resolved before it was created, at resolved_at', () => {
    const input = pagerDutyAnalyticsExport();
    input.data[0]!.resolved_at = '2015-10-06T20:00:00Z';
    const batch = readPagerDutyAnalytics(input, { file: 'raw.json' });
    expect(errors(batch.problems).map((p) => [p.location?.pointer, p.message.split(';')[0]])).toEqual([
      [
        '/data/0/resolved_at',
        'resolvedAt (2015-10-06T20:00:00.000Z) is before startedAt (2015-10-06T21:30:42.000Z)',
      ],
    ]);
    expect(batch.incidents).toHaveLength(2);
  });
});

describe('Opsgenie alerts', () => {
  it('maps the documented Get Alert response: ackTime and closeTime are milliseconds', () => {
    const batch = readOpsgenieAlerts(opsgenieGetAlertResponse(), { file: 'alert.json' });
    expect(errors(batch.problems)).toEqual([]);
    expect(batch.incidents[0]).toMatchObject({
      id: 'opsgenie:70413a06-38d6-4c85-92b8-5ebc900d42e2',
      title: 'Our servers are in danger',
      severity: 'SEV2',
      urgency: 'high',
      startedAt: '2017-03-21T20:32:52.353Z',
      acknowledgedAt: '2017-03-21T20:33:08.055Z',
      resolvedAt: '2017-03-21T20:33:52.856Z',
      causeCategory: 'capacity',
      serviceHints: [{ ref: 'search' }],
      teamHints: [{ name: 'search' }],
      updatedAt: '2017-04-03T20:32:57.301Z',
    });
    expect(batch.notifications.map((n) => [n.responder, n.synthetic, n.teamHint?.name])).toEqual([
      ['grace@example.com', true, 'search'],
    ]);
  });

  it('keeps good alerts of a list and rejects an unknown priority at its pointer', () => {
    const batch = readOpsgenieAlerts(opsgenieListAlertsResponse(), { file: 'alerts.json' });
    expect(batch.read).toBe(3);
    expect(errors(batch.problems).map(formatProblem)).toEqual([
      'alerts.json: error: /data/2/priority: "P7" is not one of P1, P2, P3, P4, P5 [opsgenie:c1d2e3f4-0000-4000-8000-000000000003]',
    ]);
    // The open P5 alert: low urgency (no page), not resolved, no service named.
    expect(batch.incidents[1]).toMatchObject({ severity: 'SEV5', urgency: 'low', serviceHints: [] });
    expect(batch.incidents[1]!.resolvedAt).toBeUndefined();
    expect(batch.notifications).toHaveLength(1);
  });

  it('says what it expected when given another format', () => {
    const batch = readOpsgenieAlerts(pagerDutyListResponse(), { file: 'incidents.json' });
    expect(batch).toMatchObject({ read: 0, incidents: [] });
    expect(errors(batch.problems).map(formatProblem)).toEqual([
      'incidents.json: error: expected Opsgenie alerts ({ "data": [...] }, { "data": {...} }, an array or one alert), not an object with keys incidents, log_entries, limit, offset, total',
    ]);
  });
});

describe('CDEvents incident events', () => {
  it('merges the conformance detected and resolved events into one incident', () => {
    const events = ['incident_detected', 'incident_reported', 'incident_resolved'].map((name) =>
      JSON.parse(readFileSync(path.join(conformance, `${name}.json`), 'utf8')),
    );
    const batch = readCdeventIncidents(JSON.stringify(events), { file: 'events.json' });
    expect(errors(batch.problems)).toEqual([]);
    expect(batch.read).toBe(3);
    expect(batch.incidents).toHaveLength(1);
    const [incident] = batch.incidents;
    expect(incident).toMatchObject({
      id: 'cdevents:/monitoring/prod1/incident-123',
      source: 'cdevents',
      title: 'Response time above threshold of 100ms',
      startedAt: '2022-11-11T13:52:20.079Z',
      resolvedAt: '2022-11-11T13:52:20.079Z',
      serviceHints: [{ ref: 'myApp' }],
    });
    expect(incident!.timeline.map((event) => event.type).sort()).toEqual([
      'detected',
      'reported',
      'resolved',
    ]);
  });

  it('counts only incident events as read, and warns about the others', () => {
    const events = ['incident_detected', 'service_deployed', 'pipelinerun_finished'].map((name) =>
      JSON.parse(readFileSync(path.join(conformance, `${name}.json`), 'utf8')),
    );
    const batch = readCdeventIncidents(JSON.stringify(events), { file: 'events.json' });
    expect(batch).toMatchObject({ read: 1, rejected: 0 });
    expect(batch.incidents).toHaveLength(1);
    expect(batch.problems.map((p) => p.message)).toContain(
      '2 events are not incident events and were ignored here; ingest them with pave ingest cdevents',
    );
  });

  it('estimates the start of an incident seen only resolved', () => {
    const resolved = readFileSync(path.join(conformance, 'incident_resolved.json'), 'utf8');
    const [incident] = readCdeventIncidents(resolved).incidents;
    expect(incident?.estimatedFields).toEqual(['startedAt', 'detectedAt', 'title']);
  });

  it('reports a malformed event at its JSON pointer', () => {
    const event = JSON.parse(readFileSync(path.join(conformance, 'incident_detected.json'), 'utf8'));
    event.subject.content.service = { source: '/clusterA' };
    const batch = readCdeventIncidents(JSON.stringify(event), { file: 'bad.json' });
    expect(batch.incidents).toEqual([]);
    expect(errors(batch.problems).map((p) => p.location?.pointer)).toEqual(['/subject/content/service/id']);
  });
});

describe('CSV', () => {
  const header =
    'id,title,severity,started_at,acknowledged_at,resolved_at,services,cause_category,platform_caused,postmortem_url,postmortem_completed_at';

  it('reads rows, with quoted fields, lists and a postmortem', () => {
    const csv = `${header}\r\nINC-7,"Checkout down, again",P1,2024-05-03T09:00:00Z,2024-05-03T09:04:00Z,2024-05-03T10:00:00Z,checkout;payments-api,deployment,no,https://wiki/pm/7,2024-05-06T12:00:00Z\r\n`;
    const batch = readIncidentCsv(csv, { file: 'incidents.csv' });
    expect(errors(batch.problems)).toEqual([]);
    expect(batch.incidents[0]).toMatchObject({
      id: 'csv:INC-7',
      title: 'Checkout down, again',
      severity: 'SEV1',
      serviceHints: [{ ref: 'checkout' }, { ref: 'payments-api' }],
      causeCategory: 'deployment',
      platformCaused: false,
      postmortem: { url: 'https://wiki/pm/7', status: 'complete', completedAt: '2024-05-06T12:00:00.000Z' },
      updatedAt: '2024-05-06T12:00:00.000Z',
    });
  });

  it('reports bad rows by row and column and keeps the good ones', () => {
    const csv = [
      header,
      'A,Fine,SEV3,2024-05-01T00:00:00Z,,,search,,,,',
      'B,Unknown severity,P9,2024-05-01T00:00:00Z,,,search,,,,',
      'C,Resolved before it started,SEV2,2024-05-02T10:00:00Z,,2024-05-02T09:00:00Z,search,,,,',
      'D,"No time zone",SEV4,2024-05-02 10:00,,,search,,,,',
      'E,Too few fields',
    ].join('\n');
    const batch = readIncidentCsv(csv, { file: 'incidents.csv' });
    expect(batch.incidents.map((i) => i.id)).toEqual(['csv:A']);
    expect(batch.rejected).toBe(4);
    expect(
      errors(batch.problems).map((p) =>
        formatProblem({
          severity: p.severity,
          message: p.message,
          ...(p.location ? { location: p.location } : {}),
        }),
      ),
    ).toEqual([
      'incidents.csv:3: error: column severity: unknown severity "P9": use SEV1-SEV5, P1-P5, 1-5, or critical/high/moderate/low/informational',
      'incidents.csv:4: error: column resolved_at: resolvedAt (2024-05-02T09:00:00.000Z) is before startedAt (2024-05-02T10:00:00.000Z); an incident is started <= detected <= acknowledged/mitigated <= resolved <= closed',
      'incidents.csv:5: error: column started_at: "2024-05-02 10:00" has no time zone: add Z or an offset like +01:00',
      'incidents.csv:6: error: has 2 fields; the header has 11',
    ]);
  });

  it('refuses a CSV without the required columns, and an unclosed quote', () => {
    expect(() => readIncidentCsv('id,title\nA,B\n', { file: 'x.csv' })).toThrow(/no startedAt column/);
    expect(() => readIncidentCsv(`${header}\nA,"open quote,P1\n`, { file: 'x.csv' })).toThrow(
      /quoted field is not closed/,
    );
  });
});
