/**
 * How fast `parseCdevents` turns NDJSON into records, parsing alone (no store):
 * `npx tsx src/delivery/testing/parseBench.ts [events]`. The mix follows the benchmark
 * organisation (test case results dominate, then pipeline runs, then deployments). The real
 * benchmark, into DuckDB and PostgreSQL, belongs in `bench/` once storage exists.
 */
import { parseCdevents } from '../ingest/cdevents.js';

const count = Number(process.argv[2] ?? 200_000);
const mix: [string, number][] = [
  ['testcaserun.finished.0.3.0', 70],
  ['pipelinerun.finished.0.3.0', 15],
  ['taskrun.finished.0.3.0', 5],
  ['service.deployed.0.3.0', 5],
  ['change.merged.0.3.0', 4],
  ['incident.detected.0.3.0', 1],
];
const weights = mix.flatMap(([type, weight]) => Array.from({ length: weight }, () => type));

function content(type: string, i: number): Record<string, unknown> {
  const service = i % 300;
  if (type.startsWith('testcaserun')) {
    return {
      outcome: i % 50 === 0 ? 'failure' : 'success',
      environment: { id: 'ci' },
      testCase: { id: `t${i % 20_000}`, name: `com.acme.svc${service}.Test${i % 20_000}` },
    };
  }
  if (type.startsWith('pipelinerun')) {
    return {
      pipelineName: `svc${service}-build`,
      outcome: i % 10 === 0 ? 'failure' : 'success',
      uri: `https://ci.example/r/${i}`,
    };
  }
  if (type.startsWith('taskrun'))
    return { taskName: 'test', pipelineRun: { id: `run-${i - 1}` }, outcome: 'success' };
  if (type.startsWith('service')) {
    return {
      environment: { id: 'production' },
      artifactId: `pkg:oci/svc${service}@sha256%3A${'ab'.repeat(32)}`,
    };
  }
  if (type.startsWith('change'))
    return { repository: { id: `acme/svc${service}`, source: 'https://github.com' } };
  return { environment: { id: 'production' }, service: { id: `svc${service}` }, description: 'latency' };
}

const lines: string[] = [];
for (let i = 0; i < count; i++) {
  const type = weights[i % weights.length]!;
  const sha = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(5);
  lines.push(
    JSON.stringify({
      context: {
        specversion: '0.5.0',
        id: `ev-${i}`,
        source: '/ci/acme',
        type: `dev.cdevents.${type}`,
        timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      },
      subject: { id: `s-${i}`, source: '/ci/acme', content: content(type, i) },
      customData: { 'pave.dev/service': `component:default/svc${i % 300}`, 'pave.dev/sha': sha },
    }),
  );
}
const text = lines.join('\n');
console.log(`${count} events, ${(text.length / 1e6).toFixed(1)} MB of NDJSON`);

for (let round = 1; round <= 5; round++) {
  const start = performance.now();
  const result = parseCdevents(text, { format: 'ndjson' });
  const seconds = (performance.now() - start) / 1000;
  const records = Object.values(result.records).reduce((sum, list) => sum + list.length, 0);
  console.log(
    `round ${round}: ${Math.round(count / seconds).toLocaleString('en-US')} events/s (${records} records, ${result.problems.length} problems)`,
  );
}

const start = performance.now();
for (const line of lines) JSON.parse(line);
const seconds = (performance.now() - start) / 1000;
console.log(`JSON.parse alone: ${Math.round(count / seconds).toLocaleString('en-US')} lines/s`);
