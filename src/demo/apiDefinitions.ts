/**
 * Small but valid API definitions for the demo's API entities: OpenAPI 3.0.3, proto3 and AsyncAPI
 * 2.6.0, each describing the resource its provider is named after (`order` -> `/orders`,
 * `OrderService`, `OrderChanged`). Deterministic for the same input.
 */
import { stringify } from 'yaml';
import { camelCase, pascalCase, plural, snakeCase, titleCase, withArticle, words } from './naming.js';

/** What a definition is written about. */
export interface ApiSubject {
  /** The business noun, e.g. `pick-list`. */
  noun: string;
  /** The providing component's name, for server URLs and descriptions. */
  provider: string;
  /** `brightwave`: the proto package and the event channel start with it. */
  company: string;
  /** The system name, a proto package segment and a channel segment. */
  system: string;
  /** Semantic version of the API. */
  version: string;
  /** Extra status values for the resource, besides its defaults. */
  statuses?: string[];
}

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

// A proto or AsyncAPI identifier segment must start with a letter.
function identifierSegment(text: string): string {
  const snake = snakeCase(text);
  return /^[a-z]/.test(snake) ? snake : `x${snake}`;
}

/** An OpenAPI 3.0.3 document (YAML) with list, create, get and update operations. */
export function openApiDefinition(subject: ApiSubject): string {
  const collection = plural(subject.noun);
  const schema = pascalCase(subject.noun);
  const idParam = `${camelCase(subject.noun)}Id`;
  const statuses = subject.statuses ?? ['active', 'archived'];
  const document = {
    openapi: '3.0.3',
    info: {
      title: `${titleCase(subject.noun)} API`,
      version: subject.version,
      description: `Manage ${words(collection)}. Served by ${subject.provider}.`,
    },
    servers: [{ url: `https://${subject.provider}.internal.demo.pave.dev/v1` }],
    paths: {
      [`/${collection}`]: {
        get: {
          operationId: `list${pascalCase(collection)}`,
          summary: `List ${words(collection)}`,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: `A page of ${words(collection)}`,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['items'],
                    properties: {
                      items: { type: 'array', items: { $ref: `#/components/schemas/${schema}` } },
                      nextCursor: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
        post: {
          operationId: `create${schema}`,
          summary: `Create ${withArticle(words(subject.noun))}`,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
            },
            '400': { description: 'Invalid input' },
          },
        },
      },
      [`/${collection}/{${idParam}}`]: {
        parameters: [{ name: idParam, in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: `get${schema}`,
          summary: `Get ${withArticle(words(subject.noun))}`,
          responses: {
            '200': {
              description: `The ${words(subject.noun)}`,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
            },
            '404': { description: 'Not found' },
          },
        },
      },
    },
    components: {
      schemas: {
        [schema]: {
          type: 'object',
          required: ['id', 'status'],
          properties: {
            id: { type: 'string', readOnly: true },
            status: { type: 'string', enum: statuses },
            createdAt: { type: 'string', format: 'date-time', readOnly: true },
            updatedAt: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
      },
    },
  };
  return stringify(document, YAML_OPTIONS);
}

/** A proto3 file with a service of Get and List RPCs. */
export function grpcDefinition(subject: ApiSubject): string {
  const message = pascalCase(subject.noun);
  const collection = pascalCase(plural(subject.noun));
  const pkg = [subject.company, subject.system, subject.noun, 'v1'].map(identifierSegment).join('.');
  const statuses = subject.statuses ?? ['active', 'archived'];
  const enumPrefix = `${snakeCase(subject.noun).toUpperCase()}_STATUS`;
  const lines = [
    'syntax = "proto3";',
    '',
    `package ${pkg};`,
    '',
    'import "google/protobuf/timestamp.proto";',
    '',
    `// Served by ${subject.provider}, version ${subject.version}.`,
    `service ${message}Service {`,
    `  rpc Get${message}(Get${message}Request) returns (${message});`,
    `  rpc List${collection}(List${collection}Request) returns (List${collection}Response);`,
    '}',
    '',
    `enum ${message}Status {`,
    `  ${enumPrefix}_UNSPECIFIED = 0;`,
    ...statuses.map((status, i) => `  ${enumPrefix}_${snakeCase(status).toUpperCase()} = ${i + 1};`),
    '}',
    '',
    `message ${message} {`,
    '  string id = 1;',
    `  ${message}Status status = 2;`,
    '  google.protobuf.Timestamp update_time = 3;',
    '}',
    '',
    `message Get${message}Request {`,
    '  string id = 1;',
    '}',
    '',
    `message List${collection}Request {`,
    '  int32 page_size = 1;',
    '  string page_token = 2;',
    '}',
    '',
    `message List${collection}Response {`,
    `  repeated ${message} ${snakeCase(plural(subject.noun))} = 1;`,
    '  string next_page_token = 2;',
    '}',
    '',
  ];
  return lines.join('\n');
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** An AsyncAPI 2.6.0 document (YAML) with one channel of change events. */
export function asyncApiDefinition(subject: ApiSubject): string {
  const message = `${pascalCase(subject.noun)}Changed`;
  const channel = [subject.company, subject.system, subject.noun, 'v1'].map(identifierSegment).join('.');
  const document = {
    asyncapi: '2.6.0',
    info: {
      title: `${titleCase(subject.noun)} events`,
      version: subject.version,
      description: `Published by ${subject.provider} whenever ${withArticle(words(subject.noun))} changes.`,
    },
    defaultContentType: 'application/json',
    channels: {
      [channel]: {
        subscribe: {
          operationId: `on${message}`,
          summary: `${capitalise(withArticle(words(subject.noun)))} was created, updated or deleted.`,
          message: { $ref: `#/components/messages/${message}` },
        },
      },
    },
    components: {
      messages: {
        [message]: {
          name: message,
          title: `${titleCase(subject.noun)} changed`,
          payload: {
            type: 'object',
            required: ['id', 'change', 'occurredAt'],
            properties: {
              id: { type: 'string' },
              change: { type: 'string', enum: ['created', 'updated', 'deleted'] },
              occurredAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  };
  return stringify(document, YAML_OPTIONS);
}
