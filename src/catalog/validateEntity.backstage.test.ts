/**
 * Differential test: for every entity document in the Backstage fixtures and for a set of
 * hand-made invalid variants, Pave's verdict equals @backstage/catalog-model's, run the way the
 * Backstage catalog runs it (see testing/backstageVerdict.ts).
 *
 * Verdicts: `invalid` = at least one Pave error / Backstage throws; `unrecognized` = Pave's
 * unknown-kind warning / no Backstage kind validator recognises the entity; `valid` otherwise.
 * Templates are compared in validateEntity.test.ts instead: their Backstage validator is in
 * @backstage/plugin-scaffolder-common, which is not installed.
 */
import { describe, expect, it } from 'vitest';
import { backstageVerdict, fixtureDocuments, type Verdict } from './testing/backstageVerdict.js';
import { deletePath, setPath } from './testing/setPath.js';
import { validateEntity } from './validateEntity.js';

function paveVerdict(entity: unknown): Verdict {
  const issues = validateEntity(entity, { allowPlaceholders: false });
  if (issues.some((issue) => issue.severity === 'error')) return 'invalid';
  if (issues.some((issue) => issue.code === 'unknown-kind')) return 'unrecognized';
  return 'valid';
}

const isTemplate = (entity: unknown) => (entity as { kind?: unknown } | null)?.kind === 'Template';

const BACKSTAGE_KINDS = new Set([
  'api',
  'component',
  'resource',
  'group',
  'location',
  'user',
  'system',
  'domain',
]);

/**
 * The verdict Pave must give when Backstage gives `reference`. Backstage rejects an entity no kind
 * validator recognises. Pave rejects it too when its kind is a built-in one (written in the wrong
 * case, or with an apiVersion that kind does not have), and otherwise stores it as a generic
 * entity with an unknown-kind warning: the one deliberate difference.
 */
function expectedPaveVerdict(entity: unknown, reference: Verdict): Verdict {
  if (reference !== 'unrecognized') return reference;
  const kind = (entity as { kind?: unknown }).kind;
  return typeof kind === 'string' && BACKSTAGE_KINDS.has(kind.toLowerCase()) ? 'invalid' : 'unrecognized';
}

const documents = fixtureDocuments().filter((d) => !isTemplate(d.entity));

describe('Pave and catalog-model agree on every fixture entity', () => {
  it('reads a meaningful number of fixture documents', () => {
    expect(documents.length).toBeGreaterThan(90);
  });

  it.each(documents.map((d) => [`${d.file}#${d.index}`, d.entity] as const))('%s', async (_name, entity) => {
    const reference = await backstageVerdict(entity);
    expect({ verdict: paveVerdict(entity), issues: validateEntity(entity) }).toMatchObject({
      verdict: expectedPaveVerdict(entity, reference.verdict),
    });
  });

  it('covers all three verdicts among the fixtures', async () => {
    const verdicts = new Set<Verdict>();
    for (const d of documents) verdicts.add((await backstageVerdict(d.entity)).verdict);
    expect([...verdicts].sort()).toEqual(['invalid', 'unrecognized', 'valid']);
  });
});

type Mutation = (entity: unknown) => void;

const base: Record<string, Record<string, unknown>> = {
  Component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'payments',
      title: 'Checkout',
      description: 'Takes the money',
      labels: { 'pave.dev/tier': 'tier-1', team: 'payments' },
      annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'github.com/project-slug': 'acme/checkout' },
      tags: ['java', 'payments'],
      links: [
        { url: 'https://runbooks.example.com/checkout', title: 'Runbook', icon: 'book', type: 'runbook' },
      ],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:payments/team-payments',
      system: 'shop',
      subcomponentOf: 'storefront',
      providesApis: ['checkout-api'],
      consumesApis: ['api:default/pricing'],
      dependsOn: ['resource:checkout-db', 'component:default/fraud'],
      dependencyOf: ['component:storefront'],
    },
  },
  API: {
    apiVersion: 'backstage.io/v1beta1',
    kind: 'API',
    metadata: { name: 'checkout-api' },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'team-payments',
      system: 'shop',
      definition: 'openapi: 3.0.0',
    },
  },
  Resource: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'checkout-db' },
    spec: {
      type: 'database',
      owner: 'user:jdoe',
      system: 'shop',
      dependsOn: ['resource:disk'],
      dependencyOf: 'component:checkout',
    },
  },
  System: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop' },
    spec: { owner: 'team-payments', domain: 'commerce', type: 'product' },
  },
  Domain: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce' },
    spec: { owner: 'team-payments', subdomainOf: 'business', type: 'product-area' },
  },
  Group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments' },
    spec: {
      type: 'team',
      profile: {
        displayName: 'Payments',
        email: 'payments@example.com',
        picture: 'https://example.com/p.png',
      },
      parent: 'engineering',
      children: [],
      members: ['jdoe', 'user:default/asmith'],
    },
  },
  User: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jdoe' },
    spec: { profile: { displayName: 'J. Doe', email: 'jdoe@example.com' }, memberOf: ['team-payments'] },
  },
  Location: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'everything' },
    spec: { type: 'url', targets: ['./a.yaml', './b.yaml'], presence: 'optional' },
  },
  Environment: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Environment',
    metadata: { name: 'prod' },
    spec: { lifecycle: 'production' },
  },
};

const set =
  (path: string, value: unknown): Mutation =>
  (entity) =>
    setPath(entity, path, value);
const del =
  (path: string): Mutation =>
  (entity) =>
    deletePath(entity, path);

/** [kind of the base entity, what the variant does, the change]. Valid variants are included on purpose. */
const variants: [string, string, Mutation][] = [
  // The entity and its root.
  ['Component', 'root field relations', set('relations', [])],
  ['Component', 'root field status', set('status', {})],
  ['Component', 'root field foo', set('foo', 1)],
  // apiVersion
  ['Component', 'no apiVersion', del('apiVersion')],
  ['Component', 'apiVersion number', set('apiVersion', 1)],
  ['Component', 'apiVersion empty', set('apiVersion', '')],
  ['Component', 'apiVersion upper-case prefix', set('apiVersion', 'Backstage.io/v1alpha1')],
  ['Component', 'apiVersion two slashes', set('apiVersion', 'backstage.io/v1/alpha')],
  ['Component', 'apiVersion dash in version', set('apiVersion', 'backstage.io/v1-alpha1')],
  ['Component', 'apiVersion empty version', set('apiVersion', 'backstage.io/')],
  ['Component', 'apiVersion empty prefix', set('apiVersion', '/v1alpha1')],
  ['Component', 'apiVersion not of the kind', set('apiVersion', 'backstage.io/v2')],
  ['Component', 'apiVersion of another group', set('apiVersion', 'example.com/v1alpha1')],
  ['Environment', 'apiVersion anything for an unknown kind', set('apiVersion', 'example.com/v1')],
  // kind
  ['Component', 'no kind', del('kind')],
  ['Component', 'kind empty', set('kind', '')],
  ['Component', 'kind starts with digit', set('kind', '1Component')],
  ['Component', 'kind with dash', set('kind', 'Com-ponent')],
  ['Component', 'kind lower case', set('kind', 'component')],
  ['Component', 'kind null', set('kind', null)],
  // metadata
  ['Component', 'no metadata', del('metadata')],
  ['Component', 'metadata list', set('metadata', [])],
  ['Component', 'metadata null', set('metadata', null)],
  ['Component', 'metadata extra field', set('metadata.owner', 'x')],
  ['Component', 'no name', del('metadata.name')],
  ['Component', 'name empty', set('metadata.name', '')],
  ['Component', 'name number', set('metadata.name', 123)],
  ['Component', 'name null', set('metadata.name', null)],
  ['Component', 'name leading dash', set('metadata.name', '-checkout')],
  ['Component', 'name trailing dot', set('metadata.name', 'checkout.')],
  ['Component', 'name with space', set('metadata.name', 'check out')],
  ['Component', 'name with slash', set('metadata.name', 'check/out')],
  ['Component', 'name 64 chars', set('metadata.name', 'a'.repeat(64))],
  ['Component', 'name 63 chars', set('metadata.name', 'a'.repeat(63))],
  ['Component', 'name mixed case and separators', set('metadata.name', 'Check_Out.v2-A')],
  ['Component', 'name one char', set('metadata.name', 'x')],
  ['Component', 'no namespace', del('metadata.namespace')],
  ['Component', 'namespace null', set('metadata.namespace', null)],
  ['Component', 'namespace empty', set('metadata.namespace', '')],
  ['Component', 'namespace upper case', set('metadata.namespace', 'Payments')],
  ['Component', 'namespace underscore', set('metadata.namespace', 'my_ns')],
  ['Component', 'namespace trailing dash', set('metadata.namespace', 'ns-')],
  ['Component', 'namespace double dash', set('metadata.namespace', 'my--ns')],
  ['Component', 'namespace 64 chars', set('metadata.namespace', 'n'.repeat(64))],
  ['Component', 'namespace number', set('metadata.namespace', 5)],
  ['Component', 'title empty', set('metadata.title', '')],
  ['Component', 'title number', set('metadata.title', 5)],
  ['Component', 'description number', set('metadata.description', 5)],
  ['Component', 'description empty', set('metadata.description', '')],
  ['Component', 'uid empty', set('metadata.uid', '')],
  ['Component', 'etag number', set('metadata.etag', 5)],
  // labels
  ['Component', 'labels list', set('metadata.labels', [])],
  ['Component', 'labels string', set('metadata.labels', 'x')],
  ['Component', 'label key with space', set('metadata.labels', { 'bad key': 'v' })],
  ['Component', 'label key two slashes', set('metadata.labels', { 'a/b/c': 'v' })],
  ['Component', 'label key upper-case prefix', set('metadata.labels', { 'Example.com/x': 'v' })],
  ['Component', 'label key empty name', set('metadata.labels', { 'example.com/': 'v' })],
  ['Component', 'label key empty', set('metadata.labels', { '': 'v' })],
  ['Component', 'label value with space', set('metadata.labels', { x: 'bad value' })],
  ['Component', 'label value empty', set('metadata.labels', { x: '' })],
  ['Component', 'label value number', set('metadata.labels', { x: 5 })],
  ['Component', 'label value null', set('metadata.labels', { x: null })],
  ['Component', 'label value 64 chars', set('metadata.labels', { x: 'v'.repeat(64) })],
  // annotations
  ['Component', 'annotation key with space', set('metadata.annotations', { 'bad key': 'v' })],
  ['Component', 'annotation key prefix starting with dash', set('metadata.annotations', { '-a.com/x': 'v' })],
  ['Component', 'annotation value number', set('metadata.annotations', { x: 5 })],
  ['Component', 'annotation value null', set('metadata.annotations', { x: null })],
  ['Component', 'annotation value empty', set('metadata.annotations', { x: '' })],
  [
    'Component',
    'annotation value free text',
    set('metadata.annotations', { 'a.b.c/d': 'any text, at all: yes' }),
  ],
  ['Component', 'annotations list', set('metadata.annotations', ['x'])],
  // tags
  ['Component', 'tags string', set('metadata.tags', 'java')],
  ['Component', 'tag number', set('metadata.tags', [5])],
  ['Component', 'tag null', set('metadata.tags', [null])],
  ['Component', 'tag empty', set('metadata.tags', [''])],
  ['Component', 'tag upper case', set('metadata.tags', ['Java'])],
  ['Component', 'tag with space', set('metadata.tags', ['go 1.15'])],
  ['Component', 'tag with dot', set('metadata.tags', ['go1.15'])],
  ['Component', 'tag double dash', set('metadata.tags', ['a--b'])],
  ['Component', 'tag leading dash', set('metadata.tags', ['-a'])],
  ['Component', 'tag with : + #', set('metadata.tags', ['c++', 'c#', 'lang:go', 'a-b-c'])],
  ['Component', 'tag 64 chars', set('metadata.tags', ['t'.repeat(64)])],
  // links
  ['Component', 'links mapping', set('metadata.links', {})],
  ['Component', 'link string', set('metadata.links', ['https://example.com'])],
  ['Component', 'link without url', set('metadata.links', [{ title: 'x' }])],
  ['Component', 'link url empty', set('metadata.links', [{ url: '' }])],
  ['Component', 'link url without scheme', set('metadata.links', [{ url: 'example.com/x' }])],
  ['Component', 'link url not a url', set('metadata.links', [{ url: 'not a url' }])],
  ['Component', 'link url number', set('metadata.links', [{ url: 5 }])],
  ['Component', 'link mailto', set('metadata.links', [{ url: 'mailto:team@example.com' }])],
  ['Component', 'link title empty', set('metadata.links', [{ url: 'https://x.io', title: '' }])],
  ['Component', 'link title blank', set('metadata.links', [{ url: 'https://x.io', title: '   ' }])],
  ['Component', 'link title null', set('metadata.links', [{ url: 'https://x.io', title: null }])],
  ['Component', 'link icon number', set('metadata.links', [{ url: 'https://x.io', icon: 5 }])],
  ['Component', 'link type empty', set('metadata.links', [{ url: 'https://x.io', type: '' }])],
  ['Component', 'link type blank', set('metadata.links', [{ url: 'https://x.io', type: ' ' }])],
  ['Component', 'link extra field', set('metadata.links', [{ url: 'https://x.io', note: 1 }])],
  // spec envelope
  ['Component', 'no spec', del('spec')],
  ['Component', 'spec list', set('spec', [])],
  ['Component', 'spec string', set('spec', 'x')],
  ['Component', 'spec null', set('spec', null)],
  ['Environment', 'unknown kind without spec', del('spec')],
  ['Environment', 'unknown kind with list spec', set('spec', [])],
  ['Environment', 'unknown kind with bad name', set('metadata.name', 'a b')],
  // Component spec
  ['Component', 'no type', del('spec.type')],
  ['Component', 'no lifecycle', del('spec.lifecycle')],
  ['Component', 'no owner', del('spec.owner')],
  ['Component', 'owner number', set('spec.owner', 5)],
  ['Component', 'owner empty', set('spec.owner', '')],
  ['Component', 'owner list', set('spec.owner', ['team-a'])],
  ['Component', 'owner empty name', set('spec.owner', 'group:')],
  ['Component', 'owner empty kind', set('spec.owner', ':team-a')],
  ['Component', 'owner empty namespace', set('spec.owner', 'group:/team-a')],
  ['Component', 'owner leading slash', set('spec.owner', '/team-a')],
  ['Component', 'owner with odd name (parses)', set('spec.owner', 'group:a/b/c')],
  ['Component', 'owner a Component (not checked by Backstage)', set('spec.owner', 'component:x')],
  ['Component', 'type number', set('spec.type', 1)],
  ['Component', 'lifecycle empty', set('spec.lifecycle', '')],
  ['Component', 'system empty', set('spec.system', '')],
  ['Component', 'system bad ref', set('spec.system', 'system:')],
  ['Component', 'subcomponentOf number', set('spec.subcomponentOf', 5)],
  ['Component', 'providesApis string', set('spec.providesApis', 'checkout-api')],
  ['Component', 'providesApis number item', set('spec.providesApis', [5])],
  ['Component', 'consumesApis empty item', set('spec.consumesApis', [''])],
  ['Component', 'dependsOn without kind', set('spec.dependsOn', ['checkout-db'])],
  ['Component', 'dependsOn with kind', set('spec.dependsOn', ['component:fraud'])],
  ['Component', 'dependsOn empty list', set('spec.dependsOn', [])],
  ['Component', 'dependencyOf without kind', set('spec.dependencyOf', ['storefront'])],
  ['Component', 'dependencyOf string with kind', set('spec.dependencyOf', 'component:storefront')],
  ['Component', 'dependencyOf number', set('spec.dependencyOf', 5)],
  ['Component', 'dependencyOf null (skipped)', set('spec.dependencyOf', null)],
  ['Component', 'dependencyOf empty string (skipped)', set('spec.dependencyOf', '')],
  ['Component', 'dependencyOf empty item', set('spec.dependencyOf', [''])],
  ['Component', 'unknown spec field', set('spec.tier', 1)],
  // API
  ['API', 'no definition', del('spec.definition')],
  ['API', 'definition number', set('spec.definition', 5)],
  ['API', 'definition empty', set('spec.definition', '')],
  [
    'API',
    'definition placeholder left unresolved',
    set('spec.definition', { $text: 'https://example.com/x' }),
  ],
  ['API', 'no type', del('spec.type')],
  ['API', 'no lifecycle', del('spec.lifecycle')],
  ['API', 'no owner', del('spec.owner')],
  ['API', 'system number', set('spec.system', 1)],
  ['API', 'apiVersion v1alpha2', set('apiVersion', 'backstage.io/v1alpha2')],
  // Resource
  ['Resource', 'no type', del('spec.type')],
  ['Resource', 'no owner', del('spec.owner')],
  ['Resource', 'dependsOn without kind', set('spec.dependsOn', ['disk'])],
  ['Resource', 'dependsOn string', set('spec.dependsOn', 'resource:disk')],
  ['Resource', 'dependencyOf without kind', set('spec.dependencyOf', 'checkout')],
  ['Resource', 'no lifecycle needed', del('spec.lifecycle')],
  // System
  ['System', 'no owner', del('spec.owner')],
  ['System', 'domain number', set('spec.domain', 5)],
  ['System', 'domain bad ref', set('spec.domain', 'domain:')],
  ['System', 'type empty', set('spec.type', '')],
  ['System', 'empty spec', set('spec', {})],
  // Domain
  ['Domain', 'no owner', del('spec.owner')],
  ['Domain', 'subdomainOf empty', set('spec.subdomainOf', '')],
  ['Domain', 'subdomainOf number', set('spec.subdomainOf', 5)],
  ['Domain', 'subdomainOf bad ref', set('spec.subdomainOf', 'domain:/x')],
  // Group
  ['Group', 'no type', del('spec.type')],
  ['Group', 'no children', del('spec.children')],
  ['Group', 'children string', set('spec.children', 'team-a')],
  ['Group', 'children number item', set('spec.children', [5])],
  ['Group', 'children bad ref', set('spec.children', ['group:'])],
  ['Group', 'members empty item', set('spec.members', [''])],
  ['Group', 'members bad ref', set('spec.members', [':x'])],
  ['Group', 'parent number', set('spec.parent', 5)],
  ['Group', 'parent list', set('spec.parent', ['a'])],
  ['Group', 'profile string', set('spec.profile', 'x')],
  ['Group', 'profile email empty', set('spec.profile', { email: '' })],
  ['Group', 'profile extra field', set('spec.profile', { displayName: 'A', phone: 5 })],
  // User
  ['User', 'no memberOf', del('spec.memberOf')],
  ['User', 'memberOf string', set('spec.memberOf', 'team-payments')],
  ['User', 'memberOf empty list', set('spec.memberOf', [])],
  ['User', 'memberOf null', set('spec.memberOf', null)],
  ['User', 'profile picture number', set('spec.profile', { picture: 5 })],
  ['User', 'no spec', del('spec')],
  // Location
  ['Location', 'presence unknown', set('spec.presence', 'maybe')],
  ['Location', 'presence required', set('spec.presence', 'required')],
  ['Location', 'target empty', set('spec.target', '')],
  ['Location', 'targets number item', set('spec.targets', [5])],
  ['Location', 'type number', set('spec.type', 5)],
  ['Location', 'empty spec', set('spec', {})],
  ['Location', 'no spec', del('spec')],
];

describe('Pave and catalog-model agree on hand-made variants', () => {
  it('has base entities that both accept', async () => {
    for (const [kind, entity] of Object.entries(base)) {
      const expected = kind === 'Environment' ? 'unrecognized' : 'valid';
      expect([kind, paveVerdict(entity)]).toEqual([kind, expected]);
      expect([kind, (await backstageVerdict(entity)).verdict]).toEqual([kind, expected]);
    }
  });

  it.each(variants)('%s: %s', async (kind, _what, mutate) => {
    const entity = structuredClone(base[kind]!);
    mutate(entity);
    const reference = await backstageVerdict(entity);
    expect({
      verdict: paveVerdict(entity),
      issues: validateEntity(entity, { allowPlaceholders: false }),
    }).toMatchObject({
      verdict: expectedPaveVerdict(entity, reference.verdict),
    });
  });

  it('includes both valid and invalid variants', async () => {
    const counts = new Map<Verdict, number>();
    for (const [kind, , mutate] of variants) {
      const entity = structuredClone(base[kind]!);
      mutate(entity);
      const { verdict } = await backstageVerdict(entity);
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    }
    expect(counts.get('invalid')).toBeGreaterThan(100);
    expect(counts.get('valid')).toBeGreaterThan(15);
  });

  it('agrees on non-mapping documents', async () => {
    for (const entity of [null, 'text', 42, [], [base.Component]]) {
      expect(paveVerdict(entity)).toBe((await backstageVerdict(entity)).verdict);
    }
  });
});
