import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogDomain } from '../catalog/index.js';
import { loadConfig } from '../core/config.js';
import { createApp } from '../server/createApp.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { deliveryDomain } from './index.js';
import { computeDora } from './metrics.js';
import { importTestCatalog, openDeliveryStore } from './testing/deliveryStore.js';
import { fixturePath } from './testing/records.js';

const SECRET = "It's a Secret to Everybody";
const TOKEN = 'api-token';
const github = fixturePath('github-webhooks', 'payload-examples', 'api.github.com');
const auth = { authorization: `Bearer ${TOKEN}` };

function signature(body: string | Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function count(store: Store, table: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

const deployed = (id: string, timestamp: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    context: {
      specversion: '0.4.1',
      id,
      source: '/ci/acme',
      type: 'dev.cdevents.service.deployed.0.1.1',
      timestamp,
    },
    subject: { id: 'checkout', source: '/ci/acme', content: { environment: { id: 'production' } } },
    ...extra,
  });

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`delivery routes on ${factory.engine}`, () => {
    let store: Store;
    let app: OpenAPIHono;
    beforeEach(async () => {
      store = await openDeliveryStore(factory);
      await importTestCatalog(store);
      const config = loadConfig({
        cwd: tmpdir(),
        env: {
          PAVE_GITHUB_WEBHOOK_SECRET: SECRET,
          PAVE_GITLAB_WEBHOOK_TOKEN: 'gitlab-token',
          PAVE_API_TOKENS: TOKEN,
        },
      });
      app = createApp({
        store,
        config,
        domains: [catalogDomain, deliveryDomain],
        version: 'test',
        log: () => {},
      });
    });
    afterEach(async () => store?.close());

    it('accepts a signed GitHub delivery, refuses a bad signature with 401 and stores nothing', async () => {
      const body = readFileSync(path.join(github, 'deployment', 'payload.json'));
      const headers = { 'x-github-event': 'deployment', 'x-github-delivery': 'd-1' };
      const bad = await app.request('/api/v1/webhooks/github', {
        method: 'POST',
        body,
        headers: { ...headers, 'x-hub-signature-256': signature(body, 'wrong secret') },
      });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect(await count(store, 'delivery_deployments')).toBe(0);
      const missing = await app.request('/api/v1/webhooks/github', { method: 'POST', body, headers });
      expect(missing.status).toBe(401);
      expect(await count(store, 'delivery_deployments')).toBe(0);

      // The signature is over the bytes as sent: re-serialising the JSON would break it.
      const spaced = Buffer.concat([body, Buffer.from('\n  ')]);
      const good = await app.request('/api/v1/webhooks/github', {
        method: 'POST',
        body: spaced,
        headers: { ...headers, 'x-hub-signature-256': signature(spaced) },
      });
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ events: 1, stored: { deployments: 1 }, errors: 0 });
      const retry = await app.request('/api/v1/webhooks/github', {
        method: 'POST',
        body: spaced,
        headers: { ...headers, 'x-hub-signature-256': signature(spaced) },
      });
      expect(await retry.json()).toMatchObject({ stored: {}, unchanged: 1 });
    });

    it('checks the GitLab token', async () => {
      const body = JSON.stringify({
        object_kind: 'deployment',
        status: 'success',
        status_changed_at: '2024-03-04 12:00:00 +0100',
        deployment_id: 15,
        environment: 'production',
        environment_tier: 'production',
        project: { path_with_namespace: 'acme/ledger' },
        commit_url: `https://gitlab.example.com/acme/ledger/-/commit/${'a'.repeat(40)}`,
      });
      const headers = { 'x-gitlab-event': 'Deployment Hook' };
      const bad = await app.request('/api/v1/webhooks/gitlab', {
        method: 'POST',
        body,
        headers: { ...headers, 'x-gitlab-token': 'nope' },
      });
      expect(bad.status).toBe(401);
      const good = await app.request('/api/v1/webhooks/gitlab', {
        method: 'POST',
        body,
        headers: { ...headers, 'x-gitlab-token': 'gitlab-token' },
      });
      expect(good.status).toBe(200);
      const [row] = await store.query<{ finished_at: Date }>('SELECT finished_at FROM delivery_deployments');
      expect(row!.finished_at.toISOString()).toBe('2024-03-04T11:00:00.000Z');
    });

    it('ingests CDEvents NDJSON: keeps valid events with 207, locates errors, 400 when atomic or when nothing is valid', async () => {
      const ndjson = [
        deployed('e1', '2024-03-04T12:00:00Z'),
        '{"context": 1}',
        deployed('e3', '2024-03-05T12:00:00Z'),
      ].join('\n');
      const unauthenticated = await app.request('/api/v1/events', { method: 'POST', body: ndjson });
      expect(unauthenticated.status).toBe(401);
      const atomic = await app.request('/api/v1/events?atomic=true', {
        method: 'POST',
        body: ndjson,
        headers: auth,
      });
      expect(atomic.status).toBe(400);
      expect(await count(store, 'delivery_deployments')).toBe(0);
      const partial = await app.request('/api/v1/events', { method: 'POST', body: ndjson, headers: auth });
      expect(partial.status).toBe(207);
      const report = await partial.json();
      expect(report).toMatchObject({ events: 3, stored: { deployments: 2 }, errors: 1 });
      expect(report.problems).toEqual([
        {
          severity: 'error',
          message: 'must be an object, not 1',
          file: 'request body',
          pointer: '/context',
          line: 2,
        },
      ]);
      const allBad = await app.request('/api/v1/events', { method: 'POST', body: '[1, 2]', headers: auth });
      expect(allBad.status).toBe(400);
      expect((await allBad.json()).problems.map((p: { pointer: string }) => p.pointer)).toEqual(['/0', '/1']);
      const structured = await app.request('/api/v1/events', {
        method: 'POST',
        body: JSON.stringify({
          specversion: '1.0',
          id: 'x',
          source: '/s',
          type: 't',
          data: JSON.parse(deployed('e9', '2024-03-06T12:00:00Z')),
        }),
        headers: { ...auth, 'content-type': 'application/cloudevents+json' },
      });
      expect(await structured.json()).toMatchObject({ stored: { deployments: 1 } });
    });

    it('records a deployment idempotently and rejects a bad one with its pointer', async () => {
      const body = {
        id: 'ci-run-42',
        service: 'component:default/checkout',
        environment: 'production',
        sha: 'ABCDEF1234567',
        finishedAt: '2024-03-04T12:00:00Z',
      };
      const post = (json: unknown) =>
        app.request('/api/v1/deployments', {
          method: 'POST',
          body: JSON.stringify(json),
          headers: { ...auth, 'content-type': 'application/json' },
        });
      const first = await post(body);
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({
        outcome: 'created',
        deployment: { id: 'ci-run-42', sha: 'abcdef1234567', status: 'success', source: 'pave' },
        component: 'component:default/checkout',
        warnings: [],
      });
      expect(await (await post(body)).json()).toMatchObject({ outcome: 'unchanged' });
      const bad = await post({ ...body, id: 'ci-run-43', sha: 'not-a-sha' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).problems).toEqual([
        expect.objectContaining({
          pointer: '/sha',
          message: 'sha: "not-a-sha" is not a commit sha (7 to 64 hex digits)',
        }),
      ]);
      const missing = await post({ environment: 'production' });
      expect(missing.status).toBe(400);
      expect((await missing.json()).problems[0].pointer).toBe('/service');

      const explained = await app.request('/api/v1/deployments/ci-run-42');
      expect(explained.status).toBe(200);
      expect(await explained.json()).toMatchObject({ counted: true, baseline: true });
      expect((await app.request('/api/v1/deployments/none')).status).toBe(404);
    });

    it('keeps a deployment of a service the catalog does not know, with a warning', async () => {
      const response = await app.request('/api/v1/deployments', {
        method: 'POST',
        body: JSON.stringify({ id: 'early-1', service: 'nosuch', environment: 'production' }),
        headers: { ...auth, 'content-type': 'application/json' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        outcome: 'created',
        deployment: { id: 'early-1', service: 'nosuch' },
        component: null,
        warnings: [
          'service nosuch matches no catalog component: the deployment is kept and counted at organisation scope as unattributed until the catalog names it',
        ],
      });
      expect(await count(store, 'delivery_deployments')).toBe(1);
    });

    it('lists deployments a page at a time, and refuses a malformed cursor with 400', async () => {
      for (const [i, service] of ['acme/checkout', 'nosuch', 'ledger'].entries()) {
        await app.request('/api/v1/deployments', {
          method: 'POST',
          body: JSON.stringify({
            id: `run-${i}`,
            service,
            environment: 'production',
            finishedAt: `2024-03-0${i + 4}T12:00:00Z`,
          }),
          headers: { ...auth, 'content-type': 'application/json' },
        });
      }
      const first = await app.request('/api/v1/deployments?limit=2');
      expect(first.status).toBe(200);
      const page = await first.json();
      expect(
        page.items.map((item: { id: string; component: string | null }) => [item.id, item.component]),
      ).toEqual([
        ['run-2', 'component:default/ledger'],
        ['run-1', null],
      ]);
      expect(typeof page.nextCursor).toBe('string');
      const second = await (
        await app.request(`/api/v1/deployments?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`)
      ).json();
      expect(second.items.map((item: { id: string }) => item.id)).toEqual(['run-0']);
      expect(second).not.toHaveProperty('nextCursor');
      const bad = await app.request('/api/v1/deployments?cursor=garbage');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect((await bad.json()).detail).toMatch(/cursor: not a cursor this API returned/);
      expect((await app.request('/api/v1/deployments?limit=1001')).status).toBe(400);
    });

    it('serves the same DORA report as computeDora, and the CI report', async () => {
      for (const [i, day] of [4, 5, 6].entries()) {
        await app.request('/api/v1/deployments', {
          method: 'POST',
          body: JSON.stringify({
            id: `run-${i}`,
            service: 'acme/checkout',
            environment: 'prod',
            finishedAt: `2024-03-0${day}T12:00:00Z`,
          }),
          headers: { ...auth, 'content-type': 'application/json' },
        });
      }
      const response = await app.request(
        '/api/v1/metrics/dora?scope=team:payments&from=2024-03-04&to=2024-03-10&bucket=week',
      );
      expect(response.status).toBe(200);
      const report = await response.json();
      const direct = await computeDora(store, {
        scope: 'team:payments',
        from: new Date('2024-03-04T00:00:00Z'),
        to: new Date('2024-03-11T00:00:00Z'),
        bucket: 'week',
      });
      expect(report).toEqual(JSON.parse(JSON.stringify(direct)));
      expect(report.deploymentFrequency).toMatchObject({ deployments: 3, deployDays: 3 });
      const badScope = await app.request('/api/v1/metrics/dora?scope=team:nobody');
      expect(badScope.status).toBe(404);
      const badZone = await app.request('/api/v1/metrics/dora?tz=Mars/Olympus');
      expect(badZone.status).toBe(400);
      const wider = await app.request('/api/v1/metrics/dora?incidentWindow=72h');
      expect(wider.status).toBe(200);
      expect((await wider.json()).incidentWindowSeconds).toBe(72 * 3600);
      const badWindow = await app.request('/api/v1/metrics/dora?incidentWindow=soon');
      expect(badWindow.status).toBe(400);
      expect((await badWindow.json()).detail).toMatch(/incidentWindow must be a duration/);
      const ci = await app.request('/api/v1/metrics/ci?from=2024-03-01&to=2024-03-31');
      expect(await ci.json()).toMatchObject({
        scope: 'org',
        totals: { runs: 0 },
        pipelines: [],
        flakyTests: [],
      });
    });

    it('asks for an API token on webhooks without their own secret once tokens are configured', async () => {
      const tokensOnly = createApp({
        store,
        config: loadConfig({ cwd: tmpdir(), env: { PAVE_API_TOKENS: TOKEN } }),
        domains: [catalogDomain, deliveryDomain],
        version: 'test',
        log: () => {},
      });
      const body = readFileSync(path.join(github, 'push', 'payload.json'));
      const headers = { 'x-github-event': 'push', 'x-github-delivery': 'unsigned-1' };
      const unsigned = await tokensOnly.request('/api/v1/webhooks/github', { method: 'POST', body, headers });
      expect(unsigned.status).toBe(401);
      const gitlab = await tokensOnly.request('/api/v1/webhooks/gitlab', {
        method: 'POST',
        body: '{"object_kind":"push"}',
        headers: { 'x-gitlab-event': 'Push Hook' },
      });
      expect(gitlab.status).toBe(401);
      expect(await count(store, 'delivery_raw_events')).toBe(0);
      expect(await count(store, 'delivery_pushes')).toBe(0);
      const withToken = await tokensOnly.request('/api/v1/webhooks/github', {
        method: 'POST',
        body,
        headers: { ...headers, ...auth },
      });
      expect(withToken.status).toBe(200);
    });

    it('documents its routes in the OpenAPI document', async () => {
      const document = await (await app.request('/openapi.json')).json();
      for (const route of [
        '/api/v1/deployments',
        '/api/v1/deployments/{id}',
        '/api/v1/events',
        '/api/v1/webhooks/github',
        '/api/v1/webhooks/gitlab',
        '/api/v1/metrics/dora',
        '/api/v1/metrics/ci',
      ]) {
        expect(Object.keys(document.paths)).toContain(route);
      }
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining([
          'DoraReport',
          'CiReport',
          'DeploymentExplanation',
          'IngestReport',
          'DeploymentInput',
          'DeploymentPage',
          'DeploymentListItem',
        ]),
      );
    });
  });
}
