//! rust-stock-indicators: per-stock ma5, ma10 and rsi14 over ticks (`ts`, `stock_code`, `price`), the same
//! contract and digits as the JavaScript `stock-indicators` (sdk-examples/scripts/javascript-stock-indicators).
//! Each stock's last 15 prices are kept in the host's per-key state (capability `state`) under its code, as
//! little-endian i64 counts of 10^-8, so the stage must be routed by `stock_code`.
//!
//! Exact arithmetic: a decimal price arrives as the string of its digits (binary encoding 1); sums are exact
//! integers and each result is one exact division rounded HALF_UP to 4 decimals, as Java's BigDecimal does.
//! RSI = 100 - 100 / (1 + mean gain / mean loss) = 100 * gains / (gains + losses) (the 1/14 cancels).
mod dataflare;

use dataflare::{state_get, state_set, Input, Output, Record, Value, OK};

const SCALE: u32 = 8; // decimals kept from a price
const UNIT: i128 = 100_000_000; // 10^SCALE
const WINDOW: usize = 15; // 15 prices give the 14 changes rsi14 needs
const OUT: i128 = 10_000; // results have 4 decimals

/// "101.25" -> 10125000000; None unless a plain decimal with at most SCALE decimals that fits an i64.
fn units(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !plain(fraction) || fraction.len() > SCALE as usize {
        return None;
    }
    if digits.contains('.') && fraction.is_empty() {
        return None;
    }
    let mut v: i128 = whole.parse::<i128>().ok()? * UNIT;
    if !fraction.is_empty() {
        v += fraction.parse::<i128>().ok()? * 10i128.pow(SCALE - fraction.len() as u32);
    }
    i64::try_from(if negative { -v } else { v }).ok()
}

/// num / den (den > 0) rounded half away from zero, as BigDecimal's HALF_UP.
fn div_half_up(num: i128, den: i128) -> i128 {
    let q = (2 * num.abs() + den) / (2 * den);
    if num < 0 {
        -q
    } else {
        q
    }
}

/// A count of 10^-4 units as text with exactly 4 decimals: 1234500 -> "123.4500".
fn text4(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    format!("{}{}.{:04}", sign, a / OUT, a % OUT)
}

fn mean(window: &[i64], n: usize) -> Option<String> {
    if window.len() < n {
        return None;
    }
    let sum: i128 = window[window.len() - n..].iter().map(|&p| p as i128).sum();
    Some(text4(div_half_up(sum * OUT, n as i128 * UNIT)))
}

fn rsi(window: &[i64]) -> Option<String> {
    if window.len() < WINDOW {
        return None;
    }
    let (mut gains, mut losses) = (0i128, 0i128);
    for pair in window[window.len() - WINDOW..].windows(2) {
        let change = pair[1] as i128 - pair[0] as i128;
        if change > 0 {
            gains += change;
        } else {
            losses -= change;
        }
    }
    if losses == 0 {
        return Some(text4(100 * OUT));
    }
    Some(text4(div_half_up(100 * OUT * gains, gains + losses)))
}

fn load(code: &str) -> Vec<i64> {
    state_get(code)
        .map(|b| b.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().unwrap())).collect())
        .unwrap_or_default()
}

fn store(code: &str, window: &[i64]) {
    let bytes: Vec<u8> = window.iter().flat_map(|p| p.to_le_bytes()).collect();
    state_set(code, &bytes);
}

fn put(out: &mut Output, name: &str, v: Option<String>) {
    match v {
        Some(t) => out.string(name, &t),
        None => out.null(name),
    };
}

fn tick(r: &Record, out: &mut Output) {
    let code = match r.get("stock_code") {
        Some(Value::Str(c)) if !c.is_empty() => *c,
        _ => return out.reject(r.index, "no stock_code"),
    };
    let price = match r.get("price") {
        Some(Value::Str(t)) => units(t),
        Some(Value::Long(l)) => l.checked_mul(UNIT as i64),
        _ => None,
    };
    let price = match price {
        Some(p) => p,
        None => return out.reject(r.index, "price: not a decimal number with at most 8 decimals"),
    };
    let mut window = load(code);
    window.push(price);
    if window.len() > WINDOW {
        window.remove(0);
    }
    store(code, &window);
    out.record(r.index).copy_field(r, "ts").copy_field(r, "stock_code").copy_field(r, "price");
    put(out, "ma5", mean(&window, 5));
    put(out, "ma10", mean(&window, 10));
    put(out, "rsi14", rsi(&window));
}

fn indicators(input: &Input, out: &mut Output) -> i32 {
    for r in &input.records {
        tick(r, out);
    }
    OK
}

processor!(indicators);
