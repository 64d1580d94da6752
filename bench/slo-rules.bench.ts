/**
 * Rule generation for 1,000 SLOs (issue 4): Sloth `prometheus/v1` specs for 100 services of 10
 * SLOs each, read, generated (with the default 30d period) and written as one rule file.
 * Run alone with `npx tsx bench/slo-rules.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { readSloSpecs, type SpecInput } from '../src/reliability/ingest/readSloSpecs.js';
import { generateRules } from '../src/reliability/rules/generateRules.js';
import { writeRulesYaml } from '../src/reliability/rules/writeRulesYaml.js';

/** One figure of a benchmark. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const SERVICES = 100;
const SLOS_PER_SERVICE = 10;
const RUNS = 5;

/** Deterministic specs: events SLIs, every third one raw, every fifth without a ticket alert. */
function specs(): SpecInput[] {
  const inputs: SpecInput[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const lines = [
      `version: prometheus/v1`,
      `service: svc-${s}`,
      'labels:',
      `  team: team-${s % 12}`,
      '  tier: "1"',
      'slos:',
    ];
    for (let i = 0; i < SLOS_PER_SERVICE; i++) {
      const job = `svc-${s}`;
      lines.push(`  - name: slo-${i}`, `    objective: ${[99, 99.5, 99.9, 99.95][i % 4]}`, '    sli:');
      if (i % 3 === 0) {
        lines.push(
          '      raw:',
          `        error_ratio_query: 1 - avg_over_time(probe_success{job="${job}",check="${i}"}[{{.window}}])`,
        );
      } else {
        lines.push(
          '      events:',
          `        error_query: sum(rate(http_requests_total{job="${job}",route="/r${i}",code=~"5.."}[{{.window}}]))`,
          `        total_query: sum(rate(http_requests_total{job="${job}",route="/r${i}"}[{{.window}}]))`,
        );
      }
      lines.push(
        '    alerting:',
        `      name: Svc${s}Slo${i}Burn`,
        '      labels: { category: availability }',
      );
      if (i % 5 === 0) lines.push('      ticket_alert: { disable: true }');
    }
    inputs.push({ file: `svc-${s}.yaml`, text: `${lines.join('\n')}\n` });
  }
  return inputs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Reports the time to read the specs, and to generate and write the rules, for 1,000 SLOs. */
export async function bench(report: (figure: BenchFigure) => void): Promise<void> {
  const inputs = specs();
  const slos = readSloSpecs(inputs).slos;
  if (slos.length !== SERVICES * SLOS_PER_SERVICE) throw new Error(`expected 1000 SLOs, read ${slos.length}`);
  const readTimes: number[] = [];
  const generateTimes: number[] = [];
  let rules = 0;
  let bytes = 0;
  // The first run warms the JIT; the median of the others is reported.
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const read = readSloSpecs(inputs);
    const t1 = performance.now();
    const generated = generateRules(read.slos);
    const text = writeRulesYaml(generated.documents);
    const t2 = performance.now();
    if (run === 0) continue;
    readTimes.push(t1 - t0);
    generateTimes.push(t2 - t1);
    rules = generated.documents.reduce((n, d) => n + d.groups.reduce((m, g) => m + g.rules.length, 0), 0);
    bytes = text.length;
  }
  const generate = median(generateTimes);
  report({
    name: 'slo rules: generate and write 1,000 SLOs',
    value: Math.round(generate * 10) / 10,
    unit: 'ms',
    note: `${rules} rules, ${(bytes / 1e6).toFixed(1)} MB of YAML; median of ${RUNS} runs`,
  });
  report({
    name: 'slo rules: per SLO',
    value: Math.round((generate / slos.length) * 1000) / 1000,
    unit: 'ms',
  });
  report({
    name: 'slo rules: read 1,000 Sloth SLO specs',
    value: Math.round(median(readTimes) * 10) / 10,
    unit: 'ms',
    note: `${SERVICES} files, validated with locations`,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bench((figure) => {
    console.log(`${figure.name}: ${figure.value} ${figure.unit}${figure.note ? ` (${figure.note})` : ''}`);
  });
}
