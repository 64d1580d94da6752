/**
 * The entry point for SLO specs: reads every YAML document of every file, recognises its format,
 * maps it into Pave's SLO model and rejects SLO ids defined twice. Files are read together so
 * OpenSLO references resolve across them.
 */
import type { Problem } from '../../core/errors.js';
import type { SloSpec } from '../model.js';
import { FieldReader, isYamlMap } from './fieldReader.js';
import { collectOpenSloObjects, type OpenSloObject, readOpenSloV1 } from './openslo.js';
import { readSlothKubernetes, readSlothOpenSloV1Alpha, readSlothPrometheusV1 } from './sloth.js';
import { YamlFile } from './yamlFile.js';

/** One spec file's name (for messages) and text. */
export interface SpecInput {
  file: string;
  text: string;
}

/** The SLOs read, in file, document and spec order, and every problem found. */
export interface SloReadResult {
  slos: SloSpec[];
  problems: Problem[];
}

/** Reads SLO specs in any format Pave knows. An SLO whose document has an error is left out. */
export function readSloSpecs(inputs: readonly SpecInput[]): SloReadResult {
  const problems: Problem[] = [];
  // OpenSLO v1 SLOs keep their place in the output although they are mapped after all files are read.
  const slots: (SloSpec[] | 'openslo')[] = [];
  const openSloObjects: OpenSloObject[] = [];
  for (const input of inputs) {
    const file = new YamlFile(input.file, input.text);
    problems.push(...file.problems);
    if (file.documents.length === 0 && file.problems.length === 0) {
      problems.push({
        severity: 'error',
        message: 'the file holds no YAML document',
        location: { file: input.file },
      });
    }
    for (const doc of file.documents) {
      const reader = new FieldReader(file, doc, problems);
      const value = doc.value;
      if (Array.isArray(value) || (isYamlMap(value) && value.apiVersion === 'openslo/v1')) {
        openSloObjects.push(...collectOpenSloObjects(file, doc, problems));
        slots.push('openslo');
        continue;
      }
      if (!isYamlMap(value)) {
        reader.error([], 'a spec document is a mapping (or a list of OpenSLO objects)');
        continue;
      }
      if ('version' in value) {
        slots.push(readSlothPrometheusV1(reader));
        continue;
      }
      const apiVersion = reader.string(['apiVersion']);
      const kind = reader.string(['kind']);
      if (apiVersion === 'sloth.slok.dev/v1' && kind === 'PrometheusServiceLevel') {
        slots.push(readSlothKubernetes(reader));
      } else if (apiVersion === 'sloth.slok.dev/v1' && kind === 'AlertWindows') {
        reader.error(['kind'], 'this is a Sloth AlertWindows file, not an SLO spec: pass it with --windows');
      } else if (apiVersion === 'openslo/v1alpha') {
        slots.push(readSlothOpenSloV1Alpha(reader));
      } else if (apiVersion?.startsWith('openslo')) {
        reader.error(
          ['apiVersion'],
          `apiVersion ${apiVersion} is not supported: Pave reads openslo/v1 (and Sloth's openslo/v1alpha input)`,
        );
      } else {
        reader.error(
          apiVersion === undefined ? [] : ['apiVersion'],
          `unknown spec type${apiVersion ? ` ${apiVersion}${kind ? ` ${kind}` : ''}` : ''}: expected Sloth (version: prometheus/v1, or apiVersion: sloth.slok.dev/v1 kind: PrometheusServiceLevel) or OpenSLO (apiVersion: openslo/v1)`,
        );
      }
    }
  }
  const openSlos = openSloObjects.length > 0 ? readOpenSloV1(openSloObjects) : [];
  const ordered: SloSpec[] = [];
  let openSloPlaced = false;
  for (const slot of slots) {
    if (slot !== 'openslo') ordered.push(...slot);
    else if (!openSloPlaced) {
      ordered.push(...openSlos);
      openSloPlaced = true;
    }
  }
  return { slos: rejectDuplicates(ordered, problems), problems };
}

/** Keeps the first SLO of each id; later ones are errors, as in `sloth validate`. */
function rejectDuplicates(slos: readonly SloSpec[], problems: Problem[]): SloSpec[] {
  const seen = new Map<string, SloSpec>();
  const kept: SloSpec[] = [];
  for (const slo of slos) {
    const first = seen.get(slo.id);
    if (!first) {
      seen.set(slo.id, slo);
      kept.push(slo);
      continue;
    }
    const where = `${first.source.file ?? ''}:${first.source.line ?? ''}:${first.source.column ?? ''}`;
    problems.push({
      severity: 'error',
      message: `SLO duplicated: SLO{service=${slo.service}, name=${slo.name}} ID=${slo.id} already exists at ${where}`,
      location: {
        ...(slo.source.file ? { file: slo.source.file } : {}),
        ...(slo.source.line !== undefined ? { line: slo.source.line, column: slo.source.column } : {}),
      },
      entityRef: `SLO ${slo.id}`,
    });
  }
  return kept;
}
