// Validate step (the data-validation executor's rules): user_id not empty, timestamp a valid RFC 3339
// date-time, amount a number in [0, 1000000]. Splits the records into valid ones and invalid ones (each with
// its errors) and reports the error rate.
export const manifest = {
  id: 'workflow-example-validate',
  version: '1.0.0',
  kind: 'processor',
  description: 'Splits records into valid and invalid ones',
  requires: '^1.0',
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function problems(r) {
  const out = [];
  if (String(r.user_id ?? '').trim() === '') out.push('user_id: empty');
  if (typeof r.timestamp !== 'string' || !RFC3339.test(r.timestamp) || Number.isNaN(Date.parse(r.timestamp)))
    out.push(`timestamp: not an RFC 3339 date-time: ${JSON.stringify(r.timestamp)}`);
  if (typeof r.amount !== 'number' || !(r.amount >= 0 && r.amount <= 1000000))
    out.push(`amount: not a number in [0, 1000000]: ${JSON.stringify(r.amount)}`);
  return out;
}

export function map(record) {
  const valid = [];
  const invalid = [];
  for (const r of record.records) {
    const errors = problems(r);
    if (errors.length) invalid.push({ id: r.id, errors });
    else valid.push(r);
  }
  const total = valid.length + invalid.length;
  return { valid, invalid, error_rate: total ? invalid.length / total : 0 };
}
