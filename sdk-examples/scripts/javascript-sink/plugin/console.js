// A DataFlare sink in JavaScript: prints each record as a JSON line (console.log goes to the process's stderr,
// prefixed with the plugin id and stage, rate-limited). A sink exports write(batch, ctx); flush() and
// checkpoint()/restore(state) are optional (see python-sink for a sink that takes part in exactly-once delivery).
export const manifest = {
  id: 'console',
  version: '1.0.0',
  kind: 'sink',
  description: 'Prints records as JSON lines',
  requires: '^1.0',
  config: {
    fields: { type: 'string_list', default: [], description: 'the fields to print (empty: all)' },
  },
};

export function write(batch, ctx) {
  const fields = ctx.config.fields;
  for (const record of batch) {
    if (fields.length === 0) {
      console.log(JSON.stringify(record));
    } else {
      const picked = {};
      for (const f of fields) picked[f] = record[f];
      console.log(JSON.stringify(picked));
    }
  }
}
