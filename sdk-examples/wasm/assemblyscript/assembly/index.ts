// as-square: adds "square" (id * id) and "key_length" to every record; rejects records without a
// long "id". The DataFlare ABI is hidden in dataflare.ts.
import { Input, Output, OK, LONG, process } from "./dataflare";
export { df_alloc, df_encoding } from "./dataflare";

function square(input: Input, output: Output): i32 {
  for (let i = 0; i < input.records.length; i++) {
    const r = input.records[i];
    const id = r.get("id");
    if (id == null || id.tag != LONG) {
      output.reject(r.index, "no long field 'id'");
      continue;
    }
    const key = r.get("key");
    output.copy(r).long("square", id.long() * id.long()).long("key_length", key ? key.string().length : 0);
  }
  return OK;
}

export function df_process(ptr: usize, len: u32): i32 {
  return process(ptr, len, square);
}
