/**
 * The incident API end to end in-process (`app.request`) on both stores: create, update, get, list,
 * import, 404 and 401 problems, the PagerDuty webhook's signature (good, bad, several, missing) and
 * its idempotent redeliveries, and the stats and on-call load answers.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogDomain } from '../../catalog/index.js';
import { loadConfig } from '../../core/config.js';
import type { Domain } from '../../core/domain.js';
import { tempFolder } from '../../core/testing/tempFiles.js';
import { createApp } from '../../server/createApp.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { incidentMigrations } from './migrations.js';
import { incidentRoutes } from './routes.js';
import { importTestCatalog } from './testing/catalogFixture.js';
import { pagerDutyListResponse, pagerDutyWebhook } from './testing/payloads.js';

const conformance = path.resolve(import.meta.dirname, '../../../../shared/fixtures/cdevents/conformance');
const TOKEN = 'test-token';
const SECRET = 'pd-webhook-secret';

const incidentsDomain: Domain = {
  name: 'incidents',
  migrations: incidentMigrations,
  commands: [],
  routes: incidentRoutes,
};
const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`incident API on ${factory.engine}`, () => {
    let store: Store;
    let app: OpenAPIHono;
    beforeEach(async () => {
      store = await factory.open([...catalogDomain.migrations, ...incidentMigrations]);
      await importTestCatalog(store);
      const config = loadConfig({
        cwd: tempFolder(),
        env: { PAVE_API_TOKENS: TOKEN, PAVE_PAGERDUTY_WEBHOOK_SECRET: SECRET },
      });
      app = createApp({
        store,
        config,
        domains: [catalogDomain, incidentsDomain],
        version: 'test',
        log: () => {},
      });
    });
    afterEach(async () => {
      await store.close();
    });

    const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(url, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });

    it('creates, reads, updates and lists an incident', async () => {
      const created = await send('POST', '/api/v1/incidents', {
        id: 'INC-9',
        title: 'Search is slow',
        severity: 'P2',
        startedAt: '2024-05-01T10:00:00Z',
        services: ['search'],
        causeCategory: 'capacity',
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        id: 'pave:INC-9',
        severity: 'SEV2',
        status: 'triggered',
        services: ['component:default/search'],
      });

      const again = await send('POST', '/api/v1/incidents', {
        id: 'INC-9',
        title: 'x',
        startedAt: '2024-05-01T10:00:00Z',
      });
      expect(again.status).toBe(409);

      const patched = await send('PATCH', '/api/v1/incidents/pave:INC-9', {
        acknowledgedAt: '2024-05-01T10:05:00Z',
        resolvedAt: '2024-05-01T11:00:00Z',
        postmortem: { url: 'https://wiki/pm/9', dueDate: '2024-05-08' },
        actionItems: [
          { title: 'Add a search replica', ownerTeam: 'search', priority: 'P1', dueDate: '2024-05-20' },
        ],
      });
      expect(patched.status).toBe(200);
      // A retried patch (an item without id, the same title) adds no second item.
      const retried = await send('PATCH', '/api/v1/incidents/pave:INC-9', {
        actionItems: [{ title: 'Add a search replica', dueDate: '2024-05-20' }],
      });
      expect(((await retried.json()) as { actionItems: unknown[] }).actionItems).toHaveLength(1);
      const body = (await patched.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: 'resolved',
        acknowledgedAt: '2024-05-01T10:05:00.000Z',
        postmortem: { url: 'https://wiki/pm/9', status: 'draft', dueDate: '2024-05-08' },
        actionItems: [
          { id: 'ai-1', title: 'Add a search replica', ownerTeam: 'group:default/search', status: 'open' },
        ],
      });
      // A second patch completes the action item by id and clears the acknowledgement.
      const second = await send('PATCH', '/api/v1/incidents/pave:INC-9', {
        acknowledgedAt: null,
        actionItems: [{ id: 'ai-1', status: 'done', completedAt: '2024-05-10T09:00:00Z' }],
      });
      expect(await second.json()).toMatchObject({ actionItems: [{ id: 'ai-1', status: 'done' }] });
      const fetched = await app.request('/api/v1/incidents/pave:INC-9');
      const incident = (await fetched.json()) as Record<string, unknown>;
      expect(incident.acknowledgedAt).toBeUndefined();

      const list = await app.request('/api/v1/incidents?service=search&severity=SEV2');
      expect(await list.json()).toMatchObject({
        totalItems: 1,
        items: [{ id: 'pave:INC-9', postmortemStatus: 'draft' }],
      });
      const team = await app.request('/api/v1/incidents?team=payments');
      expect(await team.json()).toMatchObject({ totalItems: 0 });
    });

    it('answers problems: out-of-order patch with its pointer, 404, 401, unknown severity', async () => {
      await send('POST', '/api/v1/incidents', { id: 'A', title: 'a', startedAt: '2024-05-01T10:00:00Z' });
      const bad = await send('PATCH', '/api/v1/incidents/pave:A', { resolvedAt: '2024-05-01T09:00:00Z' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await bad.json()) as { problems: { pointer: string; message: string }[] };
      expect(problem.problems[0]).toMatchObject({ pointer: '/resolvedAt' });
      expect(problem.problems[0]!.message).toMatch(/^resolvedAt .* is before startedAt/);

      expect((await app.request('/api/v1/incidents/pave:nope')).status).toBe(404);
      expect((await send('PATCH', '/api/v1/incidents/pave:nope', { title: 'x' })).status).toBe(404);

      const unauthorized = await app.request('/api/v1/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x', startedAt: '2024-05-01T10:00:00Z' }),
      });
      expect(unauthorized.status).toBe(401);
      const wrongToken = await send(
        'PATCH',
        '/api/v1/incidents/pave:A',
        { title: 'x' },
        { authorization: 'Bearer nope' },
      );
      expect(wrongToken.status).toBe(401);

      const severity = await send('POST', '/api/v1/incidents', {
        title: 'x',
        severity: 'P0',
        startedAt: '2024-05-01T10:00:00Z',
      });
      expect(severity.status).toBe(400);
      expect(((await severity.json()) as { problems: { pointer: string }[] }).problems[0]!.pointer).toBe(
        '/severity',
      );
      expect(await store.query("SELECT id FROM incidents WHERE title = 'x'")).toEqual([]);
    });

    it('imports the CDEvents conformance incident and serves it by its URL-encoded id', async () => {
      const events = ['incident_detected', 'incident_resolved'].map((name) =>
        JSON.parse(readFileSync(path.join(conformance, `${name}.json`), 'utf8')),
      );
      const response = await send('POST', '/api/v1/incidents/import?source=cdevents', JSON.stringify(events));
      expect(await response.json()).toMatchObject({ read: 2, added: 1, errors: 0 });
      const id = 'cdevents:/monitoring/prod1/incident-123';
      const fetched = await app.request(`/api/v1/incidents/${encodeURIComponent(id)}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toMatchObject({
        id,
        status: 'resolved',
        services: ['component:default/myapp'],
      });
    });

    it('finds an incident by the id given at creation, and lists the candidates of an ambiguous one', async () => {
      await send('POST', '/api/v1/incidents', {
        id: 'INC-7',
        title: 'Cart errors',
        startedAt: '2024-05-01T10:00:00Z',
      });
      const fetched = await app.request('/api/v1/incidents/INC-7');
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toMatchObject({ id: 'pave:INC-7', title: 'Cart errors' });
      const patched = await send('PATCH', '/api/v1/incidents/INC-7', { resolvedAt: '2024-05-01T11:00:00Z' });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ id: 'pave:INC-7', status: 'resolved' });

      // A CSV import brings csv:INC-7: the bare id no longer says which one.
      await send(
        'POST',
        '/api/v1/incidents/import?source=csv',
        'id,title,started_at\nINC-7,Cart errors (tracker),2024-05-01T10:00:00Z\n',
        { 'content-type': 'text/csv' },
      );
      const ambiguous = await app.request('/api/v1/incidents/INC-7');
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.headers.get('content-type')).toContain('application/problem+json');
      expect(((await ambiguous.json()) as { detail: string }).detail).toBe(
        'incident id INC-7 is ambiguous: csv:INC-7, pave:INC-7 match it; give the full id',
      );
      expect((await send('PATCH', '/api/v1/incidents/INC-7', { title: 'x' })).status).toBe(400);
      expect((await app.request('/api/v1/incidents/pave:INC-7')).status).toBe(200);
      expect((await app.request('/api/v1/incidents/INC-8')).status).toBe(404);
    });

    it('answers an import with 200, 207 when some records were rejected, 422 when nothing was stored', async () => {
      const csv = (...rows: string[]) => ['id,title,severity,started_at', ...rows].join('\n');
      const good = 'A,Checkout slow,SEV2,2024-05-01T10:00:00Z';
      const bad = ['B,Search down,SEV9,2024-05-02T10:00:00Z', 'C,Cart down,SEV1,2024-05-02 10:00'];
      const post = (body: string, query = '') =>
        send('POST', `/api/v1/incidents/import?source=csv${query}`, body, { 'content-type': 'text/csv' });

      const partial = await post(csv(good, ...bad));
      expect(partial.status).toBe(207);
      const report = (await partial.json()) as { problems: { row: number; pointer: string }[] };
      expect(report).toMatchObject({ read: 3, added: 1, rejected: 2, errors: 2 });
      expect(report.problems.map((p) => [p.row, p.pointer])).toEqual([
        [2, '/severity'],
        [3, '/started_at'],
      ]);

      for (const [body, query] of [
        [csv(...bad), ''],
        [csv('D,Login slow,SEV3,2024-05-03T10:00:00Z', ...bad), '&atomic=true'],
      ] as const) {
        const refused = await post(body, query);
        expect(refused.status).toBe(422);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await refused.json()) as { detail: string; problems: { row: number }[] };
        expect(problem.detail).toContain('nothing was imported');
        expect(problem.problems.map((p) => p.row)).toEqual(query ? [2, 3] : [1, 2]);
      }
      expect((await store.query('SELECT id FROM incidents')).map((row) => row.id)).toEqual(['csv:A']);

      const ok = await post(csv(good));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ read: 1, unchanged: 1, errors: 0 });

      const openapi = (await (await app.request('/openapi.json')).json()) as {
        paths: Record<string, { post: { responses: Record<string, unknown> } }>;
      };
      expect(Object.keys(openapi.paths['/api/v1/incidents/import']!.post.responses)).toEqual(
        expect.arrayContaining(['200', '207', '422']),
      );
    });

    it('imports a PagerDuty export through the API', async () => {
      const response = await send(
        'POST',
        '/api/v1/incidents/import?source=pagerduty',
        JSON.stringify(pagerDutyListResponse()),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ read: 2, added: 2, errors: 0 });
      const unauthorized = await app.request('/api/v1/incidents/import?source=csv', {
        method: 'POST',
        body: 'id,title\n',
      });
      expect(unauthorized.status).toBe(401);
    });

    it('verifies the PagerDuty signature; a bad one stores nothing', async () => {
      const body = JSON.stringify(pagerDutyWebhook('incident.triggered', 'evt-1', '2020-04-09T15:16:27Z'));
      const bad = await send('POST', '/api/v1/webhooks/pagerduty', body, {
        'x-pagerduty-signature': sign(body, 'another-secret'),
      });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const missing = await app.request('/api/v1/webhooks/pagerduty', { method: 'POST', body });
      expect(missing.status).toBe(401);
      // A body changed after signing.
      const tampered = await send('POST', '/api/v1/webhooks/pagerduty', body.replace('P1', 'P5'), {
        'x-pagerduty-signature': sign(body),
      });
      expect(tampered.status).toBe(401);
      expect(await store.query('SELECT id FROM incidents')).toEqual([]);

      // Several signatures during a secret rotation: one matching is enough.
      const good = await send('POST', '/api/v1/webhooks/pagerduty', body, {
        'x-pagerduty-signature': `${sign(body, 'old-secret')},${sign(body)}`,
      });
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ incidentId: 'pagerduty:PGR0VU2', report: { added: 1 } });
    });

    it('applies acknowledged and resolved events; redeliveries change nothing', async () => {
      const deliver = async (type: string, id: string, at: string, status: string) => {
        const body = JSON.stringify(pagerDutyWebhook(type, id, at, status));
        const response = await send('POST', '/api/v1/webhooks/pagerduty', body, {
          'x-pagerduty-signature': sign(body),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as { report: { added: number; updated: number; unchanged: number } };
      };
      // Out of order: the resolution arrives before the acknowledgement.
      await deliver('incident.triggered', 'evt-1', '2020-04-09T15:16:27Z', 'triggered');
      await deliver('incident.resolved', 'evt-3', '2020-04-09T15:50:00Z', 'resolved');
      await deliver('incident.acknowledged', 'evt-2', '2020-04-09T15:20:00Z', 'acknowledged');
      const redelivered = await deliver(
        'incident.acknowledged',
        'evt-2',
        '2020-04-09T15:20:00Z',
        'acknowledged',
      );
      expect(redelivered.report).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
      const incident = (await (await app.request('/api/v1/incidents/pagerduty:PGR0VU2')).json()) as Record<
        string,
        unknown
      >;
      expect(incident).toMatchObject({
        severity: 'SEV1',
        status: 'resolved',
        startedAt: '2020-04-09T15:16:27.000Z',
        acknowledgedAt: '2020-04-09T15:20:00.000Z',
        resolvedAt: '2020-04-09T15:50:00.000Z',
        services: ['component:default/payments-api'],
      });
      expect((incident.timeline as { id: string }[]).map((event) => event.id)).toEqual([
        'pagerduty-event:evt-1',
        'pagerduty-event:evt-2',
        'pagerduty-event:evt-3',
      ]);
      const pages = await store.query('SELECT id, synthetic FROM incident_notifications');
      expect(pages).toEqual([{ id: 'pagerduty:PGR0VU2:trigger:PTUXL6G', synthetic: true }]);
    });

    it('rejects a webhook that is not a v3 payload with a pointer', async () => {
      const body = JSON.stringify({ messages: [] });
      const response = await send('POST', '/api/v1/webhooks/pagerduty', body, {
        'x-pagerduty-signature': sign(body),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { problems: { pointer: string }[] }).problems[0]!.pointer).toBe(
        '/event',
      );
    });

    it('serves incident stats and on-call load', async () => {
      await send('POST', '/api/v1/incidents', {
        id: 'S1',
        title: 'Checkout down',
        severity: 'SEV1',
        startedAt: '2024-05-06T02:00:00Z',
        acknowledgedAt: '2024-05-06T02:04:00Z',
        resolvedAt: '2024-05-06T03:00:00Z',
        services: ['checkout'],
        pages: [{ sentAt: '2024-05-06T02:01:00Z', responder: 'ada', channel: 'phone' }],
      });
      const stats = await app.request(
        '/api/v1/incidents/stats?scope=team:payments&from=2024-05-01&to=2024-05-31',
      );
      expect(stats.status).toBe(200);
      expect(await stats.json()).toMatchObject({
        scope: 'team:group:default/payments',
        // A day given as `to` is included, as in the delivery metrics.
        to: '2024-06-01T00:00:00.000Z',
        incidents: 1,
        mttaSeconds: { n: 1, p50: null, status: 'insufficient_data' },
        mttrSeconds: { n: 1 },
      });
      const load = await app.request('/api/v1/oncall/load?scope=team:payments&from=2024-05-06&to=2024-05-12');
      // 02:01Z is 03:01 in London (BST), ada's time zone: a sleep-hour interruption.
      expect(await load.json()).toMatchObject({
        teams: [{ team: 'group:default/payments', pages: 1, sleepHours: 1 }],
      });
      const badScope = await app.request('/api/v1/incidents/stats?scope=galaxy:far');
      expect(badScope.status).toBe(400);
    });
  });
}
