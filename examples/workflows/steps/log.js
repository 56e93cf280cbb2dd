// The StepFlow example's `log.*` activities as one processor plugin: it returns its input marked as seen by the
// step that called it (the step passes its name in `step`), so the execution's output shows which steps ran.
export const manifest = {
  id: 'workflow-example-log',
  version: '1.0.0',
  kind: 'processor',
  description: 'Returns its input with logged: true',
  requires: '^1.0',
};

export function map(record) {
  return { ...record, logged: true };
}
