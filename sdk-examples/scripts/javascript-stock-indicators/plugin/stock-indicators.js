// Per-stock indicators over a tick stream: ma5, ma10 (moving averages of the last 5 / 10 prices) and rsi14
// (relative strength index over the last 14 price changes). The stock's last 15 prices live in ctx.state under
// its code, so the stage must be routed by stock_code (one instance sees all of a stock's ticks, in order).
//
// Exact arithmetic: a decimal price reaches JavaScript as the string of its digits ("101.25"); it is read into
// a BigInt of 10^-8 units, so sums are exact, and each result is one exact division rounded HALF_UP to 4 decimals,
// the same digits as Java's BigDecimal and the Rust version give. RS = mean gain / mean loss and
// RSI = 100 - 100 / (1 + RS) simplify (the 1/14 cancels) to RSI = 100 * gains / (gains + losses).
export const manifest = {
  id: 'stock-indicators',
  version: '1.0.0',
  kind: 'processor',
  description: 'Per-stock ma5, ma10 and rsi14 over ticks (ts, stock_code, price), history in ctx.state',
  capabilities: ['state'],
};

const SCALE = 8; // decimals kept from a price
const UNIT = 10n ** BigInt(SCALE);
const WINDOW = 15; // 15 prices give the 14 changes rsi14 needs
const OUT = 10n ** 4n; // results have 4 decimals

// "101.25" -> 10125000000n; null when the text is not a plain decimal with at most SCALE decimals
function units(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
  if (!m || (m[3] || '').length > SCALE) return null;
  const v = BigInt(m[2]) * UNIT + BigInt((m[3] || '').padEnd(SCALE, '0'));
  return m[1] ? -v : v;
}

// num / den (den > 0) rounded half away from zero, as BigDecimal's HALF_UP
function divHalfUp(num, den) {
  const q = (2n * (num < 0n ? -num : num) + den) / (2n * den);
  return num < 0n ? -q : q;
}

// a count of 10^-4 units as text with exactly 4 decimals: 1234500n -> "123.4500"
function text4(v) {
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return sign + (a / OUT).toString() + '.' + (a % OUT).toString().padStart(4, '0');
}

function mean(window, n) {
  if (window.length < n) return null;
  let sum = 0n;
  for (const p of window.slice(-n)) sum += p;
  return text4(divHalfUp(sum * OUT, BigInt(n) * UNIT));
}

function rsi(window) {
  if (window.length < WINDOW) return null;
  let gains = 0n;
  let losses = 0n;
  for (let i = window.length - WINDOW + 1; i < window.length; i++) {
    const change = window[i] - window[i - 1];
    if (change > 0n) gains += change;
    else losses -= change;
  }
  if (losses === 0n) return text4(100n * OUT);
  return text4(divHalfUp(100n * OUT * gains, gains + losses));
}

export function map(tick, ctx) {
  const code = tick.stock_code;
  if (code === null || code === undefined || code === '') {
    ctx.reject('no stock_code');
    return null;
  }
  const price = units(tick.price);
  if (price === null) {
    ctx.reject(`price: '${tick.price}' is not a decimal number with at most ${SCALE} decimals`);
    return null;
  }
  // the window is kept as the prices' decimal text: state values must be JSON. (JavaScript's ctx.state.get
  // takes no default: undefined when absent.)
  const kept = ctx.state.get(String(code)) ?? [];
  kept.push(String(tick.price));
  if (kept.length > WINDOW) kept.shift();
  ctx.state.set(String(code), kept);
  const window = kept.map(units);
  return {
    ts: tick.ts,
    stock_code: code,
    price: tick.price,
    ma5: mean(window, 5),
    ma10: mean(window, 10),
    rsi14: rsi(window),
  };
}
