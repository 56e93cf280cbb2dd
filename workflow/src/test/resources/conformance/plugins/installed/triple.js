// An installed processor plugin, named in a workflow as plugin:triple@^1.0.
export const manifest = {
  id: 'triple',
  version: '1.2.0',
  kind: 'processor',
  description: 'Triples n',
  requires: '^1.0',
  config: { factor: { type: 'long', default: 3, description: 'the factor' } },
};

export function map(record, ctx) {
  return { n: record.n * ctx.config.factor };
}
