// Enrich step: looks each user up (a fixed table stands for the paper's user API) and adds user_segment and
// user_rating; unknown users are segment "new" with no rating.
export const manifest = {
  id: 'workflow-example-enrich',
  version: '1.0.0',
  kind: 'processor',
  description: 'Adds user_segment and user_rating',
  requires: '^1.0',
};

const USERS = {
  u0: ['gold', 5], u1: ['silver', 4], u2: ['silver', 4], u3: ['bronze', 3],
  u4: ['bronze', 3], u5: ['gold', 5], u6: ['bronze', 2],
};

export function map(record) {
  const records = record.records.map((r) => {
    const [segment, rating] = USERS[r.user_id] ?? ['new', null];
    return { ...r, user_segment: segment, user_rating: rating };
  });
  return { records };
}
