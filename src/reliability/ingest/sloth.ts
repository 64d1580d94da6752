/**
 * Sloth specs: `prometheus/v1`, the Kubernetes `PrometheusServiceLevel` (`sloth.slok.dev/v1`) and
 * Sloth's `openslo/v1alpha` input, read and validated as Sloth does (slok/sloth
 * `pkg/prometheus/api/v1`, `internal/storage/io/{sloth,k8s_sloth,openslo}.go`,
 * `pkg/common/validation/slo.go`), with every problem located in the file. Differences from
 * Sloth are written where they apply and listed in docs/slo.md.
 */
import { SLO_NAME_PATTERN, type Sli, type SloAlert, type SloSpec, type SloSpecFormat } from '../model.js';
import { hasWindowPlaceholder, labelNameKind, queryTemplateProblem } from '../promql.js';
import { type FieldReader, isYamlMap } from './fieldReader.js';
import { sloComponent } from './sloComponent.js';
import type { YamlPath } from './yamlFile.js';

/** Sloth's name rule, in its words. */
const NAME_RULE =
  "must start and end with an alphanumeric and can only contain alphanumeric, '.', '_', and '-'";

/** SLO plugins whose work Pave's generator already does (or that only log), so ignoring them changes nothing. */
const CORE_SLO_PLUGINS = new Set([
  'sloth.dev/core/sli_rules/v1',
  'sloth.dev/core/metadata_rules/v1',
  'sloth.dev/core/alert_rules/v1',
  'sloth.dev/core/validate/v1',
  'sloth.dev/core/noop/v1',
  'sloth.dev/core/debug/v1',
]);

/** Field names that differ between `prometheus/v1` (snake case) and the Kubernetes CRD (camel case). */
interface SlothKeys {
  format: SloSpecFormat;
  label: string;
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
  sloPlugins: string;
}

const PROMETHEUS_KEYS: SlothKeys = {
  format: 'sloth/prometheus/v1',
  label: 'Sloth prometheus/v1',
  errorQuery: 'error_query',
  totalQuery: 'total_query',
  errorRatioQuery: 'error_ratio_query',
  pageAlert: 'page_alert',
  ticketAlert: 'ticket_alert',
  sloPlugins: 'slo_plugins',
};

const KUBERNETES_KEYS: SlothKeys = {
  format: 'sloth/kubernetes/v1',
  label: 'Sloth PrometheusServiceLevel',
  errorQuery: 'errorQuery',
  totalQuery: 'totalQuery',
  errorRatioQuery: 'errorRatioQuery',
  pageAlert: 'pageAlert',
  ticketAlert: 'ticketAlert',
  sloPlugins: 'sloPlugins',
};

/** The Sloth `prometheus/v1` version Pave reads. */
export const SLOTH_PROMETHEUS_VERSION = 'prometheus/v1';

/**
 * Reads a `version: prometheus/v1` document. Pave also reads an optional top-level `annotations`
 * map (Sloth ignores unknown keys) for `pave.dev/component`. Returns no SLO when the document has
 * an error, as Sloth rejects the whole spec.
 */
export function readSlothPrometheusV1(reader: FieldReader): SloSpec[] {
  const version = reader.string(['version']);
  if (version !== SLOTH_PROMETHEUS_VERSION) {
    reader.error(
      ['version'],
      `version "${version ?? ''}" is not supported: Sloth specs are version "prometheus/v1"`,
    );
    return [];
  }
  reader.unknownKeys(
    [],
    ['version', 'service', 'labels', 'slos', 'slo_plugins', 'annotations'],
    'Sloth prometheus/v1',
  );
  const annotations = reader.stringMap(['annotations']);
  return readServiceLevel(reader, [], PROMETHEUS_KEYS, annotations, undefined);
}

/** Reads a Kubernetes `PrometheusServiceLevel` (`apiVersion: sloth.slok.dev/v1`). */
export function readSlothKubernetes(reader: FieldReader): SloSpec[] {
  reader.unknownKeys(
    [],
    ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    'Kubernetes PrometheusServiceLevel',
  );
  const name = reader.string(['metadata', 'name'], { required: true });
  const namespace = reader.string(['metadata', 'namespace']);
  const labels = reader.stringMap(['metadata', 'labels']);
  const annotations = reader.stringMap(['metadata', 'annotations']);
  reader.map(['spec'], { required: true });
  reader.unknownKeys(
    ['spec'],
    ['service', 'labels', 'slos', 'sloPlugins'],
    'Sloth PrometheusServiceLevel spec',
  );
  const kubernetes = {
    name: name ?? '',
    ...(namespace ? { namespace } : {}),
    labels,
    annotations,
  };
  return readServiceLevel(reader, ['spec'], KUBERNETES_KEYS, annotations, kubernetes);
}

function readServiceLevel(
  reader: FieldReader,
  base: YamlPath,
  keys: SlothKeys,
  annotations: Record<string, string>,
  kubernetes: SloSpec['source']['kubernetes'],
): SloSpec[] {
  const errorsBefore = reader.errorCount;
  const service = reader.string([...base, 'service'], { required: true }) ?? '';
  if (service !== '' && !SLO_NAME_PATTERN.test(service)) {
    reader.error([...base, 'service'], `invalid SLO service "${service}": name ${NAME_RULE}`);
  }
  const groupLabels = readLabels(reader, [...base, 'labels'], 'SLO label');
  readPluginChain(reader, [...base, keys.sloPlugins]);
  const component = sloComponent(service, annotations);
  if ('error' in component)
    reader.error(kubernetes ? ['metadata', 'annotations'] : ['annotations'], component.error);

  const slos = reader.list([...base, 'slos']) ?? [];
  if (slos.length === 0) reader.error([...base, 'slos'], 'at least one SLO is required');

  const result: SloSpec[] = [];
  for (const [index] of slos.entries()) {
    const path = [...base, 'slos', index];
    if (!reader.map(path, { required: true })) continue;
    reader.unknownKeys(
      path,
      ['name', 'objective', 'description', 'labels', 'sli', 'alerting', 'plugins'],
      keys.label,
    );
    const name = reader.string([...path, 'name'], { required: true }) ?? '';
    if (name !== '' && !SLO_NAME_PATTERN.test(name)) {
      reader.error([...path, 'name'], `invalid SLO name "${name}": name ${NAME_RULE}`);
    }
    const id = `${service}-${name}`;
    reader.subject = `SLO ${id}`;
    const objective = reader.number([...path, 'objective']) ?? 0;
    if (!(objective > 0 && objective <= 100)) {
      reader.error([...path, 'objective'], `objective must be >0 and <=100 (it is ${objective})`);
    }
    const labels = { ...groupLabels, ...readLabels(reader, [...path, 'labels'], 'SLO label') };
    const sli = readSlothSli(reader, [...path, 'sli'], keys);
    const alerting = readSlothAlerting(reader, [...path, 'alerting'], keys);
    readPluginChain(reader, [...path, 'plugins']);
    reader.subject = undefined;
    if (!sli) continue;
    const description = reader.string([...path, 'description']);
    const location = reader.at(path);
    result.push({
      id,
      name,
      service,
      ...('error' in component
        ? { component: '', componentSource: 'service' as const }
        : { component: component.component, componentSource: component.componentSource }),
      ...(description ? { description } : {}),
      objective,
      sli,
      budgetingMethod: 'Occurrences',
      labels,
      annotations,
      alerting,
      alertPolicies: [],
      source: {
        format: keys.format,
        file: reader.file.file,
        document: reader.doc.index,
        ...(location.line !== undefined ? { line: location.line, column: location.column } : {}),
        ...(kubernetes ? { kubernetes } : {}),
      },
    });
  }
  return reader.errorCount > errorsBefore ? [] : result;
}

function readSlothSli(reader: FieldReader, path: YamlPath, keys: SlothKeys): Sli | undefined {
  const map = reader.map(path, { required: true });
  if (!map) return undefined;
  reader.unknownKeys(path, ['events', 'raw', 'plugin'], keys.label);
  const kinds = ['events', 'raw', 'plugin'].filter((kind) => map[kind] !== undefined && map[kind] !== null);
  if (kinds.length === 0) {
    reader.error(path, 'invalid SLI: at least one SLI type is required (events, raw or plugin)');
    return undefined;
  }
  if (kinds.length > 1) {
    reader.error(path, `invalid SLI: only one SLI type is allowed, found ${kinds.join(' and ')}`);
    return undefined;
  }
  if (kinds[0] === 'plugin') {
    const id = reader.string([...path, 'plugin', 'id']) ?? '';
    reader.error(
      [...path, 'plugin'],
      `SLI plugin "${id}" is Go code Sloth loads at run time; Pave does not run SLI plugins: write the SLI as events or raw`,
    );
    return undefined;
  }
  if (kinds[0] === 'events') {
    const events = [...path, 'events'];
    if (!reader.map(events)) return undefined;
    reader.unknownKeys(events, [keys.errorQuery, keys.totalQuery], keys.label);
    const errorQuery = readQuery(reader, [...events, keys.errorQuery], 'sli error query');
    const totalQuery = readQuery(reader, [...events, keys.totalQuery], 'sli total query');
    if (errorQuery === undefined || totalQuery === undefined) return undefined;
    if (errorQuery === totalQuery) {
      reader.error(events, "invalid SLI: both error and total queries can't be the same");
      return undefined;
    }
    return {
      type: 'ratio',
      bad: { query: errorQuery, sourceType: 'prometheus' },
      total: { query: totalQuery, sourceType: 'prometheus' },
    };
  }
  const raw = [...path, 'raw'];
  if (!reader.map(raw)) return undefined;
  reader.unknownKeys(raw, [keys.errorRatioQuery], keys.label);
  const query = readQuery(reader, [...raw, keys.errorRatioQuery], 'sli raw query');
  if (query === undefined) return undefined;
  return { type: 'raw', rawType: 'failure', query: { query, sourceType: 'prometheus' } };
}

/** A Prometheus query template, checked as Sloth checks it (required, `{{.window}}`, parses). */
function readQuery(reader: FieldReader, path: YamlPath, what: string): string | undefined {
  const query = reader.string(path);
  if (query === undefined || query.trim() === '') {
    reader.error(path, `invalid SLI: ${what} template is required`);
    return undefined;
  }
  if (!hasWindowPlaceholder(query)) {
    reader.error(path, `invalid SLI: ${what} template must contain the {{ .window }} variable`);
    return undefined;
  }
  const problem = queryTemplateProblem(query);
  if (problem) {
    reader.error(path, `invalid SLI: ${what} expression: ${problem}`);
    return undefined;
  }
  return query;
}

function readSlothAlerting(reader: FieldReader, path: YamlPath, keys: SlothKeys): SloSpec['alerting'] {
  reader.map(path);
  reader.unknownKeys(path, ['name', 'labels', 'annotations', keys.pageAlert, keys.ticketAlert], keys.label);
  const name = reader.string([...path, 'name']);
  const labels = reader.stringMap([...path, 'labels']);
  const annotations = reader.stringMap([...path, 'annotations']);
  const alert = (key: string, severity: 'page' | 'ticket'): SloAlert => {
    const alertPath = [...path, key];
    reader.map(alertPath);
    reader.unknownKeys(alertPath, ['disable', 'labels', 'annotations'], keys.label);
    if (reader.boolean([...alertPath, 'disable']) === true) {
      return { disabled: true, labels: {}, annotations: {} };
    }
    const merged = {
      disabled: false,
      labels: { ...labels, ...reader.stringMap([...alertPath, 'labels']) },
      annotations: { ...annotations, ...reader.stringMap([...alertPath, 'annotations']) },
    };
    checkLabels(reader, path, merged.labels, `${severity} alert label`);
    checkAnnotations(reader, path, merged.annotations, severity);
    return name ? { ...merged, name } : merged;
  };
  const page = alert(keys.pageAlert, 'page');
  const ticket = alert(keys.ticketAlert, 'ticket');
  const unnamed = [
    page.disabled ? undefined : keys.pageAlert,
    ticket.disabled ? undefined : keys.ticketAlert,
  ].filter((key) => key !== undefined);
  if (!name && unnamed.length > 0) {
    // One error for both alerts: they share alerting.name.
    reader.error(
      [...path, 'name'],
      `invalid alert: alert name is required: ${unnamed.join(' and ')} ${unnamed.length > 1 ? 'are' : 'is'} enabled (set ${unnamed.map((key) => `${key}.disable: true`).join(' and ')} to turn ${unnamed.length > 1 ? 'them' : 'it'} off)`,
    );
  }
  return { page, ticket };
}

/** Reads and checks a label map: valid Prometheus label names, non-empty values. */
function readLabels(reader: FieldReader, path: YamlPath, what: string): Record<string, string> {
  const labels = reader.stringMap(path);
  checkLabels(reader, path, labels, what);
  return labels;
}

function checkLabels(
  reader: FieldReader,
  path: YamlPath,
  labels: Record<string, string>,
  what: string,
): void {
  for (const [key, value] of Object.entries(labels)) {
    const kind = labelNameKind(key);
    if (kind === 'invalid') reader.error([...path, key], `invalid ${what} key "${key}"`, 'key');
    if (kind === 'utf8') {
      reader.warn(
        [...path, key],
        `${what} key "${key}" is a UTF-8 label name: Prometheus 3.0 or later only`,
        'key',
      );
    }
    if (value === '')
      reader.error([...path, key], `invalid ${what} value for "${key}": the label value is required`);
  }
}

function checkAnnotations(
  reader: FieldReader,
  path: YamlPath,
  annotations: Record<string, string>,
  severity: string,
) {
  for (const [key, value] of Object.entries(annotations)) {
    if (labelNameKind(key) === 'invalid')
      reader.error([...path, 'annotations'], `invalid ${severity} alert annotation key "${key}"`);
    if (value === '') {
      reader.error(
        [...path, 'annotations'],
        `invalid ${severity} alert annotation value for "${key}": the annotation value is required`,
      );
    }
  }
}

/** Sloth SLO plugin chains: ids are required; plugins beyond Sloth's core ones are not run by Pave. */
function readPluginChain(reader: FieldReader, path: YamlPath): void {
  if (!reader.map(path)) return;
  const chain = reader.list([...path, 'chain']) ?? [];
  if (reader.boolean([...path, 'overridePrevious']) === true && chain.length === 0) {
    reader.error(path, 'invalid plugins: override plugins is set but no plugins are defined');
  }
  for (const [index, item] of chain.entries()) {
    const id = isYamlMap(item) ? reader.string([...path, 'chain', index, 'id']) : undefined;
    if (!id) {
      reader.error([...path, 'chain', index], 'invalid plugins: plugin ID is required');
    } else if (!CORE_SLO_PLUGINS.has(id)) {
      reader.warn(
        [...path, 'chain', index, 'id'],
        `SLO plugin "${id}" is not run by Pave: the rules it would change are generated as Sloth's core plugins write them`,
      );
    }
  }
}

/**
 * Reads Sloth's `openslo/v1alpha` input (`kind: SLO`) as Sloth does: one SLO per objective, id
 * `<service>-<name>-<index>`, good/total Prometheus ratio metrics, no alerts, and exactly one time
 * window of 30 days (Sloth: "only 30 day time window is supported").
 */
export function readSlothOpenSloV1Alpha(reader: FieldReader): SloSpec[] {
  const errorsBefore = reader.errorCount;
  const kind = reader.string(['kind']);
  if (kind !== 'SLO') {
    reader.error(
      ['kind'],
      `openslo/v1alpha kind "${kind ?? ''}" is not read: Pave reads openslo/v1alpha SLO documents (as Sloth does); write other kinds as openslo/v1`,
    );
    return [];
  }
  reader.unknownKeys([], ['apiVersion', 'kind', 'metadata', 'spec'], 'openslo/v1alpha');
  const name = reader.string(['metadata', 'name'], { required: true }) ?? '';
  const displayName = reader.string(['metadata', 'displayName']);
  const annotations = reader.stringMap(['metadata', 'annotations']);
  const service = reader.string(['spec', 'service'], { required: true }) ?? '';
  if (service !== '' && !SLO_NAME_PATTERN.test(service)) {
    reader.error(['spec', 'service'], `invalid SLO service "${service}": name ${NAME_RULE}`);
  }
  if (name !== '' && !SLO_NAME_PATTERN.test(`${name}-0`)) {
    reader.error(['metadata', 'name'], `invalid SLO name "${name}": name ${NAME_RULE}`);
  }
  const description = reader.string(['spec', 'description']);
  const budgeting = reader.string(['spec', 'budgetingMethod']);
  if (budgeting !== undefined && budgeting !== 'Occurrences') {
    reader.warn(
      ['spec', 'budgetingMethod'],
      `budgetingMethod ${budgeting}: the rules measure occurrences, as Sloth's do`,
    );
  }
  const component = sloComponent(service, annotations);
  if ('error' in component) reader.error(['metadata', 'annotations'], component.error);

  const windows = reader.list(['spec', 'timeWindows']) ?? [];
  let timeWindow: SloSpec['timeWindow'];
  if (windows.length > 1)
    reader.error(['spec', 'timeWindows'], 'invalid SLO time windows: only 1 time window is supported');
  if (windows.length === 1) {
    const unit = reader.string(['spec', 'timeWindows', 0, 'unit'], { required: true }) ?? '';
    const count = reader.number(['spec', 'timeWindows', 0, 'count'], { required: true });
    if (unit.toLowerCase() !== 'day') {
      reader.error(
        ['spec', 'timeWindows', 0, 'unit'],
        'invalid SLO time windows: only days based time windows are supported',
      );
    } else if (count !== 30) {
      reader.error(
        ['spec', 'timeWindows', 0, 'count'],
        `invalid SLO time windows: only 30 day time window is supported (it is ${count ?? 'missing'}); write other windows as openslo/v1`,
      );
    } else {
      timeWindow = { type: 'rolling', duration: '30d', seconds: 30 * 86_400 };
    }
  }

  const objectives = reader.list(['spec', 'objectives']) ?? [];
  if (objectives.length === 0) reader.error(['spec', 'objectives'], 'at least one SLO is required');
  const result: SloSpec[] = [];
  for (const [index] of objectives.entries()) {
    const path = ['spec', 'objectives', index];
    const id = `${service}-${name}-${index}`;
    reader.subject = `SLO ${id}`;
    const ratio = reader.map([...path, 'ratioMetrics']);
    if (!ratio) {
      reader.error(path, 'could not map SLI: missing ratioMetrics');
      continue;
    }
    const good = readV1AlphaQuery(reader, [...path, 'ratioMetrics', 'good'], 'good');
    const total = readV1AlphaQuery(reader, [...path, 'ratioMetrics', 'total'], 'total');
    const target = reader.number([...path, 'target'], { required: true });
    const objective = (target ?? 0) * 100;
    if (target !== undefined && !(objective > 0 && objective <= 100)) {
      reader.error([...path, 'target'], `objective must be >0 and <=100 (target ${target} is ${objective}%)`);
    }
    reader.subject = undefined;
    if (!good || !total || target === undefined) continue;
    if (!hasWindowPlaceholder(good.query) && !hasWindowPlaceholder(total.query)) {
      reader.error(
        [...path, 'ratioMetrics'],
        'invalid SLI: sli raw query template must contain the {{ .window }} variable',
      );
    }
    const objectiveName = reader.string([...path, 'displayName']);
    const location = reader.at(path);
    result.push({
      id,
      name: `${name}-${index}`,
      service,
      ...('error' in component
        ? { component: '', componentSource: 'service' as const }
        : { component: component.component, componentSource: component.componentSource }),
      ...(objectiveName || displayName ? { displayName: objectiveName || displayName } : {}),
      ...(description ? { description } : {}),
      objective,
      sli: { type: 'ratio', good, total },
      ...(timeWindow ? { timeWindow } : {}),
      budgetingMethod: 'Occurrences',
      labels: {},
      annotations,
      alerting: {
        page: { disabled: true, labels: {}, annotations: {} },
        ticket: { disabled: true, labels: {}, annotations: {} },
      },
      alertPolicies: [],
      source: {
        format: 'sloth/openslo/v1alpha',
        file: reader.file.file,
        document: reader.doc.index,
        ...(location.line !== undefined ? { line: location.line, column: location.column } : {}),
      },
    });
  }
  return reader.errorCount > errorsBefore ? [] : result;
}

function readV1AlphaQuery(reader: FieldReader, path: YamlPath, which: string) {
  if (!reader.map(path)) {
    reader.error(path, `could not map SLI: ratioMetrics.${which} is required`);
    return undefined;
  }
  const source = reader.string([...path, 'source']) ?? '';
  if (source !== 'prometheus' && source !== 'sloth') {
    reader.error(
      [...path, 'source'],
      `could not map SLI: prometheus or sloth query ratio '${which}' source is required`,
    );
  }
  const queryType = reader.string([...path, 'queryType']) ?? '';
  if (queryType !== 'promql') {
    reader.error(
      [...path, 'queryType'],
      `could not map SLI: unsupported '${which}' indicator query type: ${queryType}`,
    );
  }
  const query = reader.string([...path, 'query'], { required: true });
  if (query === undefined) return undefined;
  const problem = queryTemplateProblem(query);
  if (problem) reader.error([...path, 'query'], `invalid SLI: ${which} query expression: ${problem}`);
  return { query, sourceType: source === '' ? 'prometheus' : source };
}
