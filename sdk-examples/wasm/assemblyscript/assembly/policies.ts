// as-policies: a key router that sends a numeric key to instance key % instances (another key: by its
// FNV-1a hash), a retry policy with exponential backoff (1, 2, 4 ms) for timeouts and I/O errors, and an
// error policy that aborts on resource limits and dead-letters anything else. Manifest kind: policy.
import { Failure, GIVE_UP, DEAD_LETTER, ABORT, decide, fnv1a } from "./dataflare";
export { df_alloc } from "./dataflare";

export function df_route(ptr: usize, len: u32, instances: u32): i32 {
  let n: u64 = 0;
  for (let i: u32 = 0; i < len; i++) {
    const c = load<u8>(ptr + i);
    if (c < 48 || c > 57) return <i32>(fnv1a(ptr, len) % instances);
    n = n * 10 + (c - 48);
  }
  return <i32>(n % instances);
}

function retry(f: Failure): i32 {
  if (f.attempts > 3 || (f.errorClass != "timeout" && f.errorClass != "io")) return GIVE_UP;
  return 1 << <i32>(f.attempts - 1);
}

export function df_retry(ptr: usize, len: u32): i32 {
  return decide(ptr, len, retry);
}

function errors(f: Failure): i32 {
  return f.errorClass == "limit" ? ABORT : DEAD_LETTER;
}

export function df_error_route(ptr: usize, len: u32): i32 {
  return decide(ptr, len, errors);
}
