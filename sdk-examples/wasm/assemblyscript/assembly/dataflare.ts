// dataflare.ts: the DataFlare WASM ABI for AssemblyScript (build with --runtime stub).
// See wasm-host/ABI.md. Re-export `df_alloc` and `df_encoding` from your entry file, then write
//   export function df_process(ptr: usize, len: u32): i32 { return process(ptr, len, myFn); }
// where myFn(input: Input, output: Output): i32. Batches use the binary encoding. Memory: every
// call starts with an empty heap (heap.reset), so nothing allocated in a call outlives it.

@external("dataflare", "output") declare function hostOutput(ptr: usize, len: u32): void;
@external("dataflare", "error") declare function hostError(ptr: usize, len: u32): void;

export const OK: i32 = 0, ERROR: i32 = 1, INVALID: i32 = 2, END: i32 = 3;
export const NULL: u8 = 0, FALSE: u8 = 1, TRUE: u8 = 2, LONG: u8 = 3, DOUBLE: u8 = 4, STRING: u8 = 5,
  BYTES: u8 = 6, TIMESTAMP: u8 = 7, LIST: u8 = 8, MAP: u8 = 9;

export function df_alloc(n: u32): usize {
  heap.reset();
  return heap.alloc(n);
}

export function df_encoding(): i32 {
  return 1;
}

/** Reports an error message with a failing status. */
export function fail(status: i32, message: string): i32 {
  const b = String.UTF8.encode(message);
  hostError(changetype<usize>(b), <u32>b.byteLength);
  return status;
}

class Cursor {
  constructor(public p: usize, public end: usize) {}
  u32(): u32 { if (this.p + 4 > this.end) unreachable(); const v = load<u32>(this.p); this.p += 4; return v; }
  skip(n: usize): void { if (this.p + n > this.end) unreachable(); this.p += n; }
  skipValue(tag: u8): void {
    if (tag == LONG || tag == DOUBLE) this.skip(8);
    else if (tag == STRING || tag == BYTES) this.skip(this.u32());
    else if (tag == TIMESTAMP) this.skip(12);
    else if (tag == LIST) { for (let n = this.u32(); n > 0; n--) { const t = load<u8>(this.p); this.skip(1); this.skipValue(t); } }
    else if (tag == MAP) { for (let n = this.u32(); n > 0; n--) { this.skip(this.u32()); const t = load<u8>(this.p); this.skip(1); this.skipValue(t); } }
  }
}

/** One field of an input record. */
export class Field {
  nameIndex: u32 = 0;
  tag: u8 = 0;
  raw: usize = 0;
  rawLen: u32 = 0;
  /** The value of a LONG field. */
  long(): i64 { return load<i64>(this.raw + 1); }
  /** The value of a DOUBLE field. */
  double(): f64 { return load<f64>(this.raw + 1); }
  /** The value of a STRING field. */
  string(): string { return String.UTF8.decodeUnsafe(this.raw + 5, load<u32>(this.raw + 1)); }
}

/** One input record: its position in the batch and its fields. */
export class Record {
  constructor(public index: i32, public fields: Field[], private input: Input) {}
  /** The field named `name`, or null. */
  get(name: string): Field | null {
    for (let i = 0; i < this.fields.length; i++) {
      if (this.input.names[this.fields[i].nameIndex] == name) return this.fields[i];
    }
    return null;
  }
}

/** The input batch. */
export class Input {
  names: string[] = [];
  records: Record[] = [];
  constructor(ptr: usize, len: u32) {
    const c = new Cursor(ptr, ptr + len);
    for (let n = c.u32(); n > 0; n--) { const l = c.u32(); this.names.push(String.UTF8.decodeUnsafe(c.p, l)); c.skip(l); }
    for (let n = c.u32(); n > 0; n--) {
      const index = <i32>c.u32();
      const fields: Field[] = [];
      for (let f = c.u32(); f > 0; f--) {
        const field = new Field();
        field.nameIndex = c.u32();
        field.raw = c.p;
        field.tag = load<u8>(c.p);
        c.skip(1);
        c.skipValue(field.tag);
        field.rawLen = <u32>(c.p - field.raw);
        fields.push(field);
      }
      this.records.push(new Record(index, fields, this));
    }
  }
}

class Buf {
  ptr: usize = 0;
  len: u32 = 0;
  cap: u32 = 0;
  put(src: usize, n: u32): void {
    if (this.len + n > this.cap) {
      const cap = max(this.cap * 2, this.len + n + 256);
      const p = heap.alloc(cap);
      if (this.len > 0) memory.copy(p, this.ptr, this.len);
      this.ptr = p;
      this.cap = cap;
    }
    memory.copy(this.ptr + this.len, src, n);
    this.len += n;
  }
  u8(v: u8): void { const t = heap.alloc(1); store<u8>(t, v); this.put(t, 1); }
  u32(v: u32): void { const t = heap.alloc(4); store<u32>(t, v); this.put(t, 4); }
  i64(v: i64): void { const t = heap.alloc(8); store<i64>(t, v); this.put(t, 8); }
  str(s: string): void { const b = String.UTF8.encode(s); this.u32(<u32>b.byteLength); this.put(changetype<usize>(b), <u32>b.byteLength); }
}

/** Set in an output record's field count: the fields of the input record it names come first, unchanged. */
const REFERENCE: u32 = 0x80000000;

/** The output batch under construction. */
export class Output {
  private names: string[];
  private recs: Buf = new Buf();
  private rej: Buf = new Buf();
  private nrecords: u32 = 0;
  private nrejected: u32 = 0;
  private countAt: u32 = 0;
  private nfields: u32 = 0;
  // REFERENCE while the record under construction is an input record (by reference) plus added fields
  private reference: u32 = 0;
  constructor(input: Input | null) {
    this.names = input ? input.names.slice(0) : [];
  }
  private name(n: string): u32 {
    const i = this.names.indexOf(n);
    if (i >= 0) return <u32>i;
    this.names.push(n);
    return <u32>(this.names.length - 1);
  }
  private patch(): void {
    if (this.nrecords > 0) store<u32>(this.recs.ptr + this.countAt, this.nfields | this.reference);
  }
  /** Starts a record; `index` is the input record it comes from (-1 for a new one). */
  record(index: i32): Output {
    this.patch();
    this.recs.u32(<u32>index);
    this.countAt = this.recs.len;
    this.recs.u32(0);
    this.nfields = 0;
    this.reference = 0;
    this.nrecords++;
    return this;
  }
  /**
   * Starts a record holding all the fields of `r`: sent as a reference to it (none of its bytes are copied or
   * cross back to the host), followed by the fields added after this.
   */
  copy(r: Record): Output {
    this.record(r.index);
    this.reference = REFERENCE;
    return this;
  }
  private field(name: string, tag: u8): void { this.recs.u32(this.name(name)); this.recs.u8(tag); this.nfields++; }
  long(name: string, v: i64): Output { this.field(name, LONG); this.recs.i64(v); return this; }
  double(name: string, v: f64): Output { this.field(name, DOUBLE); this.recs.i64(reinterpret<i64>(v)); return this; }
  bool(name: string, v: bool): Output { this.field(name, v ? TRUE : FALSE); return this; }
  string(name: string, v: string): Output { this.field(name, STRING); this.recs.str(v); return this; }
  /** Rejects input record `index`: it goes to the pipeline's error policy. */
  reject(index: i32, reason: string): void { this.rej.u32(<u32>index); this.rej.str(reason); this.nrejected++; }
  /** Hands the batch to the host. */
  finish(): void {
    this.patch();
    const all = new Buf();
    all.u32(<u32>this.names.length);
    for (let i = 0; i < this.names.length; i++) all.str(this.names[i]);
    all.u32(this.nrecords);
    all.put(this.recs.ptr, this.recs.len);
    all.u32(this.nrejected);
    all.put(this.rej.ptr, this.rej.len);
    hostOutput(all.ptr, all.len);
  }
}

/** Runs `fn` over the batch at `ptr`; the body of your exported df_process. */
export function process(ptr: usize, len: u32, fn: (input: Input, output: Output) => i32): i32 {
  const input = new Input(ptr, len);
  const output = new Output(input);
  const status = fn(input, output);
  if (status == OK) output.finish();
  return status;
}

// ---- resumable sources: df_position outputs the position (text), df_seek gets the same text back ----

/** Hands the source's position to the host (call it from df_position, then return OK). */
export function outputPosition(position: string): void {
  const b = String.UTF8.encode(position);
  hostOutput(changetype<usize>(b), <u32>b.byteLength);
}

/** The position text df_seek was given. */
export function positionText(ptr: usize, len: u32): string {
  return String.UTF8.decodeUnsafe(ptr, len);
}

// ---- policies (manifest kind: policy) ----

/** df_retry: give up; any result of 0 or more is a delay in ms before the next attempt. */
export const GIVE_UP: i32 = -1;
/** df_error_route decisions. */
export const SKIP: i32 = 0, DEAD_LETTER: i32 = 1, ABORT: i32 = 2;

/** A failed call as policies see it (the host passes it as a flat JSON object). */
export class Failure {
  errorClass: string = "";
  message: string = "";
  attempts: i64 = 0;
  stage: string = "";
  plugin: string = "";

  static parse(ptr: usize, len: u32): Failure {
    const text = String.UTF8.decodeUnsafe(ptr, len);
    const f = new Failure();
    f.errorClass = jsonString(text, "error_class");
    f.message = jsonString(text, "message");
    f.stage = jsonString(text, "stage");
    f.plugin = jsonString(text, "plugin");
    f.attempts = jsonNumber(text, "attempts");
    return f;
  }
}

function jsonString(text: string, name: string): string {
  const key = '"' + name + '":"';
  const at = text.indexOf(key);
  if (at < 0) return "";
  let out = "";
  for (let i = at + key.length; i < text.length; i++) {
    const c = text.charAt(i);
    if (c == '"') break;
    if (c == "\\" && i + 1 < text.length) { i++; out += text.charAt(i); continue; }
    out += c;
  }
  return out;
}

function jsonNumber(text: string, name: string): i64 {
  const key = '"' + name + '":';
  const at = text.indexOf(key);
  if (at < 0) return 0;
  let v: i64 = 0;
  for (let i = at + key.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** The decision of fn on the failure at ptr (for df_retry and df_error_route). */
export function decide(ptr: usize, len: u32, fn: (f: Failure) => i32): i32 {
  return fn(Failure.parse(ptr, len));
}

/** FNV-1a of bytes (a routing key's JSON text): the same on every host and run. */
export function fnv1a(ptr: usize, len: u32): u32 {
  let h: u32 = 2166136261;
  for (let i: u32 = 0; i < len; i++) {
    h ^= load<u8>(ptr + i);
    h *= 16777619;
  }
  return h;
}

// Keyed state (capability `state`): the engine's durable state in a pipeline run, saved with every checkpoint.
@external("dataflare", "state_get") declare function hostStateGet(kptr: usize, klen: u32, vptr: usize, vcap: u32): i32;
@external("dataflare", "state_set") declare function hostStateSet(kptr: usize, klen: u32, vptr: usize, vlen: u32): void;
@external("dataflare", "state_delete") declare function hostStateDelete(kptr: usize, klen: u32): void;

/** The value of `key` in this instance's state, or null when it has none. */
export function stateGet(key: string): Uint8Array | null {
  const k = String.UTF8.encode(key);
  let buf = new Uint8Array(64);
  let n = hostStateGet(changetype<usize>(k), <u32>k.byteLength, buf.dataStart, <u32>buf.length);
  if (n < 0) return null;
  if (n > buf.length) {
    buf = new Uint8Array(n);
    n = hostStateGet(changetype<usize>(k), <u32>k.byteLength, buf.dataStart, <u32>buf.length);
  }
  return buf.subarray(0, n);
}

/** Sets `key` in this instance's state. */
export function stateSet(key: string, value: Uint8Array): void {
  const k = String.UTF8.encode(key);
  hostStateSet(changetype<usize>(k), <u32>k.byteLength, value.dataStart, <u32>value.length);
}

/** Removes `key` from this instance's state. */
export function stateDelete(key: string): void {
  const k = String.UTF8.encode(key);
  hostStateDelete(changetype<usize>(k), <u32>k.byteLength);
}
