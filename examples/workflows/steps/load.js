// Load step: upserts the records into the target table by `key` in batches of `batch_size` and answers what
// it did. A warehouse-busy spell is simulated by `busy_attempts`: the first that many attempts (the step passes
// $$.State.RetryCount as `attempt`) throw WarehouseBusy, the error the workflows' Retry matches.
export const manifest = {
  id: 'workflow-example-load',
  version: '1.0.0',
  kind: 'processor',
  description: 'Upserts records by key, answering the counts',
  requires: '^1.0',
};

class WarehouseBusy extends Error {
  constructor(message) {
    super(message);
    this.name = 'WarehouseBusy';
  }
}

export function map(record) {
  const attempt = record.attempt ?? 0;
  if (attempt < (record.busy_attempts ?? 0)) throw new WarehouseBusy(`${record.target_table} is busy (attempt ${attempt})`);
  const key = record.key ?? 'id';
  const table = new Map();
  let updated = 0;
  for (const r of record.records) {
    if (table.has(r[key])) updated++;
    table.set(r[key], r);
  }
  const batchSize = record.batch_size ?? 100;
  return {
    target_table: record.target_table,
    received: record.records.length,
    inserted: table.size,
    updated,
    batches: Math.ceil(record.records.length / batchSize),
    keys: [...table.keys()],
  };
}
