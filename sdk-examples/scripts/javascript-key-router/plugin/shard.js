// A DataFlare key router in JavaScript: sends a record to the instance of a parallel stage its key's shard
// number picks: the digits in the key (`customer-42` -> 42) modulo the instances, so that shards map to
// instances predictably (and one key's records keep their order). route(key, instances) returns an instance
// from 0 to instances - 1; key is the value of policies.routing.key (or the record key), null when missing.
export const manifest = {
  id: 'shard',
  version: '1.0.0',
  kind: 'key-router',
  description: 'Routes by the number in the key',
  requires: '^1.0',
};

export function route(key, instances) {
  const digits = key === null || key === undefined ? '' : String(key).replace(/\D/g, '');
  return digits === '' ? 0 : Number(BigInt(digits) % BigInt(instances));
}
