import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { countRecords, expectValidRecords, fixturePath } from '../testing/records.js';
import { CDEVENTS_USED_TYPES, parseCdevents, parseCdeventsLines, parseCdeventsValue } from './cdevents.js';

const conformanceDir = fixturePath('cdevents', 'conformance');
const schemaDir = fixturePath('cdevents', 'schemas');
const receivedAt = new Date('2024-06-01T00:00:00Z');

interface Example {
  file: string;
  text: string;
  event: { context: Record<string, unknown>; subject: Record<string, unknown>; [key: string]: unknown };
  kind: string;
}

const examples: Example[] = readdirSync(conformanceDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => {
    const text = readFileSync(`${conformanceDir}/${file}`, 'utf8');
    const event = JSON.parse(text);
    const [, , subject, predicate] = String(event.context.type).split('.');
    return { file, text, event, kind: `${subject}.${predicate}` };
  });

const TABLE_OF: Record<string, string> = {
  service: 'deployments',
  change: 'pullRequests',
  pipelinerun: 'pipelineRuns',
  taskrun: 'taskRuns',
  testcaserun: 'testCaseResults',
  testsuiterun: 'testSuiteRuns',
  incident: 'incidentSignals',
};

const used = new Set<string>(CDEVENTS_USED_TYPES);

function clone<T>(value: T): T {
  return structuredClone(value);
}

function example(kind: string): Example['event'] {
  const found = examples.find((e) => e.kind === kind);
  if (!found) throw new Error(`no conformance example for ${kind}`);
  return clone(found.event);
}

describe('parseCdevents: the conformance examples', () => {
  it('finds the examples of every type Pave uses', () => {
    const kinds = new Set(examples.map((e) => e.kind));
    for (const kind of CDEVENTS_USED_TYPES) expect(kinds).toContain(kind);
    expect(examples.length).toBeGreaterThan(CDEVENTS_USED_TYPES.length);
  });

  for (const { file, text, kind, event } of examples) {
    if (used.has(kind)) {
      it(`accepts and normalises ${file}`, () => {
        const result = parseCdevents(text, { file, receivedAt });
        expect(result.problems).toEqual([]);
        expect(countRecords(result.records)).toEqual({ [TABLE_OF[kind.split('.')[0]!]!]: 1 });
        expect(result.unused).toEqual([]);
        expectValidRecords(result.records);
      });
    } else {
      it(`keeps ${file} raw and reports it as not used`, () => {
        const result = parseCdevents(text, { file, receivedAt });
        expect(result.problems).toEqual([]);
        expect(countRecords(result.records)).toEqual({ rawEvents: 1 });
        expect(result.records.rawEvents[0]).toMatchObject({
          source: 'cdevents',
          type: event.context.type,
          receivedAt: '2024-06-01T00:00:00.000Z',
          payload: event,
        });
        expect(result.unused).toEqual([
          { type: event.context.type, count: 1, reason: 'not a type Pave uses' },
        ]);
      });
    }
  }

  it('reads all of them as one array, nothing lost', () => {
    const result = parseCdevents(JSON.stringify(examples.map((e) => e.event)), { receivedAt });
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(examples.length);
    const usedCount = examples.filter((e) => used.has(e.kind)).length;
    // change.created, change.reviewed and change.merged name the same change (subject id): one pull request.
    const records = Object.values(countRecords(result.records)).reduce((a, b) => a + b, 0);
    expect(records).toBe(examples.length - 2);
    expect(result.records.rawEvents).toHaveLength(examples.length - usedCount);
    expect(result.records.pullRequests).toEqual([
      expect.objectContaining({
        repository: 'TestRepo/TestOrg',
        createdAt: '2023-03-20T14:27:05.315Z',
        firstReviewAt: '2023-03-20T14:27:05.315Z',
        mergedAt: '2023-03-20T14:27:05.315Z',
      }),
    ]);
  });

  it('normalises a service.deployed example field by field', () => {
    const result = parseCdevents(JSON.stringify(example('service.deployed')), { receivedAt });
    expect(result.records.deployments).toEqual([
      {
        id: 'cdevents:service.deployed:/event/source/123:271069a8-fc18-44f1-b38f-9d70a1695819',
        service: 'mySubject123',
        environment: 'test123',
        status: 'success',
        finishedAt: '2023-03-20T14:27:05.315Z',
        statusAt: '2023-03-20T14:27:05.315Z',
        // An OCI digest names an image, not a commit: no sha.
        artifact: 'pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
        source: 'cdevents',
        sourceRef: '271069a8-fc18-44f1-b38f-9d70a1695819',
      },
    ]);
  });

  it('marks service.rolledback as a rollback', () => {
    const result = parseCdevents(JSON.stringify(example('service.rolledback')));
    expect(result.records.deployments[0]).toMatchObject({ rollback: true, status: 'success' });
  });

  it('maps pipeline, task, test and incident examples', () => {
    const events = [
      'pipelinerun.finished',
      'taskrun.finished',
      'testcaserun.finished',
      'testsuiterun.finished',
    ];
    const result = parseCdevents(JSON.stringify(events.map(example)));
    expect(result.records.pipelineRuns[0]).toMatchObject({
      id: 'cdevents:pipelinerun:/event/source/123:mySubject123',
      pipeline: 'myPipeline',
      status: 'failure',
      finishedAt: '2023-03-20T14:27:05.315Z',
      sourceRef: 'https://www.example.com/mySubject123',
    });
    // The task run points at the pipeline run's record id.
    expect(result.records.taskRuns[0]).toMatchObject({
      name: 'myTask',
      status: 'failure',
      pipelineRunId: result.records.pipelineRuns[0]!.id,
    });
    expect(result.records.testCaseResults[0]).toMatchObject({ test: 'Login Test', status: 'passed' });
    expect(result.records.testSuiteRuns[0]).toMatchObject({
      suite: 'Auth TestSuite',
      status: 'failed',
      environment: 'dev',
    });
    const incident = parseCdevents(JSON.stringify(example('incident.reported'))).records.incidentSignals[0];
    expect(incident).toEqual({
      id: 'cdevents:incident.reported:/monitoring/prod1:F4BD2B55-B6F6-4F44-AF72-BD2D0E7A8708',
      incidentId: 'incident-123',
      incidentSource: '/monitoring/prod1',
      kind: 'reported',
      at: '2022-11-11T13:52:20.079Z',
      service: 'myApp',
      environment: 'prod1',
      artifact: 'pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
      description: 'Response time above threshold of 100ms',
      ticketUri: 'https://my-issues.example/incidents/ticket-345',
      source: 'cdevents',
    });
  });
});

/** The fields a JSON Schema (as the CDEvents schemas write them) requires and forbids, checked. */
function schemaViolations(schema: Record<string, unknown>, value: unknown, path = ''): string[] {
  const problems: string[] = [];
  const type = schema.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path}: not an object`];
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) problems.push(`${path}/${key}: required`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, child] of Object.entries(object)) {
      const childSchema = properties[key];
      if (!childSchema) {
        if (schema.additionalProperties === false) problems.push(`${path}/${key}: not allowed`);
        continue;
      }
      problems.push(...schemaViolations(childSchema, child, `${path}/${key}`));
    }
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${path}: not a string`];
    const min = schema.minLength as number | undefined;
    if (min !== undefined && value.length < min) problems.push(`${path}: shorter than ${min}`);
    const allowed = schema.enum as string[] | undefined;
    if (allowed && !allowed.includes(value)) problems.push(`${path}: not one of ${allowed.join(', ')}`);
  }
  return problems;
}

describe('the conformance examples and the JSON Schemas', () => {
  for (const { file, event, kind } of examples) {
    const schemaFile = `${schemaDir}/${kind.replace('.', '')}.json`;
    it(`${file} has what ${kind.replace('.', '')}.json requires`, () => {
      const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
      expect(schemaViolations(schema, event)).toEqual([]);
    });
  }

  // Every context field a schema requires is one Pave checks: removing it is an error at its pointer.
  const contextRequired = JSON.parse(readFileSync(`${schemaDir}/servicedeployed.json`, 'utf8')).properties
    .context.required as string[];
  for (const field of contextRequired) {
    it(`rejects an event without context.${field}, at /context/${field}`, () => {
      const event = example('service.deployed');
      delete event.context[field];
      const result = parseCdevents(JSON.stringify(event));
      expect(result.records.deployments).toEqual([]);
      expect(result.problems).toEqual([
        expect.objectContaining({ severity: 'error', location: { pointer: `/context/${field}` } }),
      ]);
    });
  }

  for (const kind of CDEVENTS_USED_TYPES) {
    const schema = JSON.parse(readFileSync(`${schemaDir}/${kind.replace('.', '')}.json`, 'utf8'));
    for (const field of schema.properties.subject.required as string[]) {
      it(`rejects a ${kind} without subject.${field}`, () => {
        const event = example(kind);
        delete event.subject[field];
        const result = parseCdevents(JSON.stringify(event));
        expect(countRecords(result.records)).toEqual({});
        expect(result.problems[0]).toMatchObject({
          severity: 'error',
          location: { pointer: `/subject/${field}` },
        });
      });
    }
  }
});

describe('parseCdevents: where the commit, service and environment come from', () => {
  it('takes customData pave.dev/* keys first', () => {
    const event = example('service.deployed');
    event.customData = {
      'pave.dev/service': 'component:default/checkout',
      'pave.dev/sha': 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
      'pave.dev/environment': 'production',
      'pave.dev/deployment-id': 'ci-run-4711',
      'pave.dev/remediates': 'ci-run-4700',
      'pave.dev/unplanned': true,
      'pave.dev/repository': 'acme/checkout',
    };
    const [deployment] = parseCdevents(JSON.stringify(event)).records.deployments;
    expect(deployment).toMatchObject({
      id: 'ci-run-4711',
      service: 'component:default/checkout',
      sha: 'abcdef0123456789abcdef0123456789abcdef01',
      environment: 'production',
      remediates: 'ci-run-4700',
      unplanned: true,
      repository: 'acme/checkout',
    });
  });

  it('finds the commit in a purl vcs_url qualifier or a full-sha version, not in an image digest', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const cases: [string, string | undefined][] = [
      [`pkg:github/acme/checkout@v1.2.3?vcs_url=git%2Bhttps://github.com/acme/checkout.git%40${sha}`, sha],
      [`pkg:generic/checkout@${sha}`, sha],
      [
        'pkg:oci/checkout@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
        undefined,
      ],
      ['pkg:maven/com.acme/checkout@20240101', undefined],
      ['not-a-purl', undefined],
    ];
    for (const [artifactId, expected] of cases) {
      const event = example('service.deployed');
      (event.subject.content as Record<string, unknown>).artifactId = artifactId;
      const [deployment] = parseCdevents(JSON.stringify(event)).records.deployments;
      expect({ artifactId, sha: deployment?.sha }).toEqual({ artifactId, sha: expected });
    }
  });

  it('warns about a customData sha that is not one, and keeps the deployment', () => {
    const event = example('service.deployed');
    event.customData = { 'pave.dev/sha': 'not-a-sha' };
    const result = parseCdevents(
      `${JSON.stringify(event)}\n${JSON.stringify(example('incident.detected'))}\n`,
    );
    expect(result.records.deployments).toHaveLength(1);
    expect(result.records.deployments[0]!.sha).toBeUndefined();
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message: '"not-a-sha" is not a commit sha (7 to 64 hex digits); ignored',
        location: { pointer: '/customData/pave.dev~1sha', line: 1 },
      },
    ]);
  });

  it('accepts a v0.4 event (context.version, subject.type)', () => {
    const v04 = {
      context: {
        version: '0.4.1',
        id: 'a2f2b6f0-8e0d-4b4c-9a6d-8f3e5f7e8f5d',
        source: '/my-app/my-pipeline',
        type: 'dev.cdevents.service.deployed.0.1.1',
        timestamp: '2025-07-03T10:00:00Z',
      },
      subject: {
        id: 'my-service',
        source: '/my-app/my-pipeline',
        type: 'service',
        content: { environment: { id: 'production' }, artifactId: 'pkg:oci/my-app@sha256:1234567890abcdef' },
      },
    };
    const result = parseCdevents(JSON.stringify(v04));
    expect(result.problems).toEqual([]);
    expect(result.records.deployments[0]).toMatchObject({
      service: 'my-service',
      environment: 'production',
      finishedAt: '2025-07-03T10:00:00.000Z',
    });
  });
});

describe('parseCdevents: input forms', () => {
  const deployed = example('service.deployed');
  const detected = example('incident.detected');

  it('reads one event, an array, NDJSON and a pretty-printed event alike', () => {
    const forms = [
      JSON.stringify(deployed),
      JSON.stringify(deployed, null, 2),
      JSON.stringify([deployed, detected]),
      `${JSON.stringify(deployed)}\n${JSON.stringify(detected)}\n`,
      `${JSON.stringify(deployed)}\r\n\r\n${JSON.stringify(detected)}`,
    ];
    const counts = forms.map((text) => {
      const result = parseCdevents(text);
      expect(result.problems).toEqual([]);
      return countRecords(result.records);
    });
    expect(counts).toEqual([
      { deployments: 1 },
      { deployments: 1 },
      { deployments: 1, incidentSignals: 1 },
      { deployments: 1, incidentSignals: 1 },
      { deployments: 1, incidentSignals: 1 },
    ]);
  });

  it('reads a parsed body with parseCdeventsValue', () => {
    const result = parseCdeventsValue([deployed, detected]);
    expect(countRecords(result.records)).toEqual({ deployments: 1, incidentSignals: 1 });
  });

  it('streams NDJSON lines in batches, line numbers running on', async () => {
    const bad = '{"context": {';
    const lines = [
      JSON.stringify(deployed),
      JSON.stringify(detected),
      bad,
      JSON.stringify(example('pipelinerun.finished')),
    ];
    const batches = [];
    for await (const batch of parseCdeventsLines(lines, { batchSize: 2, file: 'events.ndjson' }))
      batches.push(batch);
    expect(batches.map((b) => countRecords(b.records))).toEqual([
      { deployments: 1, incidentSignals: 1 },
      { pipelineRuns: 1 },
    ]);
    expect(batches[1]!.problems).toEqual([
      {
        severity: 'error',
        message: 'invalid JSON: unexpected end of input: expected a double-quoted property name',
        location: { file: 'events.ndjson', line: 3, column: 14 },
      },
    ]);
  });
});

describe('parseCdevents: bad input', () => {
  it('locates a syntax error in a JSON document by line and column', () => {
    const text = '[\n  {"context": {"id": "x",}}\n]';
    const result = parseCdevents(text, { file: 'events.json' });
    expect(result.problems).toEqual([
      {
        severity: 'error',
        message: "invalid JSON: unexpected '}': expected a double-quoted property name",
        location: { file: 'events.json', line: 2, column: 26 },
      },
    ]);
  });

  it('keeps the valid lines of NDJSON and names the bad line', () => {
    const text = [
      JSON.stringify(example('service.deployed')),
      '{"context": not json}',
      JSON.stringify({
        ...example('incident.resolved'),
        context: { ...example('incident.resolved').context, id: 42 },
      }),
      JSON.stringify(example('incident.detected')),
    ].join('\n');
    const result = parseCdevents(text, { file: 'batch.ndjson' });
    expect(countRecords(result.records)).toEqual({ deployments: 1, incidentSignals: 1 });
    expect(result.events).toBe(4);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        message: "invalid JSON: unexpected 'n': expected a JSON value",
        location: { file: 'batch.ndjson', line: 2, column: 13 },
      },
      {
        severity: 'error',
        message: 'must be a non-empty string, not 42',
        location: { file: 'batch.ndjson', line: 3, pointer: '/context/id' },
      },
    ]);
  });

  it('points into an array at the bad event', () => {
    const bad = example('service.deployed');
    delete (bad.subject.content as Record<string, unknown>).environment;
    const result = parseCdevents(JSON.stringify([example('incident.detected'), bad]));
    expect(result.records.incidentSignals).toHaveLength(1);
    expect(result.problems).toEqual([
      { severity: 'error', message: 'required', location: { pointer: '/1/subject/content/environment' } },
    ]);
  });

  it('rejects wrong types with a message naming the value', () => {
    const cases: [(e: Example['event']) => void, string, string, string][] = [
      [
        (e) => (e.context.timestamp = '2023-03-20 14:27'),
        'service.deployed',
        '/context/timestamp',
        'is not an RFC 3339',
      ],
      [
        (e) => (e.context.timestamp = '2023-03-20T14:27:05'),
        'service.deployed',
        '/context/timestamp',
        'with a time zone',
      ],
      [
        (e) => (e.context.timestamp = '2023-02-30T14:27:05Z'),
        'service.deployed',
        '/context/timestamp',
        'RFC 3339',
      ],
      [
        (e) => (e.context.type = 'dev.cdevents.service'),
        'service.deployed',
        '/context/type',
        'not a CDEvents type',
      ],
      [(e) => (e.context.type = 42), 'service.deployed', '/context/type', 'not 42'],
      [(e) => (e.context.source = ''), 'service.deployed', '/context/source', 'non-empty string, not ""'],
      [(e) => (e.context.specversion = 5), 'service.deployed', '/context/specversion', 'not 5'],
      [
        (e) => ((e.subject.content as Record<string, unknown>).outcome = 'constructor'),
        'testcaserun.finished',
        '/subject/content/outcome',
        'not "constructor"',
      ],
      [
        (e) => {
          delete e.context.specversion;
          e.context.version = '';
        },
        'service.deployed',
        '/context/version',
        'not ""',
      ],
      [
        (e) => (e.subject = [] as unknown as Record<string, unknown>),
        'service.deployed',
        '/subject',
        'must be an object, not an array',
      ],
      [
        (e) => ((e.subject.content as Record<string, unknown>).outcome = 'done'),
        'pipelinerun.finished',
        '/subject/content/outcome',
        'must be one of success, failure, error, cancel, not "done"',
      ],
      [
        (e) => ((e.subject.content as Record<string, unknown>).artifactId = 7),
        'service.deployed',
        '/subject/content/artifactId',
        'must be a string, not 7',
      ],
      [
        (e) => ((e.subject.content as Record<string, unknown>).environment = { id: '' }),
        'service.upgraded',
        '/subject/content/environment/id',
        'non-empty string',
      ],
      [
        (e) => ((e.subject.content as Record<string, unknown>).pipelineRun = {}),
        'taskrun.finished',
        '/subject/content/pipelineRun/id',
        'required',
      ],
      [
        (e) => (e.customData = { 'pave.dev/unplanned': 'yes' }),
        'service.deployed',
        '/customData/pave.dev~1unplanned',
        'must be true or false',
      ],
    ];
    for (const [mutate, kind, pointer, message] of cases) {
      const event = example(kind);
      mutate(event);
      const result = parseCdevents(JSON.stringify(event));
      expect(countRecords(result.records)).toEqual({});
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ severity: 'error', location: { pointer } });
      expect(result.problems[0]!.message).toContain(message);
    }
  });

  it('rejects what is not an event at all', () => {
    const result = parseCdevents('[1, "x", null, {}]');
    expect(result.problems.map((p) => [p.location?.pointer, p.message])).toEqual([
      ['/0', 'a CDEvent must be a JSON object, not 1'],
      ['/1', 'a CDEvent must be a JSON object, not "x"'],
      ['/2', 'a CDEvent must be a JSON object, not null'],
      ['/3/context', 'required'],
    ]);
    expect(parseCdevents('').problems[0]!.message).toBe('invalid JSON: empty input: expected a JSON value');
  });

  it('keeps unknown, custom and future-version events raw', () => {
    const unknown = example('service.deployed');
    unknown.context.type = 'dev.cdevents.rocket.launched.0.1.0';
    const custom = example('service.deployed');
    custom.context.type = 'dev.cdeventsx.mytool-widget.built.0.1.0';
    const future = example('service.deployed');
    future.context.type = 'dev.cdevents.service.deployed.1.0.0';
    const result = parseCdevents(JSON.stringify([unknown, custom, future]));
    expect(result.problems).toEqual([]);
    expect(countRecords(result.records)).toEqual({ rawEvents: 3 });
    expect(result.unused.map((u) => [u.type, u.reason])).toEqual([
      ['dev.cdevents.rocket.launched.0.1.0', 'not a type Pave uses'],
      ['dev.cdeventsx.mytool-widget.built.0.1.0', 'a custom event type'],
      ['dev.cdevents.service.deployed.1.0.0', 'an event version Pave does not know (it reads 0.x)'],
    ]);
  });

  it('keeps a finished run without an outcome raw: it cannot be counted', () => {
    const event = example('pipelinerun.finished');
    delete (event.subject.content as Record<string, unknown>).outcome;
    const result = parseCdevents(JSON.stringify(event));
    expect(result.problems).toEqual([]);
    expect(result.unused).toEqual([
      { type: event.context.type, count: 1, reason: 'no subject.content.outcome: the run cannot be counted' },
    ]);
  });

  it('collapses the same event sent twice into one record', () => {
    const event = example('service.deployed');
    const raw = example('branch.created');
    const result = parseCdevents([event, event, raw, raw].map((e) => JSON.stringify(e)).join('\n'));
    expect(result.events).toBe(4);
    expect(countRecords(result.records)).toEqual({ deployments: 1, rawEvents: 1 });
    expect(result.unused).toEqual([{ type: raw.context.type, count: 1, reason: 'not a type Pave uses' }]);
  });

  it('keeps an incident resolved before it was detected: both signals, storage reconciles', () => {
    const resolved = example('incident.resolved');
    resolved.context.id = 'resolved-1';
    resolved.context.timestamp = '2022-11-11T15:00:00Z';
    const detected = example('incident.detected');
    detected.context.id = 'detected-1';
    const result = parseCdevents(`${JSON.stringify(resolved)}\n${JSON.stringify(detected)}`);
    expect(result.records.incidentSignals.map((s) => [s.incidentId, s.kind, s.at])).toEqual([
      ['incident-123', 'resolved', '2022-11-11T15:00:00.000Z'],
      ['incident-123', 'detected', '2022-11-11T13:52:20.079Z'],
    ]);
  });

  it('with atomic, any error throws and nothing is returned; without, the valid events are kept', () => {
    const text = `${JSON.stringify(example('service.deployed'))}\n{"broken"\n`;
    expect(parseCdevents(text).records.deployments).toHaveLength(1);
    let thrown: unknown;
    try {
      parseCdevents(text, { atomic: true, file: 'x.ndjson' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).message).toBe('1 error in x.ndjson; nothing was ingested (atomic)');
    expect((thrown as InputError).problems).toEqual([
      expect.objectContaining({ severity: 'error', location: { file: 'x.ndjson', line: 2, column: 10 } }),
    ]);
    // Warnings alone are not fatal.
    const warned = example('service.deployed');
    warned.customData = { 'pave.dev/sha': 'xyz' };
    expect(parseCdevents(JSON.stringify(warned), { atomic: true }).records.deployments).toHaveLength(1);
  });

  it('copes with huge events and many of them', () => {
    const big = example('service.deployed');
    big.customData = { blob: 'x'.repeat(5_000_000), list: Array.from({ length: 100_000 }, (_, i) => i) };
    expect(parseCdevents(JSON.stringify(big)).records.deployments).toHaveLength(1);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const event = example('pipelinerun.finished');
      event.context.id = `e${i}`;
      event.subject.id = `run-${i}`;
      lines.push(JSON.stringify(event));
    }
    const result = parseCdevents(lines.join('\n'));
    expect(result.problems).toEqual([]);
    expect(result.records.pipelineRuns).toHaveLength(20_000);
  });
});
