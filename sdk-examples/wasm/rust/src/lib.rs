//! rust-keys: adds `key_upper` (the key in capitals) and `seen` (how many records with this key this
//! instance has seen, kept in the host's per-key state). Rejects records without a string `key`.
mod dataflare;

use dataflare::{state_get, state_set, Input, Output, Value, OK};

fn keys(input: &Input, out: &mut Output) -> i32 {
    for r in &input.records {
        let key = match r.get("key") {
            Some(Value::Str(k)) => *k,
            _ => {
                out.reject(r.index, "no string field 'key'");
                continue;
            }
        };
        let seen = state_get(key).map(|b| i64::from_le_bytes(b.try_into().unwrap_or([0; 8]))).unwrap_or(0) + 1;
        state_set(key, &seen.to_le_bytes());
        out.copy(r).string("key_upper", &key.to_uppercase()).long("seen", seen);
    }
    OK
}

processor!(keys);
