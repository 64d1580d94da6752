/**
 * The HTTP app, end to end in-process: every request goes through `app.request`, against both
 * stores. The catalog's own rules are tested in `src/catalog`; these tests check the interface:
 * status codes, problem documents, parameters, tokens, limits, and that bad input stores nothing.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EntityDetailSchema, EntitySummarySchema } from '../catalog/model.js';
import { loadConfig } from '../core/config.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import { allMigrations, domains } from '../domains.js';
import { openPostgresStore } from '../store/postgres/PostgresStore.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { createApp } from './createApp.js';

const examples = path.resolve(import.meta.dirname, '../../../shared/fixtures/backstage/examples');

/** The example entity files whose references resolve among themselves, apart from APIs. */
const FIXTURE_FILES = [
  ...[
    'analytics-component',
    'artist-lookup-component',
    'aware-component',
    'different-namespace',
    'dream11-component',
    'mapping-component',
    'maps-analytics-component',
    'myservice-component',
    'odp-analytics-component',
    'petstore-component',
    'playback-lib-component',
    'playback-order-component',
    'podcast-api-component',
    'queue-proxy-component',
    'samdi-api-component',
    'searcher-component',
    'shuffle-api-component',
    'wayback-archive-component',
    'wayback-archive-ingestion-component',
    'wayback-archive-storage-component',
    'wayback-search-component',
    'workplace-component',
    'www-artist-component',
  ].map((name) => `components/${name}.yaml`),
  'systems/artist-engagement-portal-system.yaml',
  'systems/audio-playback-system.yaml',
  'systems/podcast-system.yaml',
  'resources/artists-db-resource.yaml',
  'domains/artists-domain.yaml',
  'domains/audio-domain.yaml',
  'domains/playback-domain.yaml',
  ...['backstage', 'boxoffice', 'infrastructure', 'team-a', 'team-b', 'team-c', 'team-d'].map(
    (name) => `acme/${name}-group.yaml`,
  ),
];

function fixture(file: string): string {
  return readFileSync(path.join(examples, file), 'utf8');
}

/** Several YAML files as one multi-document request body. */
function joinDocuments(texts: readonly string[]): string {
  return `${texts.map((text) => text.replace(/^---\s*\n/, '').trimEnd()).join('\n---\n')}\n`;
}

const FIXTURE_BODY = joinDocuments(FIXTURE_FILES.map(fixture));

interface RawEntity {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; description?: string; tags?: string[] };
  spec?: Record<string, unknown>;
}

/** The fixture entities as the YAML library reads them: the oracle the filters are checked against. */
const RAW_ENTITIES: RawEntity[] = parseAllDocuments(FIXTURE_BODY).map(
  (document) => document.toJS() as RawEntity,
);

function rawRef(entity: RawEntity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
}

/** A reference written in a descriptor, completed the way Backstage does (kind and namespace defaults). */
function completeRef(ref: unknown, defaultKind: string, namespace: string): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  if (!match) return undefined;
  return `${match[1] ?? defaultKind}:${match[2] ?? namespace}/${match[3]}`.toLowerCase();
}

function rawMatches(filter: (entity: RawEntity) => boolean): string[] {
  return RAW_ENTITIES.filter(filter).map(rawRef).sort();
}

const YAML = { 'content-type': 'application/yaml' };

function post(body: BodyInit, headers: Record<string, string> = YAML): RequestInit {
  return { method: 'POST', body, headers };
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  problems?: {
    severity: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
    pointer?: string;
  }[];
}

/** Checks `response` is an RFC 9457 problem document with `status`, and returns it. */
async function expectProblem(response: Response, status: number, url: string): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as ProblemBody;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^https:\/\/pave\.dev\/problems\/[a-z0-9-]+$/),
    title: expect.stringMatching(/\S/),
    status,
    detail: expect.stringMatching(/\S/),
    instance: new URL(url, 'http://localhost').pathname,
  });
  return body;
}

async function getJson<T>(app: OpenAPIHono, url: string): Promise<T> {
  const response = await app.request(url);
  expect(response.status, `${url}: ${response.status}`).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

interface Page {
  items: { ref: string; kind: string; name: string; owner?: string; system?: string; tags: string[] }[];
  totalItems: number;
  nextCursor?: string;
}

interface ImportReport {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  rejected: number;
  errors: number;
  warnings: number;
  problems: { severity: string; message: string; line?: number; column?: number; entityRef?: string }[];
}

async function allRefs(app: OpenAPIHono): Promise<string[]> {
  return (await getJson<Page>(app, '/api/v1/entities?limit=1000')).items.map((item) => item.ref);
}

const component = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
${extra}spec:
  type: service
  lifecycle: production
  owner: guests
`;

const GUESTS = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: guests
spec:
  type: team
  children: []
`;

for (const factory of testStores()) {
  const skip = factory.unavailable !== undefined;

  describe.skipIf(skip)(`HTTP app on ${factory.engine}`, () => {
    let dir: string;
    let store: Store;
    let app: OpenAPIHono;

    function makeApp(target: Store, overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
      return createApp({
        store: target,
        config: loadConfig({ env, cwd: dir, overrides }),
        domains,
        version: '9.9.9-test',
        log: () => {},
      });
    }

    beforeAll(async () => {
      dir = tempFolder();
      store = await factory.open(allMigrations());
      app = makeApp(store);
      const response = await app.request('/api/v1/catalog/import?location=fixtures', post(FIXTURE_BODY));
      expect(response.status).toBe(200);
      const report = (await response.json()) as ImportReport;
      expect(report).toMatchObject({ added: RAW_ENTITIES.length, errors: 0, rejected: 0 });
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('health', () => {
      it('answers /healthz and /readyz', async () => {
        expect(await getJson(app, '/healthz')).toEqual({ status: 'ok' });
        expect(await getJson(app, '/readyz')).toEqual({ status: 'ready', store: factory.engine });
      });

      it('is not ready once the store is closed, and says so as a problem', async () => {
        const other = await factory.open(allMigrations());
        const otherApp = makeApp(other);
        expect((await otherApp.request('/readyz')).status).toBe(200);
        await other.close();
        const problem = await expectProblem(await otherApp.request('/readyz'), 503, '/readyz');
        expect(problem.detail).toMatch(/store does not answer/);
        // The process itself is still alive.
        expect((await otherApp.request('/healthz')).status).toBe(200);
      });
    });

    describe('GET /api/v1/entities', () => {
      it('lists every entity, each shaped as EntitySummary', async () => {
        const page = await getJson<Page>(app, '/api/v1/entities?limit=1000');
        expect(page.totalItems).toBe(RAW_ENTITIES.length);
        expect(page.items.map((item) => item.ref)).toEqual(RAW_ENTITIES.map(rawRef).sort());
        expect(page.nextCursor).toBeUndefined();
        for (const item of page.items) EntitySummarySchema.parse(item);
      });

      const filters: [string, (entity: RawEntity) => boolean][] = [
        ['kind=Component', (e) => e.kind === 'Component'],
        ['namespace=alternative', (e) => e.metadata.namespace === 'alternative'],
        [
          'owner=team-a',
          (e) =>
            completeRef(e.spec?.owner, 'group', e.metadata.namespace ?? 'default') === 'group:default/team-a',
        ],
        [
          'owner=user:default/guest',
          (e) =>
            completeRef(e.spec?.owner, 'group', e.metadata.namespace ?? 'default') === 'user:default/guest',
        ],
        [
          'system=system:artist-engagement-portal',
          (e) =>
            completeRef(e.spec?.system, 'system', e.metadata.namespace ?? 'default') ===
            'system:default/artist-engagement-portal',
        ],
        ['lifecycle=experimental', (e) => e.spec?.lifecycle === 'experimental'],
        ['type=website', (e) => e.spec?.type === 'website'],
        ['tag=java', (e) => (e.metadata.tags ?? []).includes('java')],
        [
          'q=ARTIST',
          (e) =>
            [e.metadata.name, e.metadata.title, e.metadata.description].some((text) =>
              text?.toLowerCase().includes('artist'),
            ),
        ],
        [
          'kind=component&owner=team-a&lifecycle=experimental',
          (e) =>
            e.kind === 'Component' &&
            e.spec?.lifecycle === 'experimental' &&
            completeRef(e.spec?.owner, 'group', e.metadata.namespace ?? 'default') === 'group:default/team-a',
        ],
      ];
      for (const [query, matches] of filters) {
        it(`filters by ${query}`, async () => {
          const expected = rawMatches(matches);
          // Every filter must narrow the list, or this test proves nothing.
          expect(expected.length).toBeGreaterThan(0);
          expect(expected.length).toBeLessThan(RAW_ENTITIES.length);
          const page = await getJson<Page>(app, `/api/v1/entities?${query}&limit=1000`);
          expect(page.items.map((item) => item.ref)).toEqual(expected);
          expect(page.totalItems).toBe(expected.length);
        });
      }

      it('pages through everything with the cursor, in order, without repeats', async () => {
        const seen: string[] = [];
        let url = '/api/v1/entities?limit=7';
        let pages = 0;
        for (;;) {
          const page = await getJson<Page>(app, url);
          pages++;
          expect(page.totalItems).toBe(RAW_ENTITIES.length);
          expect(page.items.length).toBeLessThanOrEqual(7);
          seen.push(...page.items.map((item) => item.ref));
          if (!page.nextCursor) break;
          expect(page.items).toHaveLength(7);
          url = `/api/v1/entities?limit=7&cursor=${encodeURIComponent(page.nextCursor)}`;
        }
        expect(pages).toBe(Math.ceil(RAW_ENTITIES.length / 7));
        expect(seen).toEqual(RAW_ENTITIES.map(rawRef).sort());
      });

      it('pages a filtered list, the cursor keeping the filter', async () => {
        const expected = rawMatches((e) => e.kind === 'Component');
        const first = await getJson<Page>(app, '/api/v1/entities?kind=component&limit=5');
        expect(first.totalItems).toBe(expected.length);
        const second = await getJson<Page>(
          app,
          `/api/v1/entities?kind=component&limit=100&cursor=${first.nextCursor}`,
        );
        expect([...first.items, ...second.items].map((item) => item.ref)).toEqual(expected);
        expect(second.nextCursor).toBeUndefined();
      });

      it('takes limit from 1 to 1000', async () => {
        expect((await getJson<Page>(app, '/api/v1/entities?limit=1')).items).toHaveLength(1);
        expect((await getJson<Page>(app, '/api/v1/entities?limit=1000')).items).toHaveLength(
          RAW_ENTITIES.length,
        );
        for (const limit of ['0', '1001', '-5', '2.5', 'ten', '']) {
          const url = `/api/v1/entities?limit=${limit}`;
          const problem = await expectProblem(await app.request(url), 400, url);
          expect(problem.problems?.[0]).toMatchObject({
            severity: 'error',
            file: 'query',
            pointer: '/limit',
          });
          expect(problem.detail).toMatch(/limit/);
        }
      });

      it('rejects a cursor it did not issue', async () => {
        for (const cursor of ['bm90LWEtY3Vyc29y', '%%%', 'x'.repeat(1001)]) {
          const url = `/api/v1/entities?cursor=${cursor}`;
          const problem = await expectProblem(await app.request(url), 400, url);
          expect(problem.problems?.[0]).toMatchObject({ pointer: '/cursor' });
        }
      });

      it('rejects an unreasonably long search and a malformed owner', async () => {
        const long = `/api/v1/entities?q=${'a'.repeat(201)}`;
        expect((await expectProblem(await app.request(long), 400, long)).problems?.[0]).toMatchObject({
          pointer: '/q',
        });
        const owner = '/api/v1/entities?owner=group:';
        expect((await expectProblem(await app.request(owner), 400, owner)).detail).toMatch(/owner/);
      });
    });

    describe('GET /api/v1/entities/{kind}/{namespace}/{name}', () => {
      it('returns the entity, its relations and no warnings when its references resolve', async () => {
        const detail = EntityDetailSchema.parse(
          await getJson(app, '/api/v1/entities/component/default/artist-lookup'),
        );
        expect(detail.ref).toBe('component:default/artist-lookup');
        expect(detail.entity.metadata.name).toBe('artist-lookup');
        expect(detail.entity.metadata.tags).toEqual(['java', 'data']);
        expect(detail.relations).toEqual(
          expect.arrayContaining([
            { sourceRef: detail.ref, type: 'ownedBy', targetRef: 'group:default/team-a' },
            { sourceRef: detail.ref, type: 'partOf', targetRef: 'system:default/artist-engagement-portal' },
            { sourceRef: detail.ref, type: 'dependsOn', targetRef: 'resource:default/artists-db' },
          ]),
        );
        expect(detail.warnings).toEqual([]);
      });

      it('lists the warnings of an entity whose references dangle', async () => {
        const detail = EntityDetailSchema.parse(
          await getJson(app, '/api/v1/entities/component/default/petstore'),
        );
        const messages = detail.warnings.map((warning) => warning.message);
        // petstore is owned by `sre` and provides APIs, none of which the fixture body defines.
        expect(messages).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/ownedBy group:default\/sre: no such entity/),
            expect.stringMatching(/providesApi api:default\/petstore: no such entity/),
          ]),
        );
        for (const warning of detail.warnings) expect(warning.severity).toBe('warning');
      });

      it('finds an entity whatever the case of the path', async () => {
        const detail = await getJson<{ ref: string }>(
          app,
          '/api/v1/entities/Component/Default/Artist-Lookup',
        );
        expect(detail.ref).toBe('component:default/artist-lookup');
        const other = await getJson<{ ref: string }>(
          app,
          '/api/v1/entities/COMPONENT/alternative/different-namespace',
        );
        expect(other.ref).toBe('component:alternative/different-namespace');
      });

      it('answers 404 problems for an entity that is not there', async () => {
        for (const url of [
          '/api/v1/entities/component/default/no-such-thing',
          '/api/v1/entities/component/alternative/artist-lookup',
          '/api/v1/entities/group/default/artist-lookup',
        ]) {
          const problem = await expectProblem(await app.request(url), 404, url);
          expect(problem.detail).toMatch(/no entity .* in the catalog/);
        }
      });
    });

    describe('GET .../graph', () => {
      it('walks dependencies and dependents', async () => {
        interface Graph {
          root: string;
          direction: string;
          depth: number;
          nodes: { ref: string; distance: number; missing?: boolean }[];
          edges: { source: string; type: string; target: string }[];
        }
        const down = await getJson<Graph>(app, '/api/v1/entities/component/default/artist-lookup/graph');
        expect(down).toMatchObject({
          root: 'component:default/artist-lookup',
          direction: 'dependencies',
          depth: 5,
        });
        expect(down.nodes).toContainEqual(
          expect.objectContaining({ ref: 'resource:default/artists-db', distance: 1 }),
        );
        expect(down.edges).toContainEqual({
          source: 'component:default/artist-lookup',
          type: 'dependsOn',
          target: 'resource:default/artists-db',
        });

        const up = await getJson<Graph>(
          app,
          '/api/v1/entities/resource/default/artists-db/graph?direction=dependents&depth=1',
        );
        expect(up.direction).toBe('dependents');
        const expected = rawMatches((e) =>
          ((e.spec?.dependsOn as string[] | undefined) ?? []).some(
            (ref) =>
              completeRef(ref, 'component', e.metadata.namespace ?? 'default') ===
              'resource:default/artists-db',
          ),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(
          up.nodes
            .filter((node) => node.distance === 1)
            .map((node) => node.ref)
            .sort(),
        ).toEqual(expected);
        expect(Math.max(...up.nodes.map((node) => node.distance))).toBe(1);
      });

      it('stops at the depth asked for', async () => {
        // The websites consume artist-lookup, which depends on artists-db: a two-hop chain.
        const consumers = rawMatches((e) =>
          ((e.spec?.consumesApis as string[] | undefined) ?? []).includes('component:artist-lookup'),
        );
        expect(consumers.length).toBeGreaterThan(1);
        const hops = async (url: string) =>
          Object.fromEntries(
            (await getJson<{ nodes: { ref: string; distance: number }[] }>(app, url)).nodes.map((node) => [
              node.ref,
              node.distance,
            ]),
          );
        const base = '/api/v1/entities/component/default/www-artist/graph';
        expect(await hops(`${base}?depth=1`)).toEqual({
          'component:default/www-artist': 0,
          'component:default/artist-lookup': 1,
        });
        expect(await hops(`${base}?depth=2`)).toEqual({
          'component:default/www-artist': 0,
          'component:default/artist-lookup': 1,
          'resource:default/artists-db': 2,
        });
        const blast = await hops(
          '/api/v1/entities/resource/default/artists-db/graph?direction=dependents&depth=2',
        );
        expect(blast).toMatchObject({
          'resource:default/artists-db': 0,
          'component:default/artist-lookup': 1,
        });
        for (const consumer of consumers) expect(blast[consumer]).toBe(2);
      });

      it('takes depth from 1 to 20 and direction dependencies or dependents', async () => {
        const base = '/api/v1/entities/component/default/artist-lookup/graph';
        expect((await getJson<{ depth: number }>(app, `${base}?depth=20`)).depth).toBe(20);
        for (const [query, pointer] of [
          ['depth=0', '/depth'],
          ['depth=21', '/depth'],
          ['depth=deep', '/depth'],
          ['direction=up', '/direction'],
        ] as const) {
          const url = `${base}?${query}`;
          const problem = await expectProblem(await app.request(url), 400, url);
          expect(problem.problems?.[0]).toMatchObject({ pointer });
        }
        const missing = '/api/v1/entities/component/default/ghost/graph';
        await expectProblem(await app.request(missing), 404, missing);
      });
    });

    describe('POST /api/v1/catalog/validate', () => {
      const url = '/api/v1/catalog/validate';

      it('reports the two errors of invalid-component.yaml with line and column, storing nothing', async () => {
        const before = await allRefs(app);
        const response = await app.request(url, post(fixture('components/invalid-component.yaml')));
        expect(response.status).toBe(200);
        const report = (await response.json()) as ImportReport & { entities: number; valid: number };
        expect(report).toMatchObject({ entities: 1, valid: 0, errors: 2, warnings: 0 });
        expect(report.problems.map((p) => [p.severity, p.line, p.column, p.entityRef])).toEqual([
          ['error', 4, 3, 'component:default/invalid component'],
          ['error', 11, 7, 'component:default/invalid component'],
        ]);
        expect(report.problems[0]!.message).toMatch(/metadata\.name "invalid component"/);
        expect(report.problems[1]!.message).toMatch(/tag "go 1\.15\.3"/);
        expect(await allRefs(app)).toEqual(before);
      });

      it('validates the fixtures clean, and with strict=true turns dangling references into errors', async () => {
        const body = fixture('components/petstore-component.yaml');
        const lenient = (await (await app.request(url, post(body))).json()) as ImportReport;
        expect(lenient.errors).toBe(0);
        const strict = (await (await app.request(`${url}?strict=true`, post(body))).json()) as ImportReport;
        expect(strict.errors).toBeGreaterThan(0);
        expect(strict.errors).toBe(lenient.warnings);
      });

      it('locates YAML syntax errors and duplicate keys by line and column', async () => {
        const body =
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\nspec: {}\n';
        const report = (await (await app.request(url, post(body))).json()) as ImportReport;
        expect(report.errors).toBeGreaterThan(0);
        for (const problem of report.problems) {
          expect(problem).toMatchObject({ severity: 'error', file: 'request body' });
          expect(problem.line).toBeGreaterThanOrEqual(4);
          expect(problem.column).toBeGreaterThanOrEqual(1);
        }
        const duplicate = (await (
          await app.request(url, post(`${component('twice')}metadata:\n  name: again\n`))
        ).json()) as ImportReport;
        expect(duplicate.problems).toContainEqual(
          expect.objectContaining({
            severity: 'error',
            message: expect.stringMatching(/unique/),
            line: 9,
            column: 1,
          }),
        );
      });

      it('refuses a body that is not YAML, and an empty one', async () => {
        const json = await app.request(
          url,
          post('{"kind":"Component"}', { 'content-type': 'application/json' }),
        );
        expect((await expectProblem(json, 415, url)).detail).toMatch(/application\/yaml/);
        for (const body of ['', '  \n\n']) {
          const problem = await expectProblem(await app.request(url, post(body)), 400, url);
          expect(problem.detail).toMatch(/empty/);
        }
      });

      it('accepts text/yaml with a charset and text/plain', async () => {
        for (const type of ['text/yaml; charset=utf-8', 'text/plain']) {
          const response = await app.request(url, post(component('plain'), { 'content-type': type }));
          expect(response.status).toBe(200);
          expect(((await response.json()) as { valid: number }).valid).toBe(1);
        }
      });
    });

    describe('POST /api/v1/catalog/import', () => {
      const url = '/api/v1/catalog/import';
      let fresh: Store;
      let guarded: OpenAPIHono;
      const auth = { ...YAML, authorization: 'Bearer s3cret' };

      beforeEach(async () => {
        fresh = await factory.open(allMigrations());
        guarded = makeApp(fresh, { api: { tokens: ['s3cret'] }, server: { bodyLimitBytes: 4096 } });
      });
      afterEach(async () => {
        await fresh.close();
      });

      it('needs a configured token, and only for writes', async () => {
        const body = `${GUESTS}---\n${component('svc')}`;
        const none = await expectProblem(await guarded.request(url, post(body)), 401, url);
        expect(none.detail).toMatch(/needs an API token/);
        for (const authorization of ['Bearer wrong', 'Bearer s3cret-and-more', 'Basic czNjcmV0', 'Bearer ']) {
          const response = await guarded.request(url, post(body, { ...YAML, authorization }));
          await expectProblem(response, 401, url);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        }
        expect(await allRefs(guarded)).toEqual([]);

        const ok = await guarded.request(url, post(body, auth));
        expect(ok.status).toBe(200);
        expect(((await ok.json()) as ImportReport).added).toBe(2);
        // Reads and validation stay open.
        expect(await allRefs(guarded)).toEqual(['component:default/svc', 'group:default/guests']);
        expect((await guarded.request('/api/v1/catalog/validate', post(body))).status).toBe(200);
      });

      it('takes tokens from PAVE_API_TOKENS', async () => {
        const fromEnv = makeApp(fresh, {}, { PAVE_API_TOKENS: 'first, second' });
        expect((await fromEnv.request(url, post(GUESTS))).status).toBe(401);
        for (const token of ['first', 'second']) {
          const response = await fromEnv.request(
            url,
            post(GUESTS, { ...YAML, authorization: `Bearer ${token}` }),
          );
          expect(response.status).toBe(200);
        }
      });

      it('stores nothing when any entity is invalid, and lists the problems', async () => {
        await guarded.request(url, post(GUESTS, auth));
        const before = await allRefs(guarded);
        const body = joinDocuments([component('good-one'), fixture('components/invalid-component.yaml')]);
        const problem = await expectProblem(await guarded.request(url, post(body, auth)), 400, url);
        expect(problem.detail).toMatch(/2 errors; nothing was imported/);
        expect(problem.problems?.map((p) => [p.severity, p.file, p.line, p.column])).toEqual([
          ['error', 'request body', 13, 3],
          ['error', 'request body', 20, 7],
        ]);
        expect(await allRefs(guarded)).toEqual(before);
      });

      it('refuses a document that is not an entity, and bad query parameters', async () => {
        const list = await expectProblem(await guarded.request(url, post('- a\n- b\n', auth)), 400, url);
        expect(list.problems?.[0]).toMatchObject({ line: 1, column: 1 });
        for (const [query, pointer] of [
          ['location=../etc', '/location'],
          ['location=', '/location'],
          ['partial=yes', '/partial'],
          ['strict=1', '/strict'],
        ] as const) {
          const problem = await expectProblem(
            await guarded.request(`${url}?${query}`, post(GUESTS, auth)),
            400,
            `${url}?${query}`,
          );
          expect(problem.problems?.[0]).toMatchObject({ pointer });
        }
        expect(await allRefs(guarded)).toEqual([]);
      });

      it('imports the valid entities with partial=true', async () => {
        const body = joinDocuments([
          GUESTS,
          component('good-one'),
          fixture('components/invalid-component.yaml'),
        ]);
        const response = await guarded.request(`${url}?partial=true`, post(body, auth));
        expect(response.status).toBe(200);
        const report = (await response.json()) as ImportReport;
        expect(report).toMatchObject({ added: 2, rejected: 1, errors: 2 });
        expect(await allRefs(guarded)).toEqual(['component:default/good-one', 'group:default/guests']);
      });

      it('with strict=true refuses dangling references', async () => {
        const body = component('lonely', '');
        const strict = await expectProblem(
          await guarded.request(`${url}?strict=true`, post(body, auth)),
          400,
          url,
        );
        expect(strict.problems?.[0]?.message).toMatch(/ownedBy group:default\/guests: no such entity/);
        expect(await allRefs(guarded)).toEqual([]);
        const lenient = (await (await guarded.request(url, post(body, auth))).json()) as ImportReport;
        expect(lenient).toMatchObject({ added: 1, errors: 0, warnings: 1 });
      });

      it('changes nothing on a repeat, and removes what a location no longer defines', async () => {
        const body = joinDocuments([GUESTS, component('one'), component('two'), component('three')]);
        const first = (await (
          await guarded.request(`${url}?location=team/x`, post(body, auth))
        ).json()) as ImportReport;
        expect(first).toMatchObject({ added: 4, updated: 0, removed: 0, unchanged: 0 });
        const again = (await (
          await guarded.request(`${url}?location=team/x`, post(body, auth))
        ).json()) as ImportReport;
        expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 4 });

        // Another location is left alone.
        await guarded.request(`${url}?location=other`, post(component('elsewhere'), auth));
        const smaller = joinDocuments([GUESTS, component('two', '  title: Two\n')]);
        const third = (await (
          await guarded.request(`${url}?location=team/x`, post(smaller, auth))
        ).json()) as ImportReport;
        expect(third).toMatchObject({ added: 0, updated: 1, removed: 2, unchanged: 1 });
        expect(await allRefs(guarded)).toEqual([
          'component:default/elsewhere',
          'component:default/two',
          'group:default/guests',
        ]);
      });

      it('refuses a body over server.bodyLimitBytes with 413, storing nothing', async () => {
        expect(FIXTURE_BODY.length).toBeGreaterThan(4096);
        const problem = await expectProblem(await guarded.request(url, post(FIXTURE_BODY, auth)), 413, url);
        expect(problem.detail).toMatch(/4096-byte limit/);
        // Without a Content-Length the limit holds while reading the stream.
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            const chunk = new TextEncoder().encode(FIXTURE_BODY.slice(0, 2000));
            for (let i = 0; i < 4; i++) controller.enqueue(chunk);
            controller.close();
          },
        });
        const streamed = await guarded.request(url, { ...post(stream, auth), duplex: 'half' } as RequestInit);
        await expectProblem(streamed, 413, url);
        expect(await allRefs(guarded)).toEqual([]);
        // Just under the limit is fine.
        expect((await guarded.request(url, post(GUESTS, auth))).status).toBe(200);
      });
    });

    describe('errors', () => {
      it('answers unknown routes and methods with 404 problems', async () => {
        for (const [method, url] of [
          ['GET', '/nope'],
          ['GET', '/api/v1/nope'],
          ['GET', '/api/v2/entities'],
          ['DELETE', '/api/v1/entities/component/default/artist-lookup'],
          ['GET', '/api/v1/catalog/import'],
        ] as const) {
          const problem = await expectProblem(await app.request(url, { method }), 404, url);
          expect(problem.detail).toBe(`no route for ${method} ${url}`);
        }
      });

      it('hides unexpected errors behind a 500 problem and logs them', async () => {
        const logged: string[] = [];
        const broken = new Proxy(store, {
          get(target, key, receiver) {
            if (key === 'query') return () => Promise.reject(new Error('secret connection detail'));
            return Reflect.get(target, key, receiver);
          },
        });
        const brokenApp = createApp({
          store: broken,
          config: loadConfig({ env: {}, cwd: dir }),
          domains,
          version: '9.9.9-test',
          log: (message) => logged.push(message),
        });
        const url = '/api/v1/entities';
        const problem = await expectProblem(await brokenApp.request(url), 500, url);
        expect(JSON.stringify(problem)).not.toMatch(/secret/);
        expect(logged).toEqual([
          expect.stringMatching(/^error: GET \/api\/v1\/entities: Error: secret connection detail/),
        ]);
      });
    });

    describe('the page at /', () => {
      it('lists the catalog and escapes what entities say about themselves', async () => {
        const hostile = component(
          'hostile',
          '  title: "<script>alert(1)</script> & <b>friends</b>"\n  description: "\\"><img src=x onerror=alert(2)>"\n',
        );
        const imported = await app.request('/api/v1/catalog/import?location=hostile', post(hostile));
        expect(imported.status).toBe(200);

        const response = await app.request('/');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await response.text();
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/<b>friends/);
        expect(html).toContain(
          '&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#60;b&#62;friends&#60;/b&#62;',
        );
        expect(html).toContain('href="/api/v1/entities/component/default/hostile"');
        for (const ref of RAW_ENTITIES.map(rawRef)) expect(html).toContain(`>${ref}</a>`);
        expect(html).toContain(`${RAW_ENTITIES.length + 1} entities`);

        const search = await (await app.request('/?q=%22%3E%3Cscript%3E')).text();
        expect(search).not.toMatch(/<script/i);
        expect(search).toContain('value="&#34;&#62;&#60;script&#62;"');
      });
    });
  });
}

describe('HTTP app without a database', () => {
  it('is not ready when PostgreSQL cannot be reached', async () => {
    const dir = tempFolder();
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const store = openPostgresStore('postgres://pave@127.0.0.1:1/pave?connect_timeout=2');
    try {
      const app = createApp({
        store,
        config: loadConfig({ env: {}, cwd: dir }),
        domains,
        version: '0',
        log: () => {},
      });
      const response = await app.request('/readyz');
      expect(response.headers.get('retry-after')).toBe('5');
      const problem = await expectProblem(response, 503, '/readyz');
      expect(problem.detail).toMatch(/cannot reach PostgreSQL|ECONNREFUSED/);
      expect((await app.request('/healthz')).status).toBe(200);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /openapi.json', () => {
  type Json = Record<string, unknown>;
  interface Parameter {
    name: string;
    in: string;
    required?: boolean;
    schema: Json;
  }
  interface Operation {
    parameters?: Parameter[];
    requestBody?: { required?: boolean; content: Record<string, unknown> };
    responses: Record<string, { content?: Record<string, { schema: Json }> }>;
    security?: Record<string, string[]>[];
  }
  let dir: string;
  let store: Store;
  let app: OpenAPIHono;
  let doc: {
    openapi: string;
    info: { version: string; title: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  };

  beforeAll(async () => {
    dir = tempFolder();
    store = await testStores()[0]!.open(allMigrations());
    app = createApp({ store, config: loadConfig({ env: {}, cwd: dir }), domains, version: '9.9.9-test' });
    doc = await getJson(app, '/openapi.json');
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const operation = (route: string, method: string): Operation => {
    const found = doc.paths[route]?.[method];
    expect(found, `${method.toUpperCase()} ${route} is documented`).toBeDefined();
    return found!;
  };
  const parameters = (op: Operation, where: string) =>
    Object.fromEntries((op.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, p]));

  it('is an OpenAPI 3.1 document of this version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Pave API', version: '9.9.9-test' });
  });

  it('documents every route the app serves', () => {
    const served = app.routes
      .filter((route) => route.method !== 'ALL' && route.path !== '/' && route.path !== '/openapi.json')
      .map((route) => [route.path.replace(/:([A-Za-z]+)/g, '{$1}'), route.method.toLowerCase()] as const);
    expect(served.length).toBeGreaterThanOrEqual(7);
    for (const [route, method] of served) operation(route, method);
    const documented = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.keys(ops).map((method) => `${method} ${route}`),
    );
    // Hono lists a route once per handler (validators included): compare the distinct ones.
    expect(documented.sort()).toEqual(
      [...new Set(served.map(([route, method]) => `${method} ${route}`))].sort(),
    );
  });

  it('names every parameter of the entity routes', () => {
    const list = operation('/api/v1/entities', 'get');
    expect(Object.keys(parameters(list, 'query')).sort()).toEqual(
      ['cursor', 'kind', 'lifecycle', 'limit', 'namespace', 'owner', 'q', 'system', 'tag', 'type'].sort(),
    );
    expect(parameters(list, 'query').limit!.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
    });

    for (const route of [
      '/api/v1/entities/{kind}/{namespace}/{name}',
      '/api/v1/entities/{kind}/{namespace}/{name}/graph',
    ]) {
      const path = parameters(operation(route, 'get'), 'path');
      expect(Object.keys(path).sort()).toEqual(['kind', 'name', 'namespace']);
      for (const parameter of Object.values(path)) expect(parameter.required).toBe(true);
    }
    const graph = parameters(operation('/api/v1/entities/{kind}/{namespace}/{name}/graph', 'get'), 'query');
    expect(graph.direction!.schema).toMatchObject({ enum: ['dependencies', 'dependents'] });
    expect(graph.depth!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 20 });
  });

  it('documents the YAML bodies, their limits, and the token on import only', () => {
    const validate = operation('/api/v1/catalog/validate', 'post');
    const imports = operation('/api/v1/catalog/import', 'post');
    for (const op of [validate, imports]) {
      expect(op.requestBody).toMatchObject({
        required: true,
        content: { 'application/yaml': expect.anything() },
      });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
    }
    expect(Object.keys(parameters(validate, 'query'))).toEqual(['strict']);
    expect(Object.keys(parameters(imports, 'query')).sort()).toEqual(['location', 'partial', 'strict']);
    expect(imports.security).toEqual([{ bearerAuth: [] }]);
    expect(imports.responses['401']).toBeDefined();
    expect(validate.security).toBeUndefined();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('describes the entity shapes, and every error as a problem document', () => {
    for (const name of ['Entity', 'EntitySummary', 'EntityDetail', 'Problem']) {
      expect(doc.components.schemas[name], name).toMatchObject({ type: 'object' });
    }
    expect(doc.components.schemas.EntityDetail).toMatchObject({
      properties: { entity: { $ref: '#/components/schemas/Entity' } },
    });
    expect(doc.components.schemas.Problem).toMatchObject({
      required: expect.arrayContaining(['type', 'title', 'status']),
      properties: expect.objectContaining({ instance: { type: 'string' }, detail: { type: 'string' } }),
    });
    let errors = 0;
    for (const [route, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400 || !response.content) continue;
          errors++;
          const where = `${method} ${route} ${status}`;
          expect(Object.keys(response.content), where).toEqual(['application/problem+json']);
          expect(response.content['application/problem+json']?.schema, where).toBeDefined();
        }
      }
    }
    expect(errors).toBeGreaterThan(10);
  });

  it('has no $ref that does not resolve', () => {
    const resolve = (ref: string): unknown => {
      expect(ref).toMatch(/^#\//);
      let node: unknown = doc;
      for (const raw of ref.slice(2).split('/')) {
        const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
        node = (node as Json | undefined)?.[segment];
      }
      return node;
    };
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) for (const item of node) walk(item);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolve(ref), ref).toMatchObject({});
    expect(refs).toContain('#/components/schemas/EntitySummary');
  });
});
