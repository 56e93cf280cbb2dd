// A DataFlare processor in JavaScript: masks the fields named in the stage's `with: { fields: [...] }`,
// keeping their first `keep` characters. The file is an ES module; the engine calls map(record, ctx) for
// every record, inside a sandbox (no files, network, processes or Java).
export const manifest = {
  id: 'redact',
  version: '1.0.0',
  kind: 'processor',
  description: 'Masks string fields, keeping their first characters',
  requires: '^1.0',
  config: {
    fields: { type: 'string_list', default: ['email'], description: 'fields to mask' },
    keep: { type: 'long', default: 2, description: 'characters kept in front' },
  },
};

export function map(record, ctx) {
  const { fields, keep } = ctx.config;
  const out = { ...record };
  let masked = 0;
  for (const f of fields) {
    if (typeof out[f] === 'string') {
      out[f] = out[f].slice(0, keep) + '*'.repeat(Math.max(0, out[f].length - keep));
      masked++;
    }
  }
  out.masked = masked;
  return out;
}
