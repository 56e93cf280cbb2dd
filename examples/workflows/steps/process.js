// Process step of the ETL workflow's exclusive branch: adds amount_cents and says which path processed each
// record (`mode`: "direct", or "batch" with the batch's index).
export const manifest = {
  id: 'workflow-example-process',
  version: '1.0.0',
  kind: 'processor',
  description: 'Adds amount_cents and the processing path',
  requires: '^1.0',
};

export function map(record) {
  const processed_by = record.mode === 'batch' ? `batch ${record.batch}` : record.mode;
  const records = record.records.map((r) => ({ ...r, amount_cents: Math.round(r.amount * 100), processed_by }));
  return { records };
}
