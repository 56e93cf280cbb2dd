// A processor that never returns: the script host's per-call time limit (timeout_ms) stops it.
export const manifest = {
  id: 'endless',
  version: '1.0.0',
  kind: 'processor',
  description: 'Loops forever',
  requires: '^1.0',
};

export function map(record) {
  for (;;) {}
}
