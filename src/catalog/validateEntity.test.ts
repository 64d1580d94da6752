import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
  makeValidator,
} from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { BACKSTAGE_FIXTURES } from './testing/backstageVerdict.js';
import { deletePath, setPath } from './testing/setPath.js';
import {
  entityKey,
  isValidApiVersion,
  isValidDnsLabel,
  isValidEntityName,
  isValidKind,
  isValidLabelKey,
  isValidLabelValue,
  isValidTag,
  isValidUrl,
  validateEntity,
} from './validateEntity.js';

/** The raw documents of one fixture file (placeholders left as written, as the lead's reader may). */
function readFixture(relative: string): unknown[] {
  const text = readFileSync(path.join(BACKSTAGE_FIXTURES, relative), 'utf8');
  return parseAllDocuments(text as string).map((doc) => doc.toJSON());
}

const errors = (entity: unknown) => validateEntity(entity).filter((i) => i.severity === 'error');

describe('the Backstage example catalog', () => {
  it('reports exactly one error for the name and one for the tag of invalid-component.yaml', () => {
    const [entity] = readFixture('examples/components/invalid-component.yaml');
    const issues = validateEntity(entity);
    expect(issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['error', 'invalid-name', ['metadata', 'name']],
      ['error', 'invalid-tag', ['metadata', 'tags', 1]],
    ]);
    expect(issues[0]!.message).toContain('"invalid component"');
    expect(issues[0]!.message).toContain('a space at position 8');
    expect(issues[1]!.message).toContain('"go 1.15.3"');
  });

  it('accepts every file everything.yaml reaches, warning only about kinds that are not built in', () => {
    const [location] = readFixture('everything.yaml') as { spec: { targets: string[] } }[];
    const targets = location!.spec.targets;
    expect(targets.length).toBeGreaterThan(50);
    const warnedKinds = new Set<string>();
    let entities = 0;
    for (const target of targets) {
      for (const entity of readFixture(target)) {
        entities++;
        const issues = validateEntity(entity);
        expect({ target, errors: issues.filter((i) => i.severity === 'error') }).toEqual({
          target,
          errors: [],
        });
        for (const issue of issues) {
          expect(issue.code).toBe('unknown-kind');
          warnedKinds.add((entity as { kind: string }).kind);
        }
      }
    }
    expect(entities).toBeGreaterThan(70);
    expect([...warnedKinds].sort()).toEqual(['AiResource', 'Environment']);
  });

  it('rejects the newer API shapes without spec.definition, as catalog-model 1.10 does', () => {
    for (const file of [
      'examples/apis/backstage-mcp-server-api.yaml',
      'examples/apis/local-ai-model-server-api.yaml',
    ]) {
      const [entity] = readFixture(file);
      const issues = validateEntity(entity);
      expect(issues.map((i) => [i.code, i.path])).toEqual([['missing-field', ['spec', 'definition']]]);
    }
    const [mcp] = readFixture('examples/apis/backstage-mcp-server-api.yaml');
    expect(validateEntity(mcp)[0]!.message).toContain('spec.remotes');
  });

  it('accepts the v1beta3 sample templates and rejects the v1beta2 one on its apiVersion', () => {
    for (const file of [
      'sample-templates/accordion-demo/template.yaml',
      'sample-templates/bui-kitchen-sink-demo/template.yaml',
      'sample-templates/conditional-output-demo/template.yaml',
      'sample-templates/conditional-parameters-demo/template.yaml',
      'sample-templates/notifications-demo/template.yaml',
    ]) {
      const [entity] = readFixture(file);
      expect({ file, issues: validateEntity(entity) }).toEqual({ file, issues: [] });
    }
    const [old] = readFixture('sample-templates/pull-request/template.yaml');
    const issues = validateEntity(old);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['invalid-api-version', ['apiVersion']]]);
    expect(issues[0]!.message).toContain('scaffolder.backstage.io/v1beta3');
  });

  it('gives paths the YAML parser turns into line and column', () => {
    const text = readFileSync(
      path.join(BACKSTAGE_FIXTURES, 'examples/components/invalid-component.yaml'),
      'utf8',
    );
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const positions = validateEntity(doc.toJSON()).map((issue) => {
      const node = doc.getIn(issue.path, true) as { range: [number, number, number] };
      return lineCounter.linePos(node.range[0]);
    });
    expect(positions).toEqual([
      { line: 4, col: 9 },
      { line: 11, col: 7 },
    ]);
  });
});

const component = () => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'payments' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
});

describe('one located issue per problem', () => {
  it('reports every problem of an entity, each at its node', () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'check out',
        namespace: 'Payments',
        labels: { 'bad key': 'ok', fine: 'not fine' },
        annotations: { 'example.com/count': 3 },
        tags: ['ok', 'Java', 'c++', 'a b'],
        links: [{ url: 'https://ok.example.com' }, { url: 'example.com/runbook', title: ' ' }],
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        dependsOn: ['checkout-db', 'resource:x'],
        system: 'system:',
      },
      status: {},
    };
    expect(validateEntity(entity).map((i) => [i.severity, i.code, i.path])).toEqual([
      ['error', 'unknown-root-field', ['status']],
      ['error', 'invalid-name', ['metadata', 'name']],
      ['error', 'invalid-namespace', ['metadata', 'namespace']],
      ['error', 'invalid-label', ['metadata', 'labels', 'bad key']],
      ['error', 'invalid-label', ['metadata', 'labels', 'fine']],
      ['error', 'invalid-annotation', ['metadata', 'annotations', 'example.com/count']],
      ['error', 'invalid-tag', ['metadata', 'tags', 1]],
      ['error', 'invalid-tag', ['metadata', 'tags', 3]],
      ['error', 'invalid-link', ['metadata', 'links', 1, 'url']],
      ['error', 'invalid-link', ['metadata', 'links', 1, 'title']],
      ['error', 'missing-field', ['spec', 'owner']],
      ['error', 'invalid-entity-ref', ['spec', 'dependsOn', 0]],
      ['error', 'invalid-entity-ref', ['spec', 'system']],
    ]);
  });

  it('does not report a consequence of a problem already reported', () => {
    const noSpec = component() as Record<string, unknown>;
    delete noSpec.spec;
    expect(validateEntity(noSpec).map((i) => i.path)).toEqual([['spec']]);
    const badOwner = component();
    (badOwner.spec as Record<string, unknown>).owner = 5;
    expect(validateEntity(badOwner).map((i) => i.code)).toEqual(['invalid-field']);
  });

  it('names the bad value and the rule in each message', () => {
    /** The one error message after changing the node at `path` of a valid component. */
    const message = (path: string, value: unknown) => {
      const entity = component();
      if (value === undefined) deletePath(entity, path);
      else setPath(entity, path, value);
      const found = errors(entity);
      expect(found).toHaveLength(1);
      return found[0]!.message;
    };
    expect(message('metadata.name', 'x'.repeat(64))).toContain('64 characters long, more than 63');
    expect(message('metadata.name', 'checkout-')).toContain('it ends with "-"');
    expect(message('metadata.name', 12)).toBe('metadata.name must be a string, found number 12');
    expect(message('metadata.namespace', 'Payments')).toContain('upper-case letter "P" at position 1');
    expect(message('kind', 'component')).toContain('write "Component"');
    expect(message('apiVersion', 'backstage.io/v2')).toContain(
      'use "backstage.io/v1alpha1" or "backstage.io/v1beta1"',
    );
    expect(message('relations', [])).toContain('filled in by the catalog');
    expect(message('spec.dependsOn', ['checkout-db'])).toContain(
      'write it as e.g. "component:checkout-db" or "resource:checkout-db"',
    );
    expect(message('spec.owner', 'group:')).toContain('the name is empty');
    expect(message('metadata.labels', { 'a/b/c': 'x' })).toContain('more than one "/"');
    expect(message('metadata.labels', { 'Example.com/x': 'x' })).toContain(
      'its prefix "Example.com" is not a DNS subdomain',
    );
    expect(message('metadata.tags', ['a--b'])).toContain('it contains "--"');
    expect(message('metadata.links', [{ url: 'example.com/x' }])).toContain('with its scheme');
    expect(message('spec.lifecycle', undefined)).toBe(
      'spec.lifecycle is missing; kind Component requires it',
    );
  });

  it('warns about a kind that is not built in and still checks its envelope', () => {
    const entity = { apiVersion: 'example.com/v1', kind: 'Environment', metadata: { name: 'prod env' } };
    expect(validateEntity(entity).map((i) => [i.severity, i.code])).toEqual([
      ['error', 'invalid-name'],
      ['warning', 'unknown-kind'],
    ]);
  });

  it('rejects documents that are not mappings', () => {
    for (const entity of [null, 'text', 3, [component()]]) {
      expect(validateEntity(entity).map((i) => [i.code, i.path])).toEqual([['invalid-entity', []]]);
    }
  });
});

describe('placeholders', () => {
  const api = (definition: unknown) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'petstore' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition },
  });

  it('accepts an unresolved $text/$json/$yaml placeholder by default', () => {
    for (const key of ['$text', '$json', '$yaml']) {
      expect(validateEntity(api({ [key]: 'https://example.com/openapi.yaml' }))).toEqual([]);
    }
  });

  it('rejects it when placeholders are not allowed, and never accepts one as a name', () => {
    const issues = validateEntity(api({ $text: 'https://example.com/openapi.yaml' }), {
      allowPlaceholders: false,
    });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [['spec', 'definition'], 'spec.definition must be a string, found a mapping'],
    ]);
    const named = api('openapi: 3.0.0');
    setPath(named, 'metadata.name', { $text: './name.txt' });
    expect(validateEntity(named).map((i) => i.code)).toEqual(['invalid-name']);
    expect(validateEntity(api({ $other: 'x' })).map((i) => i.code)).toEqual(['invalid-field']);
  });
});

describe('Template (scaffolder.backstage.io/v1beta3)', () => {
  const template = () => ({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'new-service' },
    spec: {
      owner: 'team-platform',
      type: 'service',
      parameters: [{ title: 'Name', properties: { name: { type: 'string' } } }],
      steps: [
        { id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './skeleton' }, if: true },
      ],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a scaffolder template expression, not JS.
      output: { links: [{ title: 'Repo', url: '${{ steps.publish.output.remoteUrl }}' }], note: 'done' },
    },
  });

  it('accepts a well-formed template', () => {
    expect(validateEntity(template())).toEqual([]);
  });

  it.each([
    ['no steps', 'spec.steps', undefined, 'missing-field', ['spec', 'steps']],
    ['no type', 'spec.type', undefined, 'missing-field', ['spec', 'type']],
    [
      'step without action',
      'spec.steps.0.action',
      undefined,
      'missing-field',
      ['spec', 'steps', 0, 'action'],
    ],
    ['step not a mapping', 'spec.steps', ['fetch'], 'invalid-field', ['spec', 'steps', 0]],
    ['step if a number', 'spec.steps.0.if', 1, 'invalid-field', ['spec', 'steps', 0, 'if']],
    ['step input a list', 'spec.steps.0.input', [], 'invalid-field', ['spec', 'steps', 0, 'input']],
    ['parameters a string', 'spec.parameters', 'x', 'invalid-field', ['spec', 'parameters']],
    ['parameters page a string', 'spec.parameters', ['x'], 'invalid-field', ['spec', 'parameters', 0]],
    ['owner empty', 'spec.owner', '', 'invalid-field', ['spec', 'owner']],
    [
      'output link title empty',
      'spec.output.links.0.title',
      '',
      'invalid-field',
      ['spec', 'output', 'links', 0, 'title'],
    ],
    ['output value not a string', 'spec.output.note', 1, 'invalid-field', ['spec', 'output', 'note']],
    ['owner a bad reference', 'spec.owner', 'group:', 'invalid-entity-ref', ['spec', 'owner']],
  ] as const)('%s', (_name, at, value, code, path) => {
    const entity = template();
    if (value === undefined) deletePath(entity, at);
    else setPath(entity, at, value);
    expect(validateEntity(entity).map((i) => [i.code, i.path])).toEqual([[code, path]]);
  });
});

describe('field formats equal catalog-model validators', () => {
  // A deterministic spread of strings around every rule's edges.
  const alphabet = [
    'a',
    'z',
    'A',
    'Z',
    '0',
    '9',
    '-',
    '_',
    '.',
    '/',
    ':',
    '+',
    '#',
    ' ',
    'é',
    '--',
    'b.c',
    'io/',
  ];
  const samples: string[] = [
    '',
    'a'.repeat(63),
    'a'.repeat(64),
    `${'a'.repeat(62)}.io/x`,
    `${'a.'.repeat(127)}a/x`,
    'https://example.com/runbook',
    'http://[::1]:8080',
    'http://',
    'file:///etc/hosts',
    'https://exa mple.com',
    'mailto:team@example.com',
  ];
  // mulberry32: a small deterministic generator.
  let seed = 42;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  for (let i = 0; i < 4000; i++) {
    let text = '';
    const length = 1 + (next() % 8);
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    samples.push(text);
  }
  const backstageTag = makeValidator().isValidTag;

  it.each([
    ['isValidEntityName', isValidEntityName, KubernetesValidatorFunctions.isValidObjectName],
    ['isValidDnsLabel', isValidDnsLabel, KubernetesValidatorFunctions.isValidNamespace],
    ['isValidKind', isValidKind, KubernetesValidatorFunctions.isValidKind],
    ['isValidApiVersion', isValidApiVersion, KubernetesValidatorFunctions.isValidApiVersion],
    ['isValidLabelKey', isValidLabelKey, KubernetesValidatorFunctions.isValidLabelKey],
    ['isValidLabelKey (annotations)', isValidLabelKey, KubernetesValidatorFunctions.isValidAnnotationKey],
    ['isValidLabelValue', isValidLabelValue, KubernetesValidatorFunctions.isValidLabelValue],
    ['isValidTag', isValidTag, backstageTag],
    ['isValidUrl', isValidUrl, CommonValidatorFunctions.isValidUrl],
  ] as const)('%s', (_name, pave, backstage) => {
    let accepted = 0;
    for (const sample of samples) {
      expect([sample, pave(sample)]).toEqual([sample, backstage(sample)]);
      if (pave(sample)) accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(samples.length);
  });
});

describe('entityKey', () => {
  it('is the lower-case kind:namespace/name, namespace default when missing', () => {
    expect(entityKey({ kind: 'Component', metadata: { name: 'Checkout', namespace: 'Payments' } })).toBe(
      'component:payments/checkout',
    );
    expect(entityKey({ kind: 'API', metadata: { name: 'petstore' } })).toBe('api:default/petstore');
    expect(entityKey({ kind: 'Group', metadata: { name: 'Team-A' } })).toBe(
      entityKey({ kind: 'group', metadata: { name: 'team-a', namespace: 'default' } }),
    );
  });
});
