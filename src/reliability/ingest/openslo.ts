/**
 * OpenSLO v1 (`apiVersion: openslo/v1`): SLO, SLI, Service, DataSource, AlertPolicy,
 * AlertCondition and AlertNotificationTarget objects, one per document or several as a YAML list
 * (as the OpenSLO go-sdk examples are written). Validation follows the OpenSLO go-sdk
 * (`pkg/openslo/v1/*.go`); references (`indicatorRef`, `alertPolicyRef`, `conditionRef`,
 * `targetRef`, `metricSourceRef`) are resolved across every file read together. Each objective of
 * an SLO becomes one Pave SLO. See docs/slo.md for the mapping and what is rejected.
 */
import type { Problem } from '../../core/errors.js';
import {
  type AlertConditionSpec,
  type AlertPolicySpec,
  BudgetingMethod,
  type MetricQuery,
  type Sli,
  type SloAlert,
  type SloSpec,
  type SloTimeWindow,
} from '../model.js';
import { labelNameKind } from '../promql.js';
import { describe, FieldReader, isYamlMap } from './fieldReader.js';
import { sloComponent } from './sloComponent.js';
import type { YamlDocument, YamlFile, YamlPath } from './yamlFile.js';

/** The OpenSLO v1 kinds Pave reads. */
export const OPENSLO_V1_KINDS = [
  'SLO',
  'SLI',
  'Service',
  'DataSource',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
] as const;
export type OpenSloKind = (typeof OPENSLO_V1_KINDS)[number];

/** One OpenSLO object and where it sits: `path` is `[]` for a whole document, `[i]` in a list. */
export interface OpenSloObject {
  kind: OpenSloKind;
  name: string;
  reader: FieldReader;
  path: YamlPath;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const DURATION_SHORTHAND = /^(\d+)([mhdwMQY])$/;
/** OpenSLO duration units in seconds (go-sdk `DurationShorthand.Duration`: M = 30d, Q = 90d, Y = 365d). */
const SHORTHAND_SECONDS: Record<string, number> = {
  m: 60,
  h: 3600,
  d: 86_400,
  w: 7 * 86_400,
  M: 30 * 86_400,
  Q: 90 * 86_400,
  Y: 365 * 86_400,
};
const OPERATORS = ['lt', 'lte', 'gt', 'gte'] as const;
const MAX_DESCRIPTION = 1050;

/**
 * Splits an `openslo/v1` document into its objects (one mapping, or a list of them) and checks
 * each one's `apiVersion`, `kind` and `metadata`.
 */
export function collectOpenSloObjects(
  file: YamlFile,
  doc: YamlDocument,
  problems: Problem[],
): OpenSloObject[] {
  const bases: YamlPath[] = Array.isArray(doc.value) ? doc.value.map((_, i) => [i]) : [[]];
  const objects: OpenSloObject[] = [];
  for (const base of bases) {
    const reader = new FieldReader(file, doc, problems);
    if (!reader.map(base, { required: true })) continue;
    const apiVersion = reader.string([...base, 'apiVersion']);
    if (apiVersion !== 'openslo/v1') {
      reader.error(
        [...base, 'apiVersion'],
        `apiVersion "${apiVersion ?? ''}" is not read here: expected openslo/v1`,
      );
      continue;
    }
    const kind = reader.string([...base, 'kind'], { required: true }) ?? '';
    if (!(OPENSLO_V1_KINDS as readonly string[]).includes(kind)) {
      reader.error(
        [...base, 'kind'],
        `kind "${kind}" is not an OpenSLO v1 kind (${OPENSLO_V1_KINDS.join(', ')})`,
      );
      continue;
    }
    const name = readMetadata(reader, [...base, 'metadata']);
    reader.subject = `${kind} ${name}`;
    reader.unknownKeys(base, ['apiVersion', 'kind', 'metadata', 'spec'], `OpenSLO ${kind}`);
    if (kind !== 'Service') reader.map([...base, 'spec'], { required: true });
    objects.push({ kind: kind as OpenSloKind, name, reader, path: base });
  }
  return objects;
}

/** Validates `metadata` (go-sdk `validationRulesMetadata`) and returns its name. */
function readMetadata(reader: FieldReader, path: YamlPath): string {
  if (!reader.map(path, { required: true })) return '';
  const name = reader.string([...path, 'name'], { required: true }) ?? '';
  if (name !== '' && !DNS_LABEL.test(name)) {
    reader.error(
      [...path, 'name'],
      `metadata.name "${name}" must be an RFC 1123 DNS label (lower case a-z, 0-9 and -, at most 63)`,
    );
  }
  const displayName = reader.string([...path, 'displayName']);
  if (displayName !== undefined && displayName.length > 63) {
    reader.error(
      [...path, 'displayName'],
      `metadata.displayName is longer than 63 characters (${displayName.length})`,
    );
  }
  const labels = reader.map([...path, 'labels']) ?? {};
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key))
      reader.error([...path, 'labels', key], `label key "${key}" is not valid`, 'key');
    const ok =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) reader.error([...path, 'labels', key], `label "${key}" must be a string or a list of strings`);
  }
  const annotations = reader.map([...path, 'annotations']) ?? {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!ANNOTATION_KEY.test(key) || key.length > 253 + 1 + 63) {
      reader.error([...path, 'annotations', key], `annotation key "${key}" is not valid`, 'key');
    }
    if (typeof value !== 'string')
      reader.error([...path, 'annotations', key], `annotation "${key}" must be a string`);
  }
  return name;
}

/** Reads OpenSLO v1 objects read together: validates each, resolves references, maps SLOs. */
export function readOpenSloV1(objects: readonly OpenSloObject[]): SloSpec[] {
  const index = new Map<string, OpenSloObject>();
  const usable: OpenSloObject[] = [];
  for (const object of objects) {
    if (object.name === '') continue;
    const key = `${object.kind}/${object.name}`;
    const first = index.get(key);
    if (first) {
      const where = first.reader.at([...first.path, 'metadata', 'name']);
      object.reader.error(
        [...object.path, 'metadata', 'name'],
        `${object.kind} "${object.name}" is defined twice (first at ${where.file}:${where.line}:${where.column})`,
      );
      continue;
    }
    index.set(key, object);
    usable.push(object);
  }
  const context = new ResolveContext(index);
  for (const object of usable) {
    const spec = [...object.path, 'spec'];
    if (object.kind === 'Service') validateService(object.reader, spec);
    if (object.kind === 'DataSource') validateDataSource(object.reader, spec);
    if (object.kind === 'AlertNotificationTarget') readTargetSpec(object.reader, spec);
    if (object.kind === 'AlertCondition') context.condition(object);
    if (object.kind === 'SLI') context.indicator(object);
    if (object.kind === 'AlertPolicy') context.policy(object);
  }
  const slos: SloSpec[] = [];
  for (const object of usable) {
    if (object.kind === 'SLO') slos.push(...readSlo(object, context));
  }
  return slos;
}

/** Lookups across every object read together. */
class ResolveContext {
  // Each referenced object is read once, so its problems are reported once however often it is used.
  private readonly memo = new Map<OpenSloObject, unknown>();

  constructor(readonly index: Map<string, OpenSloObject>) {}

  find(kind: OpenSloKind, name: string): OpenSloObject | undefined {
    return this.index.get(`${kind}/${name}`);
  }

  /** Reads an object once; an object with any error (its metadata too) resolves to nothing. */
  private once<T>(object: OpenSloObject, read: () => T): T | undefined {
    if (!this.memo.has(object)) {
      const value = read();
      this.memo.set(object, object.reader.errorCount > 0 ? undefined : value);
    }
    return this.memo.get(object) as T | undefined;
  }

  indicator(object: OpenSloObject): IndicatorSpec | undefined {
    return this.once(object, () => readIndicatorSpec(object.reader, [...object.path, 'spec'], this));
  }

  condition(object: OpenSloObject): AlertConditionSpec | undefined {
    return this.once(object, () => readConditionSpec(object.reader, [...object.path, 'spec'], object.name));
  }

  policy(object: OpenSloObject): AlertPolicySpec | undefined {
    return this.once(object, () =>
      readPolicySpec(object.reader, [...object.path, 'spec'], object.name, this),
    );
  }
}

function checkDescription(reader: FieldReader, path: YamlPath): string | undefined {
  const description = reader.string([...path, 'description']);
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    reader.error(
      [...path, 'description'],
      `description is longer than ${MAX_DESCRIPTION} characters (${description.length})`,
    );
  }
  return description || undefined;
}

function validateService(reader: FieldReader, spec: YamlPath): void {
  reader.map(spec);
  reader.unknownKeys(spec, ['description'], 'OpenSLO Service');
  checkDescription(reader, spec);
}

function validateDataSource(reader: FieldReader, spec: YamlPath): void {
  reader.unknownKeys(spec, ['description', 'type', 'connectionDetails'], 'OpenSLO DataSource');
  checkDescription(reader, spec);
  reader.string([...spec, 'type'], { required: true });
  if (!reader.has([...spec, 'connectionDetails'])) reader.error(spec, 'spec.connectionDetails is required');
}

function readTargetSpec(reader: FieldReader, spec: YamlPath): string | undefined {
  reader.unknownKeys(spec, ['description', 'target'], 'OpenSLO AlertNotificationTarget');
  checkDescription(reader, spec);
  return reader.string([...spec, 'target'], { required: true });
}

/** A positive OpenSLO duration shorthand (`1m` = one minute, `1M` = one month of 30 days). */
function readShorthand(
  reader: FieldReader,
  path: YamlPath,
  options: { required?: boolean } = {},
): { text: string; seconds: number } | undefined {
  const text = reader.string(path, options);
  if (text === undefined || text === '') return undefined;
  const match = DURATION_SHORTHAND.exec(text);
  if (!match) {
    reader.error(
      path,
      `${describe(path.slice(-1))} "${text}" is not an OpenSLO duration: write [0-9]+ and one of m h d w M Q Y`,
    );
    return undefined;
  }
  const seconds = Number(match[1]) * SHORTHAND_SECONDS[match[2]!]!;
  if (seconds <= 0) {
    reader.error(path, `${describe(path.slice(-1))} must be longer than zero`);
    return undefined;
  }
  return { text, seconds };
}

function readOperator(
  reader: FieldReader,
  path: YamlPath,
  required: boolean,
): (typeof OPERATORS)[number] | undefined {
  const op = reader.string(path, { required });
  if (op === undefined || op === '') return undefined;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    reader.error(path, `op "${op}" must be one of ${OPERATORS.join(', ')}`);
    return undefined;
  }
  return op as (typeof OPERATORS)[number];
}

function readConditionSpec(
  reader: FieldReader,
  spec: YamlPath,
  name: string | undefined,
): AlertConditionSpec | undefined {
  const errors = reader.errorCount;
  reader.unknownKeys(spec, ['description', 'severity', 'condition'], 'OpenSLO AlertCondition');
  const description = checkDescription(reader, spec);
  const severity = reader.string([...spec, 'severity'], { required: true });
  const condition = [...spec, 'condition'];
  reader.map(condition, { required: true });
  reader.unknownKeys(
    condition,
    ['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter'],
    'OpenSLO AlertCondition',
  );
  const kind = reader.string([...condition, 'kind'], { required: true });
  if (kind !== undefined && kind !== 'burnrate')
    reader.error([...condition, 'kind'], `condition kind "${kind}" must be burnrate`);
  const op = readOperator(reader, [...condition, 'op'], true);
  const threshold = reader.number([...condition, 'threshold'], { required: true });
  const lookback = readShorthand(reader, [...condition, 'lookbackWindow'], { required: true });
  const alertAfter = readShorthand(reader, [...condition, 'alertAfter']);
  if (reader.errorCount > errors || !severity || !op || threshold === undefined || !lookback)
    return undefined;
  return {
    ...(name ? { name } : {}),
    severity,
    op,
    threshold,
    lookbackWindow: lookback.text,
    ...(alertAfter ? { alertAfter: alertAfter.text } : {}),
    ...(description ? { description } : {}),
  };
}

function readPolicySpec(
  reader: FieldReader,
  spec: YamlPath,
  name: string,
  context: ResolveContext,
): AlertPolicySpec | undefined {
  const errors = reader.errorCount;
  reader.unknownKeys(
    spec,
    [
      'description',
      'alertWhenNoData',
      'alertWhenBreaching',
      'alertWhenResolved',
      'conditions',
      'notificationTargets',
    ],
    'OpenSLO AlertPolicy',
  );
  const description = checkDescription(reader, spec);
  const conditions = reader.list([...spec, 'conditions']) ?? [];
  if (conditions.length !== 1) {
    reader.error(
      [...spec, 'conditions'],
      `an alert policy has exactly one condition (it has ${conditions.length})`,
    );
  }
  const resolved: AlertConditionSpec[] = [];
  for (const [i] of conditions.entries()) {
    const path = [...spec, 'conditions', i];
    const ref = reader.string([...path, 'conditionRef']);
    const inline = reader.has([...path, 'spec']);
    if ((ref !== undefined) === inline) {
      reader.error(
        path,
        'a condition has either conditionRef or an inline AlertCondition (kind, metadata, spec), not both',
      );
      continue;
    }
    if (ref !== undefined) {
      const target = context.find('AlertCondition', ref);
      if (!target) {
        reader.error(
          [...path, 'conditionRef'],
          `conditionRef "${ref}" names no AlertCondition in the files read`,
        );
        continue;
      }
      const condition = context.condition(target);
      if (condition) resolved.push(condition);
      else reader.error([...path, 'conditionRef'], `AlertCondition "${ref}" is invalid`);
    } else {
      const kind = reader.string([...path, 'kind'], { required: true });
      if (kind !== undefined && kind !== 'AlertCondition')
        reader.error([...path, 'kind'], `kind must be AlertCondition, not ${kind}`);
      const inlineName = readMetadata(reader, [...path, 'metadata']);
      const condition = readConditionSpec(reader, [...path, 'spec'], inlineName || undefined);
      if (condition) resolved.push(condition);
    }
  }
  const targets = reader.list([...spec, 'notificationTargets']) ?? [];
  if (targets.length === 0)
    reader.error([...spec, 'notificationTargets'], 'an alert policy has at least one notification target');
  const notificationTargets: AlertPolicySpec['notificationTargets'] = [];
  for (const [i] of targets.entries()) {
    const path = [...spec, 'notificationTargets', i];
    const ref = reader.string([...path, 'targetRef']);
    const inline = reader.has([...path, 'spec']);
    if ((ref !== undefined) === inline) {
      reader.error(
        path,
        'a notification target has either targetRef or an inline AlertNotificationTarget, not both',
      );
      continue;
    }
    if (ref !== undefined) {
      if (!DNS_LABEL.test(ref))
        reader.error([...path, 'targetRef'], `targetRef "${ref}" must be an RFC 1123 DNS label`);
      const target = context.find('AlertNotificationTarget', ref);
      if (!target) {
        // Targets only route notifications: rules and evaluation do not need them, so this warns.
        reader.warn(
          [...path, 'targetRef'],
          `targetRef "${ref}" names no AlertNotificationTarget in the files read`,
        );
        notificationTargets.push({ name: ref });
      } else {
        const kindOf = target.reader.string([...target.path, 'spec', 'target']);
        notificationTargets.push({ name: ref, ...(kindOf ? { target: kindOf } : {}) });
      }
    } else {
      const kind = reader.string([...path, 'kind'], { required: true });
      if (kind !== undefined && kind !== 'AlertNotificationTarget') {
        reader.error([...path, 'kind'], `kind must be AlertNotificationTarget, not ${kind}`);
      }
      const inlineName = readMetadata(reader, [...path, 'metadata']);
      const target = readTargetSpec(reader, [...path, 'spec']);
      notificationTargets.push({ name: inlineName, ...(target ? { target } : {}) });
    }
  }
  if (reader.errorCount > errors) return undefined;
  return {
    name,
    ...(description ? { description } : {}),
    alertWhenBreaching: reader.boolean([...spec, 'alertWhenBreaching']) ?? false,
    alertWhenResolved: reader.boolean([...spec, 'alertWhenResolved']) ?? false,
    alertWhenNoData: reader.boolean([...spec, 'alertWhenNoData']) ?? false,
    conditions: resolved,
    notificationTargets,
  };
}

/** An SLI before the objective completes it (a threshold SLI takes `op` and `value` from there). */
type IndicatorSpec =
  | Extract<Sli, { type: 'ratio' }>
  | Extract<Sli, { type: 'raw' }>
  | { type: 'threshold'; metric: MetricQuery };

function readIndicatorSpec(
  reader: FieldReader,
  spec: YamlPath,
  context: ResolveContext,
): IndicatorSpec | undefined {
  const errors = reader.errorCount;
  reader.unknownKeys(spec, ['description', 'thresholdMetric', 'ratioMetric'], 'OpenSLO SLI');
  checkDescription(reader, spec);
  const threshold = reader.has([...spec, 'thresholdMetric']);
  const ratio = reader.has([...spec, 'ratioMetric']);
  if (threshold === ratio) {
    reader.error(spec, 'an SLI has exactly one of thresholdMetric and ratioMetric');
    return undefined;
  }
  if (threshold) {
    const metric = readMetricSpec(reader, [...spec, 'thresholdMetric'], context);
    return metric && reader.errorCount === errors ? { type: 'threshold', metric } : undefined;
  }
  const path = [...spec, 'ratioMetric'];
  reader.map(path);
  reader.unknownKeys(path, ['counter', 'good', 'bad', 'total', 'rawType', 'raw'], 'OpenSLO SLI ratioMetric');
  const has = (key: string) => reader.has([...path, key]);
  if (has('total') === has('raw')) {
    reader.error(path, 'a ratioMetric has exactly one of total and raw');
    return undefined;
  }
  const counter = reader.boolean([...path, 'counter']);
  if (has('raw')) {
    if (has('good') || has('bad')) {
      reader.error(path, 'a raw ratioMetric has neither good nor bad');
      return undefined;
    }
    const rawType = reader.string([...path, 'rawType'], { required: true });
    if (rawType !== undefined && rawType !== 'success' && rawType !== 'failure') {
      reader.error([...path, 'rawType'], `rawType "${rawType}" must be success or failure`);
    }
    const query = readMetricSpec(reader, [...path, 'raw'], context);
    if (!query || reader.errorCount > errors) return undefined;
    return { type: 'raw', rawType: rawType as 'success' | 'failure', query };
  }
  if (has('good') === has('bad')) {
    reader.error(path, 'a ratioMetric with total has exactly one of good and bad');
    return undefined;
  }
  const which = has('good') ? 'good' : 'bad';
  const part = readMetricSpec(reader, [...path, which], context);
  const total = readMetricSpec(reader, [...path, 'total'], context);
  if (!part || !total || reader.errorCount > errors) return undefined;
  return {
    type: 'ratio',
    ...(which === 'good' ? { good: part } : { bad: part }),
    total,
    ...(counter !== undefined ? { counter } : {}),
  };
}

function readMetricSpec(
  reader: FieldReader,
  path: YamlPath,
  context: ResolveContext,
): MetricQuery | undefined {
  const source = [...path, 'metricSource'];
  if (!reader.map(path, { required: true })) return undefined;
  reader.unknownKeys(path, ['metricSource'], 'OpenSLO SLI metric');
  if (!reader.map(source, { required: true })) return undefined;
  reader.unknownKeys(source, ['metricSourceRef', 'type', 'spec'], 'OpenSLO metricSource');
  const ref = reader.string([...source, 'metricSourceRef']);
  if (ref !== undefined && ref !== '' && !DNS_LABEL.test(ref)) {
    reader.error([...source, 'metricSourceRef'], `metricSourceRef "${ref}" must be an RFC 1123 DNS label`);
  }
  let type = reader.string([...source, 'type']);
  if (ref) {
    const dataSource = context.find('DataSource', ref);
    if (!dataSource) {
      reader.warn(
        [...source, 'metricSourceRef'],
        `metricSourceRef "${ref}" names no DataSource in the files read`,
      );
    } else if (!type) {
      type = dataSource.reader.string([...dataSource.path, 'spec', 'type']);
    }
  }
  const spec = reader.map([...source, 'spec']);
  if (!spec || Object.keys(spec).length === 0) {
    reader.error([...source, 'spec'], 'metricSource.spec is required and holds at least one field');
    return undefined;
  }
  if (!type) {
    reader.error(
      source,
      'metricSource.type is required when metricSourceRef names no DataSource with a type',
    );
    return undefined;
  }
  const query = typeof spec.query === 'string' ? spec.query : '';
  return { query, sourceType: type, ...(ref ? { sourceRef: ref } : {}), spec };
}

/** Maps one SLO object to one Pave SLO per objective. */
function readSlo(object: OpenSloObject, context: ResolveContext): SloSpec[] {
  const { reader } = object;
  const spec = [...object.path, 'spec'];
  reader.unknownKeys(
    spec,
    [
      'description',
      'service',
      'indicator',
      'indicatorRef',
      'budgetingMethod',
      'timeWindow',
      'objectives',
      'alertPolicies',
    ],
    'OpenSLO SLO',
  );
  const description = checkDescription(reader, spec);
  const service = reader.string([...spec, 'service'], { required: true }) ?? '';
  const method = reader.string([...spec, 'budgetingMethod'], { required: true });
  const budgetingMethod = BudgetingMethod.safeParse(method);
  if (method !== undefined && !budgetingMethod.success) {
    reader.error(
      [...spec, 'budgetingMethod'],
      `budgetingMethod "${method}" must be one of ${BudgetingMethod.options.join(', ')}`,
    );
  }
  const timeWindow = readTimeWindow(reader, [...spec, 'timeWindow']);
  const objectives = reader.list([...spec, 'objectives']) ?? [];
  if (objectives.length === 0) reader.error([...spec, 'objectives'], 'an SLO has at least one objective');
  const composite = objectives.some(
    (_, i) =>
      reader.has([...spec, 'objectives', i, 'indicator']) ||
      reader.has([...spec, 'objectives', i, 'indicatorRef']),
  );
  const specIndicator = reader.has([...spec, 'indicator']) || reader.has([...spec, 'indicatorRef']);
  if (composite === specIndicator) {
    reader.error(
      spec,
      `'indicator' or 'indicatorRef' fields must either be defined on the 'spec' level (standard SLOs) or on the 'spec.objectives[*]' level (composite SLOs), ${composite ? 'but not both' : 'but none were provided'}`,
    );
  }
  if (composite && !specIndicator) {
    reader.warn(
      spec,
      'composite SLO: each objective becomes its own SLO; the weighted composite objective is not computed',
    );
  }
  const indicator = specIndicator ? readIndicator(reader, spec, context) : undefined;
  const policies = readSloAlertPolicies(reader, [...spec, 'alertPolicies'], context);
  const metaAnnotations = reader.stringMap([...object.path, 'metadata', 'annotations']);
  const serviceObject = context.find('Service', service);
  const serviceAnnotations = serviceObject?.reader.stringMap([
    ...serviceObject.path,
    'metadata',
    'annotations',
  ]);
  const component = sloComponent(service, metaAnnotations, serviceAnnotations);
  if ('error' in component) reader.error([...object.path, 'metadata', 'annotations'], component.error);
  const labels = readPromLabels(reader, [...object.path, 'metadata', 'labels']);
  const displayName = reader.string([...object.path, 'metadata', 'displayName']);
  const alerting = alertingFromPolicies(policies);

  const result: SloSpec[] = [];
  for (const [i] of objectives.entries()) {
    const path = [...spec, 'objectives', i];
    reader.unknownKeys(
      path,
      [
        'displayName',
        'op',
        'value',
        'target',
        'targetPercent',
        'timeSliceTarget',
        'timeSliceWindow',
        'indicator',
        'indicatorRef',
        'compositeWeight',
      ],
      'OpenSLO SLO objective',
    );
    const sli = composite ? readIndicator(reader, path, context) : indicator;
    const objective = readObjectiveTarget(reader, path);
    const op = readOperator(reader, [...path, 'op'], false);
    const value = reader.number([...path, 'value']);
    const weight = reader.number([...path, 'compositeWeight']);
    if (weight !== undefined && !(weight > 0))
      reader.error([...path, 'compositeWeight'], 'compositeWeight must be greater than 0');
    let timeSliceTarget: number | undefined;
    let timeSliceWindow: string | undefined;
    if (budgetingMethod.success && budgetingMethod.data !== 'Occurrences') {
      timeSliceWindow = readShorthand(reader, [...path, 'timeSliceWindow'], { required: true })?.text;
    }
    if (budgetingMethod.success && budgetingMethod.data === 'Timeslices') {
      timeSliceTarget = reader.number([...path, 'timeSliceTarget'], { required: true });
      if (timeSliceTarget !== undefined && !(timeSliceTarget > 0 && timeSliceTarget <= 1)) {
        reader.error(
          [...path, 'timeSliceTarget'],
          `timeSliceTarget must be >0 and <=1 (it is ${timeSliceTarget})`,
        );
      }
    }
    let completed: Sli | undefined;
    if (sli?.type === 'threshold') {
      if (!op) reader.error(path, 'op is required: the SLI is a thresholdMetric');
      if (value === undefined) reader.error(path, 'value is required: the SLI is a thresholdMetric');
      if (op && value !== undefined) completed = { type: 'threshold', metric: sli.metric, op, value };
    } else {
      completed = sli;
    }
    if (
      reader.errorCount > 0 ||
      !completed ||
      objective === undefined ||
      !timeWindow ||
      !budgetingMethod.success
    )
      continue;
    const id = objectives.length === 1 ? object.name : `${object.name}-${i}`;
    const objectiveName = reader.string([...path, 'displayName']);
    const location = reader.at(objectives.length === 1 ? object.path : path);
    result.push({
      id,
      name: id,
      service,
      component: 'error' in component ? '' : component.component,
      componentSource: 'error' in component ? 'service' : component.componentSource,
      ...(objectiveName || displayName ? { displayName: objectiveName || displayName } : {}),
      ...(description ? { description } : {}),
      objective,
      sli: completed,
      timeWindow,
      budgetingMethod: budgetingMethod.data,
      ...(timeSliceTarget !== undefined ? { timeSliceTarget } : {}),
      ...(timeSliceWindow !== undefined ? { timeSliceWindow } : {}),
      labels,
      annotations: metaAnnotations,
      alerting,
      alertPolicies: policies,
      source: {
        format: 'openslo/v1',
        file: reader.file.file,
        document: reader.doc.index,
        ...(location.line !== undefined ? { line: location.line, column: location.column } : {}),
      },
    });
  }
  // Any error on the object (its metadata included) rejects all its objectives.
  return reader.errorCount > 0 ? [] : result;
}

/** `indicator` (inline: metadata + spec) or `indicatorRef` (an SLI's name) at `path`. */
function readIndicator(
  reader: FieldReader,
  path: YamlPath,
  context: ResolveContext,
): IndicatorSpec | undefined {
  const inline = reader.has([...path, 'indicator']);
  const ref = reader.string([...path, 'indicatorRef']);
  if (inline && ref !== undefined) {
    reader.error(path, 'indicator and indicatorRef are mutually exclusive');
    return undefined;
  }
  if (ref !== undefined) {
    const sli = context.find('SLI', ref);
    if (!sli) {
      reader.error([...path, 'indicatorRef'], `indicatorRef "${ref}" names no SLI in the files read`);
      return undefined;
    }
    const resolved = context.indicator(sli);
    if (!resolved) reader.error([...path, 'indicatorRef'], `SLI "${ref}" is invalid`);
    return resolved;
  }
  const indicator = [...path, 'indicator'];
  reader.unknownKeys(indicator, ['metadata', 'spec'], 'OpenSLO inline SLI');
  readMetadata(reader, [...indicator, 'metadata']);
  if (!reader.map([...indicator, 'spec'], { required: true })) return undefined;
  return readIndicatorSpec(reader, [...indicator, 'spec'], context);
}

/** `target` (a ratio in [0, 1)) or `targetPercent` ([0, 100)), exactly one; Pave also needs it above 0. */
function readObjectiveTarget(reader: FieldReader, path: YamlPath): number | undefined {
  const target = reader.number([...path, 'target']);
  const percent = reader.number([...path, 'targetPercent']);
  if ((target === undefined) === (percent === undefined)) {
    reader.error(
      path,
      `an objective has exactly one of target and targetPercent${target === undefined ? '' : ', not both'}`,
    );
    return undefined;
  }
  if (target !== undefined) {
    if (!(target > 0 && target < 1)) {
      reader.error([...path, 'target'], `target must be >0 and <1 (it is ${target}); write 0.999 for 99.9%`);
      return undefined;
    }
    return target * 100;
  }
  if (!(percent! > 0 && percent! < 100)) {
    reader.error([...path, 'targetPercent'], `targetPercent must be >0 and <100 (it is ${percent})`);
    return undefined;
  }
  return percent;
}

function readTimeWindow(reader: FieldReader, path: YamlPath): SloTimeWindow | undefined {
  const windows = reader.list(path, { required: true }) ?? [];
  if (windows.length !== 1) {
    if (windows.length > 1 || reader.has(path))
      reader.error(path, `timeWindow holds exactly one window (it holds ${windows.length})`);
    return undefined;
  }
  const window = [...path, 0];
  reader.unknownKeys(window, ['duration', 'isRolling', 'calendar'], 'OpenSLO timeWindow');
  const duration = readShorthand(reader, [...window, 'duration'], { required: true });
  const rolling = reader.boolean([...window, 'isRolling']) ?? false;
  const calendar = reader.has([...window, 'calendar']);
  if (rolling && calendar)
    reader.error([...window, 'calendar'], "'calendar' cannot be set when 'isRolling' is true");
  if (!rolling && !calendar) reader.error(window, "'calendar' must be set when 'isRolling' is false");
  if (!duration) return undefined;
  if (duration.seconds < 3600) {
    reader.warn(
      [...window, 'duration'],
      `time window ${duration.text} is ${duration.seconds / 60} minute(s): in OpenSLO m is minutes and M is months`,
    );
  }
  if (rolling || !calendar) return { type: 'rolling', duration: duration.text, seconds: duration.seconds };
  const startTime = reader.string([...window, 'calendar', 'startTime'], { required: true });
  const timeZone = reader.string([...window, 'calendar', 'timeZone'], { required: true });
  if (startTime !== undefined && !isDateTime(startTime)) {
    reader.error(
      [...window, 'calendar', 'startTime'],
      `calendar.startTime "${startTime}" must be written YYYY-MM-DD hh:mm:ss`,
    );
    return undefined;
  }
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    reader.error(
      [...window, 'calendar', 'timeZone'],
      `calendar.timeZone "${timeZone}" is not an IANA time zone`,
    );
    return undefined;
  }
  if (startTime === undefined || timeZone === undefined) return undefined;
  return { type: 'calendar', duration: duration.text, seconds: duration.seconds, startTime, timeZone };
}

function isDateTime(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return false;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d! && h! < 24 && mi! < 60 && s! < 60;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function readSloAlertPolicies(
  reader: FieldReader,
  path: YamlPath,
  context: ResolveContext,
): AlertPolicySpec[] {
  const items = reader.list(path) ?? [];
  const policies: AlertPolicySpec[] = [];
  for (const [i, item] of items.entries()) {
    const itemPath = [...path, i];
    if (!isYamlMap(item)) {
      reader.error(itemPath, 'an alert policy is a mapping: alertPolicyRef, or kind, metadata and spec');
      continue;
    }
    const ref = reader.string([...itemPath, 'alertPolicyRef']);
    const inline = reader.has([...itemPath, 'spec']);
    if ((ref !== undefined) === inline) {
      reader.error(
        itemPath,
        'an alert policy has either alertPolicyRef or an inline AlertPolicy (kind, metadata, spec), not both',
      );
      continue;
    }
    if (ref !== undefined) {
      const policy = context.find('AlertPolicy', ref);
      if (!policy) {
        reader.error(
          [...itemPath, 'alertPolicyRef'],
          `alertPolicyRef "${ref}" names no AlertPolicy in the files read`,
        );
        continue;
      }
      const resolved = context.policy(policy);
      if (resolved) policies.push(resolved);
      else reader.error([...itemPath, 'alertPolicyRef'], `AlertPolicy "${ref}" is invalid`);
      continue;
    }
    const kind = reader.string([...itemPath, 'kind'], { required: true });
    if (kind !== undefined && kind !== 'AlertPolicy')
      reader.error([...itemPath, 'kind'], `kind must be AlertPolicy, not ${kind}`);
    const name = readMetadata(reader, [...itemPath, 'metadata']);
    const resolved = readPolicySpec(reader, [...itemPath, 'spec'], name, context);
    if (resolved) policies.push(resolved);
  }
  return policies;
}

/** Severities that make a policy the page alert; any other severity is a ticket. */
const PAGE_SEVERITIES = new Set(['page', 'critical']);

/**
 * The page alert is the first policy whose condition has severity `page` or `critical`, the ticket
 * alert the first with another severity; each is named after its policy. Without policies, the
 * SLO has recording rules only (as Sloth does for OpenSLO input).
 */
function alertingFromPolicies(policies: readonly AlertPolicySpec[]): SloSpec['alerting'] {
  const pick = (page: boolean): SloAlert => {
    const policy = policies.find((p) =>
      p.conditions.some((c) => PAGE_SEVERITIES.has(c.severity.toLowerCase()) === page),
    );
    if (!policy) return { disabled: true, labels: {}, annotations: {} };
    return {
      disabled: false,
      name: policy.name,
      labels: {},
      annotations: policy.description ? { description: policy.description } : {},
    };
  };
  return { page: pick(true), ticket: pick(false) };
}

/**
 * OpenSLO labels (a string or a list of strings each) as Prometheus labels: lists joined with `,`;
 * keys that are not Prometheus label names are left out with a warning.
 */
function readPromLabels(reader: FieldReader, path: YamlPath): Record<string, string> {
  const map = reader.map(path) ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    const text = Array.isArray(value)
      ? value.map(String).join(',')
      : typeof value === 'string'
        ? value
        : undefined;
    if (text === undefined) continue;
    if (labelNameKind(key) !== 'legacy') {
      reader.warn(
        [...path, key],
        `label "${key}" is not a Prometheus label name and is left out of the rules`,
        'key',
      );
      continue;
    }
    labels[key] = text;
  }
  return labels;
}
