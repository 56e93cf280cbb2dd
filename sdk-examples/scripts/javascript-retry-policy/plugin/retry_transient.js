// A DataFlare retry policy in JavaScript: retries only failures of the configured error classes (by default
// `io` and `timeout`: transient ones), up to `max_attempts` attempts, waiting `delay_ms` doubled per attempt.
// decide(failure) returns the milliseconds to wait before the next attempt, or null to give up (the records
// then go to the error policy). failure: { error_class, message, attempts, stage, plugin }.
export const manifest = {
  id: 'retry-transient',
  version: '1.0.0',
  kind: 'retry-policy',
  description: 'Retries transient failures only',
  requires: '^1.0',
  config: {
    retry_on: { type: 'string_list', default: ['io', 'timeout'], description: 'error classes to retry' },
    max_attempts: { type: 'long', default: 3, description: 'attempts in all, the first included' },
    delay_ms: { type: 'long', default: 10, description: 'wait before the first retry' },
  },
};

export function decide(failure, ctx) {
  const { retry_on, max_attempts, delay_ms } = ctx.config;
  if (!retry_on.includes(failure.error_class) || failure.attempts >= max_attempts) return null;
  return delay_ms * 2 ** (failure.attempts - 1);
}
