// Transform step: name to upper case, timestamp as its UTC date (yyyy-MM-dd), address = street, city and
// country joined with ", ".
export const manifest = {
  id: 'workflow-example-transform',
  version: '1.0.0',
  kind: 'processor',
  description: 'Upper-case names, dates, one address field',
  requires: '^1.0',
};

export function map(record) {
  const records = record.records.map(({ street, city, country, ...r }) => ({
    ...r,
    name: String(r.name).toUpperCase(),
    timestamp: new Date(r.timestamp).toISOString().slice(0, 10),
    address: [street, city, country].join(', '),
  }));
  return { records };
}
