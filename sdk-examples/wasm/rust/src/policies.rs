//! rust-policies: a key router that shards by FNV-1a of the key's JSON text (the same key, the same
//! instance), a retry policy that retries timeouts after 5 ms up to 4 attempts, and an error policy that
//! dead-letters everything but invalid records, which it skips. Manifest kind: policy.
mod dataflare;

use dataflare::{fnv1a, Failure, DEAD_LETTER, GIVE_UP, SKIP};

fn shard(key: &[u8], instances: u32) -> i32 {
    (fnv1a(key) % instances) as i32
}

fn retry(f: &Failure) -> i32 {
    if f.error_class == "timeout" && f.attempts < 4 {
        5
    } else {
        GIVE_UP
    }
}

fn errors(f: &Failure) -> i32 {
    if f.error_class == "invalid_record" {
        SKIP
    } else {
        DEAD_LETTER
    }
}

key_router!(shard);
retry_policy!(retry);
error_policy!(errors);
