// A DataFlare source in JavaScript: counts from `start` to `count`, `{ id, square }` per record. position() and
// seek() make it resumable: the engine stores the position with each checkpoint and hands it back to seek()
// when a pipeline resumes, so every record is read exactly once across a crash.
export const manifest = {
  id: 'counter',
  version: '1.0.0',
  kind: 'source',
  description: 'Counts from start to count',
  requires: '^1.0',
  config: {
    count: { type: 'long', default: 100, description: 'the last id' },
    start: { type: 'long', default: 1, description: 'the first id' },
  },
};

let next = 1;
let last = 0;

export function open(ctx) {
  next = ctx.config.start;
  last = ctx.config.count;
}

// Up to `max` records; null once every record was read.
export function poll(max) {
  if (next > last) return null;
  const out = [];
  for (; out.length < max && next <= last; next++) out.push({ id: next, square: next * next });
  return out;
}

export function position() {
  return { next };
}

export function seek(position) {
  next = position.next;
}
