// Keeps orders of at least `min_amount`, computes `total` and lower-cases `email`: the quickstart's
// filter + map as one JavaScript processor. See polyglot-host/README.md for the script contract.
export const manifest = {
  id: 'enrich-orders',
  version: '1.0.0',
  kind: 'processor',
  description: 'Keeps big orders, adds total, lower-cases email',
  config: { min_amount: { type: 'double', default: 20 } },
};

export function map(order, ctx) {
  if (order.amount < ctx.config.min_amount) return null; // dropped (counted as filtered)
  return { ...order, email: order.email.toLowerCase(), total: order.amount * order.quantity };
}
