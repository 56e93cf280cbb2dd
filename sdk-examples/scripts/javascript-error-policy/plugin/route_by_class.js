// A DataFlare error policy in JavaScript: records that failed for good are skipped when their error class is
// one of `skip`, go to the dead-letter sink when it is one of `dead_letter`, and stop the pipeline otherwise
// (an unexpected failure is worth a look before going on). route(failure) returns 'skip', 'dead-letter' or
// 'abort'; failure: { error_class, message, attempts, stage, plugin }.
export const manifest = {
  id: 'route-by-class',
  version: '1.0.0',
  kind: 'error-policy',
  description: 'Skips, dead-letters or aborts by error class',
  requires: '^1.0',
  config: {
    skip: { type: 'string_list', default: [], description: 'error classes skipped' },
    dead_letter: { type: 'string_list', default: ['invalid_record'], description: 'error classes dead-lettered' },
  },
};

export function route(failure, ctx) {
  if (ctx.config.skip.includes(failure.error_class)) return 'skip';
  if (ctx.config.dead_letter.includes(failure.error_class)) return 'dead-letter';
  return 'abort';
}
