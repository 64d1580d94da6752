/**
 * `pave slo rules`: Prometheus rules from SLO specs, with Sloth's option names.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandContext, CommandResult, CommandSpec } from '../core/command.js';
import { parseDuration } from '../core/duration.js';
import type { Problem } from '../core/errors.js';
import { readSloSpecs, type SpecInput } from './ingest/readSloSpecs.js';
import { labelNameKind } from './promql.js';
import { type AlertWindows, parseAlertWindows } from './rules/alertWindows.js';
import { generateRules, type RulesOptions } from './rules/generateRules.js';
import { writeRulesYaml } from './rules/writeRulesYaml.js';

/** The `sloth_version` label of generated rules. */
export const RULES_VERSION = 'pave';

function usageProblem(message: string): Problem {
  return { severity: 'error', message };
}

function list(value: string | boolean | string[] | undefined): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  return Array.isArray(value) ? value : [value];
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the named files (`-` is standard input); unreadable ones become problems. */
async function readInputs(
  names: readonly string[],
  context: CommandContext,
  problems: Problem[],
): Promise<SpecInput[]> {
  const inputs: SpecInput[] = [];
  for (const name of names) {
    try {
      const text =
        name === '-'
          ? await readStdin(context.stdin)
          : await readFile(path.resolve(context.cwd, name), 'utf8');
      inputs.push({ file: name === '-' ? 'stdin' : name, text });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push({
        severity: 'error',
        message: missing ? 'no such file' : `cannot read: ${(error as Error).message}`,
        location: { file: name },
      });
    }
  }
  return inputs;
}

/** Parses the options into `RulesOptions`, reporting bad values as problems. */
async function rulesOptions(context: CommandContext, problems: Problem[]): Promise<RulesOptions> {
  const { values } = context;
  const windows: AlertWindows[] = [];
  for (const file of list(values.windows)) {
    const [input] = await readInputs([file], context, problems);
    if (!input) continue;
    const parsed = parseAlertWindows(input.text, file);
    problems.push(...parsed.problems);
    if (parsed.windows) windows.push(parsed.windows);
  }
  let period: number | undefined;
  if (typeof values.period === 'string') {
    try {
      period = parseDuration(values.period);
      if (period <= 0) problems.push(usageProblem('--period must be longer than zero'));
    } catch (error) {
      problems.push(usageProblem(`--period: ${(error as Error).message}`));
    }
  } else if (windows.length === 1) {
    // One windows file and no --period: the file says which period it is for.
    period = windows[0]!.sloPeriod;
  }
  if (period !== undefined && windows.length > 0 && !windows.some((w) => w.sloPeriod === period)) {
    problems.push({
      severity: 'warning',
      message: `no --windows file is for the ${values.period} period: the windows files are for ${windows.map((w) => `${w.sloPeriod / 86_400}d`).join(', ')}`,
    });
  }
  const extraLabels: Record<string, string> = {};
  for (const pair of list(values.label)) {
    const at = pair.indexOf('=');
    const key = at === -1 ? pair : pair.slice(0, at);
    if (at <= 0 || labelNameKind(key) === 'invalid') {
      problems.push(usageProblem(`-l/--label "${pair}" is not key=value with a Prometheus label name`));
      continue;
    }
    extraLabels[key] = pair.slice(at + 1);
  }
  return {
    ...(period !== undefined ? { period } : {}),
    windows,
    extraLabels,
    disableAlerts: values['disable-alerts'] === true,
    disableRecordings: values['disable-recordings'] === true,
    zeroTrafficOk: values['zero-traffic-ok'] === true,
    weightedPeriod: values['weighted-period'] === true,
    version: RULES_VERSION,
  };
}

const rules: CommandSpec = {
  name: 'slo rules',
  summary:
    'generate Sloth-compatible Prometheus SLO rules (recordings and burn-rate alerts) from OpenSLO or Sloth specs',
  usage: '<spec file>... (- for standard input)',
  positionals: { min: 1 },
  formats: ['table'],
  output: 'Prometheus rule YAML',
  options: {
    period: {
      type: 'string',
      valueName: 'DURATION',
      description:
        'SLO period for specs without one, e.g. Sloth specs (Sloth --default-slo-period; default 30d)',
    },
    windows: {
      type: 'string',
      multiple: true,
      valueName: 'FILE',
      description: 'Sloth AlertWindows file with the alert windows of its period (repeatable)',
    },
    label: {
      type: 'string',
      short: 'l',
      multiple: true,
      valueName: 'K=V',
      description: 'extra label on every recording rule (repeatable)',
    },
    'disable-alerts': { type: 'boolean', description: 'leave out the alerting rules' },
    'disable-recordings': { type: 'boolean', description: 'leave out the recording rules' },
    'zero-traffic-ok': {
      type: 'boolean',
      description: 'a window without traffic gives no sample instead of NaN',
    },
    'weighted-period': {
      type: 'boolean',
      description: 'weight the period error ratio by traffic, not by time',
    },
  },
  async run(context): Promise<CommandResult> {
    const problems: Problem[] = [];
    const options = await rulesOptions(context, problems);
    const inputs = await readInputs(context.positionals, context, problems);
    const read = readSloSpecs(inputs);
    problems.push(...read.problems);
    const generated = generateRules(read.slos, options);
    problems.push(...generated.problems);
    if (problems.some((problem) => problem.severity === 'error')) return { exitCode: 2, problems };
    const header = [
      `Code generated by Pave (${RULES_VERSION}) from ${inputs.map((input) => input.file).join(', ')}; Sloth-compatible.`,
      'DO NOT EDIT.',
    ];
    return { text: writeRulesYaml(generated.documents, header), problems };
  },
};

/** The `pave slo ...` commands of this part of the reliability domain. */
export const sloCommands: CommandSpec[] = [rules];
