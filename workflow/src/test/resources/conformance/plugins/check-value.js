// A processor plugin used as a workflow Task: doubles `value`, and throws an error named ValueTooLow (the
// name a Retry's or Catch's ErrorEquals matches) when it is below 10.
export const manifest = {
  id: 'check-value',
  version: '1.0.0',
  kind: 'processor',
  description: 'Doubles value; ValueTooLow below 10',
  requires: '^1.0',
};

class ValueTooLow extends Error {
  constructor(message) {
    super(message);
    this.name = 'ValueTooLow';
  }
}

export function map(record) {
  if (typeof record.value !== 'number') throw new TypeError('value is not a number');
  if (record.value < 10) throw new ValueTooLow(`value ${record.value} is below 10`);
  return { ...record, doubled: record.value * 2 };
}
