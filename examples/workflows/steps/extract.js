// Extract step: reads the rows of the source named in the step's input. `source.rows` are rows given inline;
// `source.generate: N` makes N well-formed order rows (ids 1..N) so a large run needs no input file. A source
// with `unavailable: true` throws SourceUnavailable, the error the workflows' Retry matches.
export const manifest = {
  id: 'workflow-example-extract',
  version: '1.0.0',
  kind: 'processor',
  description: 'Rows of an inline or generated source',
  requires: '^1.0',
};

class SourceUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'SourceUnavailable';
  }
}

const CITIES = [['Main St 1', 'Berlin', 'Germany'], ['Rue Haute 2', 'Lyon', 'France'], ['Via Roma 3', 'Milano', 'Italy']];

function generated(n) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const [street, city, country] = CITIES[i % CITIES.length];
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push({
      id: i,
      user_id: `u${i % 7}`,
      name: `customer ${i}`,
      email: `Customer.${i}@Example.COM`,
      timestamp: `2026-01-${day}T10:00:00Z`,
      amount: i * 10,
      street, city, country,
    });
  }
  return rows;
}

export function map(record) {
  const source = record.source ?? {};
  if (source.unavailable) throw new SourceUnavailable(`source ${source.name ?? '?'} does not answer`);
  const rows = Array.isArray(source.rows) ? source.rows : generated(source.generate ?? 0);
  return { records: rows, record_count: rows.length };
}
