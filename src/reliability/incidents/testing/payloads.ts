/**
 * Vendor payloads for the incident tests, written from the vendors' documented examples (there are
 * no PagerDuty or Opsgenie fixtures in ../shared/fixtures). Each names its source; where the
 * documented example is internally inconsistent, the change is said.
 */

/**
 * PagerDuty REST API v2, `GET /incidents` response, after the documented example
 * (https://developer.pagerduty.com/api-reference/9d0b4b12e36f9-list-incidents). The documented
 * example acknowledges the incident on 2015-11-10, a month after it was resolved (2015-10-06);
 * here the acknowledgement is moved to 21:32:52 on the day, and log entries
 * (https://developer.pagerduty.com/api-reference/367a0a4c4a1c1-list-log-entries) are added.
 */
export function pagerDutyListResponse() {
  return {
    incidents: [
      {
        id: 'PT4KHLK',
        type: 'incident',
        summary: '[#1234] The server is on fire.',
        self: 'https://api.pagerduty.com/incidents/PT4KHLK',
        html_url: 'https://subdomain.pagerduty.com/incidents/PT4KHLK',
        incident_number: 1234,
        title: 'The server is on fire.',
        created_at: '2015-10-06T21:30:42Z',
        updated_at: '2015-10-06T21:40:23Z',
        status: 'resolved',
        incident_key: 'baf7cf21b1da41b4b0221008339ff357',
        service: {
          id: 'PIJ90N7',
          type: 'service_reference',
          summary: 'My Mail Service',
          self: 'https://api.pagerduty.com/services/PIJ90N7',
          html_url: 'https://subdomain.pagerduty.com/service-directory/PIJ90N7',
        },
        assignments: [],
        assigned_via: 'escalation_policy',
        last_status_change_at: '2015-10-06T21:38:23Z',
        resolved_at: '2015-10-06T21:38:23Z',
        first_trigger_log_entry: {
          id: 'Q02JTSNZWHSEKV',
          type: 'trigger_log_entry_reference',
          summary: 'Triggered through the API',
        },
        alert_counts: { all: 2, triggered: 0, resolved: 2 },
        is_mergeable: true,
        escalation_policy: {
          id: 'PT20YPA',
          type: 'escalation_policy_reference',
          summary: 'Another Escalation Policy',
        },
        teams: [{ id: 'PQ9K7I8', type: 'team_reference', summary: 'Payments Team' }],
        pending_actions: [],
        acknowledgements: [
          {
            at: '2015-10-06T21:32:52Z',
            acknowledger: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
          },
        ],
        last_status_change_by: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
        priority: { id: 'P53ZZH5', type: 'priority_reference', summary: 'P2' },
        resolve_reason: null,
        urgency: 'high',
      },
      {
        id: 'PGR0VU2',
        type: 'incident',
        summary: '[#2] A little bump in the road',
        incident_number: 2,
        title: 'A little bump in the road',
        created_at: '2015-10-07T08:00:00Z',
        updated_at: '2015-10-07T08:10:00Z',
        status: 'acknowledged',
        service: { id: 'PF9KMXH', type: 'service_reference', summary: 'API Service' },
        assignments: [
          {
            at: '2015-10-07T08:00:00Z',
            assignee: { id: 'PTUXL6G', type: 'user_reference', summary: 'User 123' },
          },
        ],
        last_status_change_at: '2015-10-07T08:10:00Z',
        teams: [],
        acknowledgements: [],
        priority: null,
        urgency: 'high',
      },
    ],
    log_entries: [
      {
        id: 'Q02JTSNZWHSEKV',
        type: 'trigger_log_entry',
        summary: 'Triggered through the API',
        created_at: '2015-10-06T21:30:42Z',
        incident: { id: 'PT4KHLK', type: 'incident_reference' },
        agent: {
          id: 'PIJ90N7',
          type: 'generic_email_inbound_integration_reference',
          summary: 'Email Integration',
        },
        channel: { type: 'api' },
      },
      {
        id: 'R2XGXEI3W0FHMRSJJ',
        type: 'notify_log_entry',
        summary: 'Notified Earline Greenholt by SMS',
        created_at: '2015-10-06T21:31:02Z',
        incident: { id: 'PT4KHLK', type: 'incident_reference' },
        user: {
          id: 'PXPGF42',
          type: 'user',
          summary: 'Earline Greenholt',
          email: 'ada@example.com',
          time_zone: 'America/Lima',
        },
        channel: { type: 'sms' },
      },
      {
        id: 'R3XGXEI3W0FHMRSJK',
        type: 'notify_log_entry',
        summary: 'Notified Earline Greenholt by email',
        created_at: '2015-10-06T21:31:03Z',
        incident: { id: 'PT4KHLK', type: 'incident_reference' },
        user: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
        channel: { type: 'email' },
      },
      {
        id: 'Q1XYZACK',
        type: 'acknowledge_log_entry',
        summary: 'Acknowledged by Earline Greenholt',
        created_at: '2015-10-06T21:32:52Z',
        incident: { id: 'PT4KHLK', type: 'incident_reference' },
        agent: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
        channel: { type: 'website' },
      },
      {
        id: 'Q1XYZRES',
        type: 'resolve_log_entry',
        summary: 'Resolved by Earline Greenholt',
        created_at: '2015-10-06T21:38:23Z',
        incident: { id: 'PT4KHLK', type: 'incident_reference' },
        agent: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
        channel: { type: 'website' },
      },
    ],
    limit: 25,
    offset: 0,
    total: null,
    more: false,
  };
}

/**
 * The documented single-incident example as published: acknowledged (2015-11-10) after it was
 * resolved (2015-10-06). Pave rejects it with the acknowledgement's JSON pointer.
 */
export function pagerDutyDocumentedIncident() {
  return {
    incident: {
      id: 'PT4KHLK',
      type: 'incident',
      title: 'The server is on fire.',
      created_at: '2015-10-06T21:30:42Z',
      status: 'resolved',
      service: { id: 'PIJ90N7', type: 'service_reference', summary: 'My Mail Service' },
      last_status_change_at: '2015-10-06T21:38:23Z',
      resolved_at: '2015-10-06T21:38:23Z',
      acknowledgements: [
        {
          at: '2015-11-10T00:32:52Z',
          acknowledger: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' },
        },
      ],
      priority: { id: 'P53ZZH5', type: 'priority_reference', summary: 'P2' },
      urgency: 'high',
    },
  };
}

/**
 * PagerDuty analytics, raw incident data (`POST /analytics/raw/incidents`), rows after the fields
 * documented at https://developer.pagerduty.com/api-reference/c2d493e995071-get-raw-data-multiple-incidents.
 */
export function pagerDutyAnalyticsExport() {
  return {
    first: 'dXNlcmlkOjE=',
    last: 'dXNlcmlkOjM=',
    limit: 20,
    more: false,
    order: 'desc',
    order_by: 'created_at',
    filters: {
      created_at_start: '2015-10-01T00:00:00Z',
      created_at_end: '2015-11-01T00:00:00Z',
      urgency: 'high',
    },
    time_zone: 'Etc/UTC',
    data: [
      {
        id: 'PT4KHLK',
        team_id: 'PQ9K7I8',
        team_name: 'Payments Team',
        service_id: 'PIJ90N7',
        service_name: 'My Mail Service',
        created_at: '2015-10-06T21:30:42Z',
        resolved_at: '2015-10-06T21:38:23Z',
        description: 'The server is on fire.',
        incident_number: 1234,
        urgency: 'high',
        major: true,
        priority_id: 'P53ZZH5',
        priority_name: 'P2',
        seconds_to_first_ack: 130,
        seconds_to_resolve: 461,
        seconds_to_engage: null,
        seconds_to_mobilize: null,
        engaged_seconds: 331,
        engaged_user_count: 1,
        escalation_count: 0,
        assignment_count: 1,
        business_hour_interruptions: 0,
        off_hour_interruptions: 1,
        sleep_hour_interruptions: 0,
        snoozed_seconds: 0,
        user_defined_effort_seconds: null,
      },
      {
        id: 'Q0ANALYT2',
        team_id: 'PQ9K7I9',
        team_name: 'Search Team',
        service_id: 'PSEARCH1',
        service_name: 'search',
        created_at: '2015-10-08T03:00:00Z',
        resolved_at: null,
        description: 'Search latency above SLO',
        incident_number: 1240,
        urgency: 'high',
        major: true,
        priority_id: null,
        priority_name: null,
        seconds_to_first_ack: 300,
        seconds_to_resolve: 3600,
      },
      {
        id: 'Q0ANALYT3',
        service_id: 'PUNKNOWN',
        service_name: 'Legacy Mainframe',
        created_at: '2015-10-09T12:00:00Z',
        resolved_at: '2015-10-09T12:30:00Z',
        description: 'Batch job late',
        urgency: 'low',
        major: false,
        priority_name: null,
        seconds_to_first_ack: null,
        seconds_to_resolve: 1800,
      },
    ],
  };
}

/**
 * Opsgenie Alert API v2, Get Alert response, as documented at
 * https://docs.opsgenie.com/docs/alert-api#get-alert, with `details` and tags naming the service
 * and cause as Pave reads them, and a team responder with its name.
 */
export function opsgenieGetAlertResponse() {
  return {
    data: {
      id: '70413a06-38d6-4c85-92b8-5ebc900d42e2',
      tinyId: '1791',
      alias: 'event_573',
      message: 'Our servers are in danger',
      status: 'closed',
      acknowledged: false,
      isSeen: true,
      tags: ['OverwriteQuietHours', 'Critical', 'service:search', 'cause:capacity'],
      snoozed: true,
      snoozedUntil: '2017-04-03T20:32:35.143Z',
      count: 79,
      lastOccurredAt: '2017-04-03T20:05:50.894Z',
      createdAt: '2017-03-21T20:32:52.353Z',
      updatedAt: '2017-04-03T20:32:57.301Z',
      source: 'Isengard',
      owner: 'morpheus@opsgenie.com',
      priority: 'P2',
      responders: [
        { id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team', name: 'search' },
        { id: 'bb4d9938-c3c2-455d-aaab-727aa701c0d8', type: 'user', username: 'grace@example.com' },
        { id: 'aee8a0de-c80f-4515-a232-501c0bc9d715', type: 'escalation' },
        { id: '80564037-1984-4f38-b98e-8a1f662df552', type: 'schedule' },
      ],
      integration: { id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', name: 'Nebuchadnezzar', type: 'API' },
      report: {
        ackTime: 15702,
        closeTime: 60503,
        acknowledgedBy: 'agent_smith@opsgenie.com',
        closedBy: 'neo@opsgenie.com',
      },
      actions: ['Restart', 'Update', 'Ping'],
      entity: 'EC2',
      description: 'Example description',
      details: { serverName: 'Zion', region: 'Oregon' },
    },
    took: 0.006,
    requestId: '9ae63dd7-ed00-4c81-86f0-c4ffd33142c9',
  };
}

/**
 * Opsgenie List Alerts response (https://docs.opsgenie.com/docs/alert-api#list-alerts): the second
 * alert is the documented open P5 alert; the third has a priority Opsgenie does not have.
 */
export function opsgenieListAlertsResponse() {
  const first = opsgenieGetAlertResponse().data;
  return {
    data: [
      first,
      {
        id: '8418d193-2dab-4490-b331-8c02cdd196b7',
        tinyId: '1792',
        alias: 'event_574',
        message: 'Sample Message',
        status: 'open',
        acknowledged: false,
        isSeen: false,
        tags: ['RandomTag'],
        snoozed: false,
        count: 1,
        lastOccurredAt: '2017-03-21T20:32:52.353Z',
        createdAt: '2017-03-21T20:32:52.353Z',
        updatedAt: '2017-04-03T20:32:57.301Z',
        source: 'Zion',
        owner: '',
        priority: 'P5',
        responders: [],
        integration: {
          id: '4513b7ea-3b91-b7e4-438f-e3e54af9147c',
          name: 'My_Lovely_Amazon',
          type: 'CloudWatch',
        },
      },
      {
        id: 'c1d2e3f4-0000-4000-8000-000000000003',
        message: 'Disk almost full',
        status: 'open',
        createdAt: '2017-03-22T10:00:00.000Z',
        updatedAt: '2017-03-22T10:00:00.000Z',
        priority: 'P7',
      },
    ],
    paging: { first: 'https://api.opsgenie.com/v2/alerts?limit=100&sort=createdAt&offset=0&order=desc' },
    took: 0.605,
    requestId: '9ae63dd7-ed00-4c81-86f0-c4ffd33142c9',
  };
}

/**
 * A PagerDuty v3 webhook payload, after the documented `incident.priority_updated` example
 * (https://developer.pagerduty.com/docs/webhooks-overview#webhook-payload) with `event_type`,
 * `id` and `occurred_at` set by the caller.
 */
export function pagerDutyWebhook(
  eventType: string,
  eventId: string,
  occurredAt: string,
  status = 'triggered',
) {
  return {
    event: {
      id: eventId,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: occurredAt,
      agent: {
        html_url: 'https://acme.pagerduty.com/users/PLH1HKV',
        id: 'PLH1HKV',
        self: 'https://api.pagerduty.com/users/PLH1HKV',
        summary: 'Tenex Engineer',
        type: 'user_reference',
      },
      client: { name: 'PagerDuty' },
      data: {
        id: 'PGR0VU2',
        type: 'incident',
        self: 'https://api.pagerduty.com/incidents/PGR0VU2',
        html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
        number: 2,
        status,
        incident_key: 'd3640fbd41094207a1c11e58e46b1662',
        created_at: '2020-04-09T15:16:27Z',
        title: 'A little bump in the road',
        service: {
          html_url: 'https://acme.pagerduty.com/services/PF9KMXH',
          id: 'PF9KMXH',
          self: 'https://api.pagerduty.com/services/PF9KMXH',
          summary: 'API Service',
          type: 'service_reference',
        },
        assignees: [
          {
            html_url: 'https://acme.pagerduty.com/users/PTUXL6G',
            id: 'PTUXL6G',
            self: 'https://api.pagerduty.com/users/PTUXL6G',
            summary: 'User 123',
            type: 'user_reference',
          },
        ],
        escalation_policy: {
          html_url: 'https://acme.pagerduty.com/escalation_policies/PUS0KTE',
          id: 'PUS0KTE',
          self: 'https://api.pagerduty.com/escalation_policies/PUS0KTE',
          summary: 'Default',
          type: 'escalation_policy_reference',
        },
        teams: [
          {
            html_url: 'https://acme.pagerduty.com/teams/PFCVPS0',
            id: 'PFCVPS0',
            self: 'https://api.pagerduty.com/teams/PFCVPS0',
            summary: 'Engineering',
            type: 'team_reference',
          },
        ],
        priority: {
          html_url: 'https://acme.pagerduty.com/account/incident_priorities',
          id: 'PSO75BM',
          self: 'https://api.pagerduty.com/priorities/PSO75BM',
          summary: 'P1',
          type: 'priority_reference',
        },
        urgency: 'high',
        conference_bridge: {
          conference_number: '+1 1234123412,,987654321#',
          conference_url: 'https://example.com',
        },
        resolve_reason: null,
      },
    },
  };
}
