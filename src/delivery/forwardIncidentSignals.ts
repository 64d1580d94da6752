/**
 * CDEvents incident events ingested here (`pave ingest cdevents`, `POST /api/v1/events`) must
 * reach the incident model, which the reliability domain owns and the change failure rate reads.
 * After a batch stores incident signals, every stored signal of the incidents it touches is handed
 * to that domain (`incidentsFromSignals`, then `storeIncidents`), so an incident whose `resolved`
 * came in an earlier batch than its `detected` still becomes one whole incident. The reliability
 * domain imports this one, so it is loaded lazily, as `incidentAttribution.ts` does.
 */
import type { Problem } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import type { IncidentSignal } from './model.js';
import { textList } from './sqlParams.js';

interface ReliabilityIncidentImport {
  incidentsFromSignals(signals: readonly IncidentSignal[]): unknown;
  storeIncidents(store: Store, batch: never): Promise<{ problems: Problem[] }>;
}

let reliability: Promise<ReliabilityIncidentImport | string> | undefined;

function loadReliability(): Promise<ReliabilityIncidentImport | string> {
  reliability ??= (async () => {
    // A variable specifier: the module is another domain's.
    const specifier = '../reliability/index.js';
    try {
      const module = (await import(specifier)) as Partial<ReliabilityIncidentImport>;
      if (typeof module.incidentsFromSignals === 'function' && typeof module.storeIncidents === 'function') {
        return module as ReliabilityIncidentImport;
      }
      return 'the reliability domain does not export incidentsFromSignals and storeIncidents';
    } catch (error) {
      return `the reliability domain is not available (${(error as Error).message.split('\n')[0]})`;
    }
  })();
  return reliability;
}

/**
 * Turns the stored signals of the incidents `signals` name into incidents. Returns the problems
 * to report: the incidents' errors, or a warning when the reliability domain is not there.
 */
export async function forwardIncidentSignals(
  store: Store,
  signals: readonly IncidentSignal[],
): Promise<Problem[]> {
  if (signals.length === 0) return [];
  const domain = await loadReliability();
  if (typeof domain === 'string') {
    return [
      { severity: 'warning', message: `incident events stored, but not turned into incidents: ${domain}` },
    ];
  }
  const keys = [...new Set(signals.map((signal) => `${signal.incidentSource}\n${signal.incidentId}`))];
  const rows = await store.query<SignalRow>(
    `SELECT id, incident_id, incident_source, kind, signal_at, service, environment, sha, artifact,
            deployment_id, description, ticket_uri, source
       FROM delivery_incident_signals
      WHERE incident_source || chr(10) || incident_id IN (SELECT unnest($1::text[]))
      ORDER BY signal_at, id`,
    [textList(keys)],
  );
  const batch = domain.incidentsFromSignals(rows.map(signalFromRow));
  const report = await domain.storeIncidents(store, batch as never);
  // Its warnings (a service not in the catalog yet) repeat what delivery reports its own way.
  return report.problems.filter((problem) => problem.severity === 'error');
}

interface SignalRow {
  id: string;
  incident_id: string;
  incident_source: string;
  kind: IncidentSignal['kind'];
  signal_at: Date;
  service: string | null;
  environment: string | null;
  sha: string | null;
  artifact: string | null;
  deployment_id: string | null;
  description: string | null;
  ticket_uri: string | null;
  source: IncidentSignal['source'];
}

function signalFromRow(row: SignalRow): IncidentSignal {
  const signal: IncidentSignal = {
    id: row.id,
    incidentId: row.incident_id,
    incidentSource: row.incident_source,
    kind: row.kind,
    at: new Date(row.signal_at).toISOString(),
    source: row.source,
  };
  if (row.service !== null) signal.service = row.service;
  if (row.environment !== null) signal.environment = row.environment;
  if (row.sha !== null) signal.sha = row.sha;
  if (row.artifact !== null) signal.artifact = row.artifact;
  if (row.deployment_id !== null) signal.deploymentId = row.deployment_id;
  if (row.description !== null) signal.description = row.description;
  if (row.ticket_uri !== null) signal.ticketUri = row.ticket_uri;
  return signal;
}
