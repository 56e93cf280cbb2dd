#![allow(dead_code)]
//! The DataFlare WASM ABI for Rust (`wasm32-unknown-unknown`, std only). See wasm-host/ABI.md.
//! Write `fn my_fn(input: &Input, out: &mut Output) -> i32` and register it with
//! `processor!(my_fn);`. Batches use the binary encoding.

#[link(wasm_import_module = "dataflare")]
extern "C" {
    #[link_name = "output"]
    fn host_output(ptr: *const u8, len: u32);
    #[link_name = "error"]
    fn host_error(ptr: *const u8, len: u32);
    #[link_name = "config"]
    fn host_config(ptr: *mut u8, cap: u32) -> u32;
    #[link_name = "state_get"]
    fn host_state_get(key: *const u8, klen: u32, buf: *mut u8, cap: u32) -> i32;
    #[link_name = "state_set"]
    fn host_state_set(key: *const u8, klen: u32, val: *const u8, vlen: u32);
}

pub const OK: i32 = 0;
pub const ERROR: i32 = 1;
pub const INVALID: i32 = 2;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const LONG: u8 = 3;
const DOUBLE: u8 = 4;
const STRING: u8 = 5;
const BYTES: u8 = 6;
const TIMESTAMP: u8 = 7;
const LIST: u8 = 8;
const MAP: u8 = 9;

static mut INPUT: Vec<u8> = Vec::new();

/// The host asks for a buffer for the next call's input; the previous one is dropped.
#[no_mangle]
pub extern "C" fn df_alloc(len: u32) -> *mut u8 {
    unsafe {
        INPUT = vec![0u8; len as usize];
        INPUT.as_mut_ptr()
    }
}

#[no_mangle]
pub extern "C" fn df_encoding() -> i32 {
    1
}

/// Reports an error message; returns `status` for convenience.
pub fn fail(status: i32, message: &str) -> i32 {
    unsafe { host_error(message.as_ptr(), message.len() as u32) };
    status
}

/// The stage's configuration (its `with:`) as JSON text.
pub fn config() -> String {
    let n = unsafe { host_config(core::ptr::null_mut(), 0) };
    let mut buf = vec![0u8; n as usize];
    unsafe { host_config(buf.as_mut_ptr(), n) };
    String::from_utf8(buf).unwrap_or_default()
}

/// The state value of `key` (capability `state`), or None.
pub fn state_get(key: &str) -> Option<Vec<u8>> {
    let n = unsafe { host_state_get(key.as_ptr(), key.len() as u32, core::ptr::null_mut(), 0) };
    if n < 0 {
        return None;
    }
    let mut buf = vec![0u8; n as usize];
    unsafe { host_state_get(key.as_ptr(), key.len() as u32, buf.as_mut_ptr(), n as u32) };
    Some(buf)
}

/// Sets the state value of `key` (capability `state`).
pub fn state_set(key: &str, value: &[u8]) {
    unsafe { host_state_set(key.as_ptr(), key.len() as u32, value.as_ptr(), value.len() as u32) };
}

/// A field value; timestamps, lists and maps are kept encoded.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Long(i64),
    Double(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
    Encoded,
}

pub struct Field<'a> {
    pub name: &'a str,
    pub value: Value<'a>,
    name_index: u32,
    raw: &'a [u8],
}

pub struct Record<'a> {
    /// The record's position in the input batch.
    pub index: i32,
    pub fields: Vec<Field<'a>>,
}

impl<'a> Record<'a> {
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.fields.iter().find(|f| f.name == name).map(|f| &f.value)
    }
}

pub struct Input<'a> {
    pub names: Vec<&'a str>,
    pub records: Vec<Record<'a>>,
}

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        s
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn str(&mut self) -> &'a str {
        let n = self.u32() as usize;
        core::str::from_utf8(self.take(n)).unwrap_or("")
    }
    fn skip_value(&mut self, tag: u8) {
        match tag {
            LONG | DOUBLE => {
                self.take(8);
            }
            STRING | BYTES => {
                let n = self.u32() as usize;
                self.take(n);
            }
            TIMESTAMP => {
                self.take(12);
            }
            LIST => {
                for _ in 0..self.u32() {
                    let t = self.take(1)[0];
                    self.skip_value(t);
                }
            }
            MAP => {
                for _ in 0..self.u32() {
                    self.str();
                    let t = self.take(1)[0];
                    self.skip_value(t);
                }
            }
            _ => {}
        }
    }
}

impl<'a> Input<'a> {
    fn parse(b: &'a [u8]) -> Input<'a> {
        let mut c = Cursor { b, p: 0 };
        let names: Vec<&str> = (0..c.u32()).map(|_| c.str()).collect();
        let mut records = Vec::new();
        for _ in 0..c.u32() {
            let index = c.u32() as i32;
            let mut fields = Vec::new();
            for _ in 0..c.u32() {
                let name_index = c.u32();
                let start = c.p;
                let tag = c.take(1)[0];
                let body = c.p;
                c.skip_value(tag);
                let mut v = Cursor { b, p: body };
                let value = match tag {
                    NULL => Value::Null,
                    FALSE => Value::Bool(false),
                    TRUE => Value::Bool(true),
                    LONG => Value::Long(i64::from_le_bytes(v.take(8).try_into().unwrap())),
                    DOUBLE => Value::Double(f64::from_le_bytes(v.take(8).try_into().unwrap())),
                    STRING => Value::Str(v.str()),
                    BYTES => {
                        let n = v.u32() as usize;
                        Value::Bytes(v.take(n))
                    }
                    _ => Value::Encoded,
                };
                fields.push(Field { name: names[name_index as usize], value, name_index, raw: &b[start..c.p] });
            }
            records.push(Record { index, fields });
        }
        Input { names, records }
    }
}

/// The output batch under construction.
pub struct Output {
    names: Vec<String>,
    recs: Vec<u8>,
    rej: Vec<u8>,
    nrecords: u32,
    nrejected: u32,
    count_at: usize,
    nfields: u32,
    // REFERENCE when the record under construction is an input record (by reference) plus added fields
    reference: u32,
}

/// Set in an output record's field count: the fields of the input record it names come first, unchanged.
const REFERENCE: u32 = 0x8000_0000;

impl Output {
    fn new(input: &Input) -> Output {
        Output {
            names: input.names.iter().map(|s| s.to_string()).collect(),
            recs: Vec::with_capacity(4096),
            rej: Vec::new(),
            nrecords: 0,
            nrejected: 0,
            count_at: 0,
            nfields: 0,
            reference: 0,
        }
    }

    fn name(&mut self, n: &str) -> u32 {
        if let Some(i) = self.names.iter().position(|x| x == n) {
            return i as u32;
        }
        self.names.push(n.to_string());
        (self.names.len() - 1) as u32
    }

    fn patch(&mut self) {
        if self.nrecords > 0 {
            let count = self.nfields | self.reference;
            self.recs[self.count_at..self.count_at + 4].copy_from_slice(&count.to_le_bytes());
        }
    }

    /// Starts a record coming from input record `index` (-1 for a new one).
    pub fn record(&mut self, index: i32) -> &mut Output {
        self.patch();
        self.recs.extend_from_slice(&(index as u32).to_le_bytes());
        self.count_at = self.recs.len();
        self.recs.extend_from_slice(&0u32.to_le_bytes());
        self.nfields = 0;
        self.reference = 0;
        self.nrecords += 1;
        self
    }

    /// Starts a record holding all the fields of `r`: sent as a reference to it (none of its bytes are copied or
    /// cross back to the host), followed by the fields added after this.
    pub fn copy(&mut self, r: &Record) -> &mut Output {
        self.record(r.index);
        self.reference = REFERENCE;
        self
    }

    fn field(&mut self, name: &str, tag: u8) {
        let i = self.name(name);
        self.recs.extend_from_slice(&i.to_le_bytes());
        self.recs.push(tag);
        self.nfields += 1;
    }

    /// Adds field `name` of `r` as it is (any type, timestamps and decimals included); nothing if `r` lacks it.
    pub fn copy_field(&mut self, r: &Record, name: &str) -> &mut Output {
        if let Some(f) = r.fields.iter().find(|f| f.name == name) {
            self.recs.extend_from_slice(&f.name_index.to_le_bytes());
            self.recs.extend_from_slice(f.raw);
            self.nfields += 1;
        }
        self
    }

    pub fn null(&mut self, name: &str) -> &mut Output {
        self.field(name, NULL);
        self
    }

    pub fn long(&mut self, name: &str, v: i64) -> &mut Output {
        self.field(name, LONG);
        self.recs.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn double(&mut self, name: &str, v: f64) -> &mut Output {
        self.field(name, DOUBLE);
        self.recs.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn string(&mut self, name: &str, v: &str) -> &mut Output {
        self.field(name, STRING);
        self.recs.extend_from_slice(&(v.len() as u32).to_le_bytes());
        self.recs.extend_from_slice(v.as_bytes());
        self
    }

    /// Rejects input record `index`: it goes to the pipeline's error policy.
    pub fn reject(&mut self, index: i32, reason: &str) {
        self.rej.extend_from_slice(&(index as u32).to_le_bytes());
        self.rej.extend_from_slice(&(reason.len() as u32).to_le_bytes());
        self.rej.extend_from_slice(reason.as_bytes());
        self.nrejected += 1;
    }

    fn finish(mut self) {
        self.patch();
        let mut all = Vec::with_capacity(self.recs.len() + 256);
        all.extend_from_slice(&(self.names.len() as u32).to_le_bytes());
        for n in &self.names {
            all.extend_from_slice(&(n.len() as u32).to_le_bytes());
            all.extend_from_slice(n.as_bytes());
        }
        all.extend_from_slice(&self.nrecords.to_le_bytes());
        all.extend_from_slice(&self.recs);
        all.extend_from_slice(&self.nrejected.to_le_bytes());
        all.extend_from_slice(&self.rej);
        unsafe { host_output(all.as_ptr(), all.len() as u32) };
    }
}

/// Runs `f` over the batch the host put at `ptr`; what `processor!` expands to.
pub fn run(ptr: *const u8, len: u32, f: fn(&Input, &mut Output) -> i32) -> i32 {
    let bytes = unsafe { core::slice::from_raw_parts(ptr, len as usize) };
    let input = Input::parse(bytes);
    let mut out = Output::new(&input);
    let status = f(&input, &mut out);
    if status == OK {
        out.finish();
    }
    status
}

/// Registers `f` as the processor (`df_process`).
#[macro_export]
macro_rules! processor {
    ($f:ident) => {
        #[no_mangle]
        pub extern "C" fn df_process(ptr: *const u8, len: u32) -> i32 {
            $crate::dataflare::run(ptr, len, $f)
        }
    };
}

/// Sets this call's output to raw bytes (a source's position, from `df_position`).
pub fn output_bytes(bytes: &[u8]) {
    unsafe { host_output(bytes.as_ptr(), bytes.len() as u32) };
}

/// Registers `get() -> i64` (the position after the last batch) and `set(i64) -> i32` (move there) as a
/// source's `df_position` / `df_seek`: the position is kept in the checkpoint as decimal text.
#[macro_export]
macro_rules! resume_long {
    ($get:ident, $set:ident) => {
        #[no_mangle]
        pub extern "C" fn df_position() -> i32 {
            $crate::dataflare::output_bytes($get().to_string().as_bytes());
            $crate::dataflare::OK
        }
        #[no_mangle]
        pub extern "C" fn df_seek(ptr: *const u8, len: u32) -> i32 {
            let text = unsafe { core::slice::from_raw_parts(ptr, len as usize) };
            match core::str::from_utf8(text).ok().and_then(|t| t.trim().parse::<i64>().ok()) {
                Some(v) => $set(v),
                None => $crate::dataflare::fail($crate::dataflare::ERROR, "the position is not a number"),
            }
        }
    };
}

/// `df_retry`: give up (or return a delay in ms, 0 or more).
pub const GIVE_UP: i32 = -1;
/// `df_error_route` decisions.
pub const SKIP: i32 = 0;
pub const DEAD_LETTER: i32 = 1;
pub const ABORT: i32 = 2;

/// A failed call as policies see it (the JSON object the host passes to `df_retry` / `df_error_route`).
pub struct Failure {
    pub error_class: String,
    pub message: String,
    pub attempts: i64,
    pub stage: String,
    pub plugin: String,
}

impl Failure {
    /// Reads the host's flat JSON object (string escapes other than `\"` and `\\` are kept as they are).
    pub fn parse(json: &[u8]) -> Failure {
        let text = core::str::from_utf8(json).unwrap_or("");
        Failure {
            error_class: json_str(text, "error_class"),
            message: json_str(text, "message"),
            attempts: json_num(text, "attempts"),
            stage: json_str(text, "stage"),
            plugin: json_str(text, "plugin"),
        }
    }
}

fn json_str(text: &str, name: &str) -> String {
    let key = format!("\"{}\":\"", name);
    let at = match text.find(&key) {
        Some(at) => at,
        None => return String::new(),
    };
    let mut out = String::new();
    let mut chars = text[at + key.len()..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => out.push(chars.next().unwrap_or('\\')),
            c => out.push(c),
        }
    }
    out
}

fn json_num(text: &str, name: &str) -> i64 {
    let key = format!("\"{}\":", name);
    text.find(&key)
        .map(|at| {
            text[at + key.len()..].chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect::<String>()
        })
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

/// FNV-1a of bytes: a hash that is the same on every host and run (for routing keys).
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 2166136261;
    for b in bytes {
        h ^= *b as u32;
        h = h.wrapping_mul(16777619);
    }
    h
}

/// Registers `f(&Failure) -> i32` as the retry policy (`df_retry`): a delay in ms, or `GIVE_UP`.
#[macro_export]
macro_rules! retry_policy {
    ($f:ident) => {
        #[no_mangle]
        pub extern "C" fn df_retry(ptr: *const u8, len: u32) -> i32 {
            $f(&$crate::dataflare::Failure::parse(unsafe { core::slice::from_raw_parts(ptr, len as usize) }))
        }
    };
}

/// Registers `f(&Failure) -> i32` as the error policy (`df_error_route`): `SKIP`, `DEAD_LETTER` or `ABORT`.
#[macro_export]
macro_rules! error_policy {
    ($f:ident) => {
        #[no_mangle]
        pub extern "C" fn df_error_route(ptr: *const u8, len: u32) -> i32 {
            $f(&$crate::dataflare::Failure::parse(unsafe { core::slice::from_raw_parts(ptr, len as usize) }))
        }
    };
}

/// Registers `f(key: &[u8], instances: u32) -> i32` as the key router (`df_route`); the key is its JSON text.
#[macro_export]
macro_rules! key_router {
    ($f:ident) => {
        #[no_mangle]
        pub extern "C" fn df_route(ptr: *const u8, len: u32, instances: u32) -> i32 {
            $f(unsafe { core::slice::from_raw_parts(ptr, len as usize) }, instances)
        }
    };
}
