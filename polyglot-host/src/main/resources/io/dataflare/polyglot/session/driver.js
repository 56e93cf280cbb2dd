// DataFlare's guest side of the batch loop for JavaScript plugins (evaluated once per context, before the
// plugin). The host hands a batch over as columns: host arrays, one per field, read in one guest loop per run of
// records of one shape (columns); a record with a list, map or decimal value comes with a call of its own (add).
// Then one call runs the plugin's function over the whole batch inside the guest, so the JIT inlines it, and the
// results go into host arrays (see sink) that the host reads when they are full and at the end of the call: a
// call across the boundary per record cost more than the plugin's own work. Fixed-arity functions are generated
// per record shape: variadic calls across the polyglot boundary deoptimise.
(function () {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, keysOf = Object.keys, freeze = Object.freeze;
  const makers = new Map(), columnMakers = new Map(), emitters = new Map();
  let buf = [], plugin = null, ctx = null, current = -1, host = null;
  // the records handed over for the next call: kept from call to call (an array grown per call cost a sixth of
  // the loop), so a slot holds its record until a later batch overwrites it
  const recs = [];
  let added = 0;
  // The results of a call, in host arrays: per output row the input it came from (rows, -1 for none) and its shape
  // id (shapes: the host's number for a list of field names, -1 for "the input record itself", a filter's kept
  // record), the values of all rows one after the other (vals); flush(n) has the host take the first n rows.
  // Values other than strings, numbers, booleans and null (objects, arrays, undefined...) go by emit(), which
  // converts them, after the rows before them are flushed.
  const sink = { rows: null, shapes: null, vals: null, flush: null, shapeId: null, emit: null, emitShape: null,
    r: 0, p: 0, R: 0, P: 0 };

  function args(n) {
    const a = [];
    for (let j = 0; j < n; j++) a.push('v' + j);
    return a;
  }
  // add(nested, v0..vn) for one record shape: builds the object with a literal, so all records of the shape
  // share one hidden class; `nested` lists the fields that arrive as JSON text (lists and maps), and decimals
  // as -(position + 1): those stay strings of their digits (a JS number would round them).
  function maker(names) {
    const vs = args(names.length);
    const body = 'return function (nested, ' + vs.join(', ') + ') {\n' +
      '  const o = {' + names.map((n, j) => stringify(n) + ': v' + j).join(', ') + '};\n' +
      '  if (nested !== null) for (let k = 0; k < nested.length; k++) { if (nested[k] < 0) continue; const f = names[nested[k]]; o[f] = parse(o[f]); }\n' +
      '  push(o);\n};';
    return new Function('push', 'parse', 'names', body)(push, parse, names);
  }
  // columns(cols, n) for one record shape: cols[j] holds field j of n records that have no nested value
  function columnMaker(names) {
    const cs = names.map((n, j) => 'c' + j);
    const body = 'return function (cols, n) {\n' +
      (names.length === 0 ? '' : '  const ' + cs.map((c, j) => c + ' = cols[' + j + ']').join(', ') + ';\n') +
      '  for (let i = 0; i < n; i++) push({' + names.map((n, j) => stringify(n) + ': c' + j + '[i]').join(', ') + '});\n};';
    return new Function('push', body)(push);
  }
  function prim(v) {
    const t = typeof v;
    return t === 'string' || t === 'number' || t === 'boolean' || v === null;
  }
  function drain() {
    if (sink.r > 0) sink.flush(sink.r);
    sink.r = 0;
    sink.p = 0;
  }
  // a row for input i (or -1) of shape sid with w values: where its values go in sink.vals
  function reserve(i, sid, w) {
    if (sink.r === sink.R || sink.p + w > sink.P) drain();
    const r = sink.r, p = sink.p;
    sink.rows[r] = i;
    sink.shapes[r] = sid;
    sink.r = r + 1;
    sink.p = p + w;
    return p;
  }
  // emits y (whose keys are ks) as a row of shape sid, or by emit() when a value is not a plain one
  function emitter(ks) {
    const w = ks.length, vs = ks.map((k, j) => 'v' + j), names = ks.map(k => stringify(k)).join(', ');
    const slow = '  drain();\n  sink.emitShape(' + names + ');\n  sink.emit(i, 0, 0' + vs.map(v => ', ' + v).join('') + ');\n';
    let body = 'return function (i, y) {\n' +
      (w === 0 ? '' : '  const ' + ks.map((k, j) => vs[j] + ' = y[' + stringify(k) + ']').join(', ') + ';\n');
    if (w > sink.P) {
      body += slow + '};';
    } else {
      const sid = sink.shapeId(...ks);
      body += '  if (' + (w === 0 ? 'true' : vs.map(v => 'prim(' + v + ')').join(' && ')) + ') {\n' +
        '    const p = reserve(i, ' + sid + ', ' + w + '), a = sink.vals;\n' +
        vs.map((v, j) => '    a[p + ' + j + '] = ' + v + ';\n').join('') +
        '    return;\n  }\n' + slow + '};';
    }
    return new Function('sink', 'prim', 'reserve', 'drain', body)(sink, prim, reserve, drain);
  }
  function output(rows, shapes, vals, flush, shapeId) {
    sink.rows = rows; sink.shapes = shapes; sink.vals = vals; sink.flush = flush; sink.shapeId = shapeId;
    sink.R = rows.length; sink.P = vals.length;
    emitters.clear();
  }
  function sameKeys(a, b) {
    if (a === null || a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }

  function context(hostApi, wantsState) {
    host = hostApi;
    const log = level => message => host.log(level, String(message));
    ctx = freeze({
      config: freeze(parse(host.config)),
      pipeline: host.pipeline, stage: host.stage, instance: host.instance,
      log: freeze({ debug: log(0), info: log(1), warn: log(2), error: log(3) }),
      state: wantsState ? freeze({
        get(key, fallback) { const t = host.stateGet(String(key)); return t == null ? fallback : parse(t); },
        set(key, value) { host.stateSet(String(key), value === undefined ? null : value); },
        delete(key) { host.stateDelete(String(key)); },
      }) : undefined,
      // timers (keyed state, so with the state capability): keys are strings as for ctx.state, times epoch ms
      timers: wantsState ? freeze({
        registerProcessingTimer(key, time) { host.timerRegister('processing', String(key), Number(time)); },
        registerEventTimer(key, time) { host.timerRegister('event', String(key), Number(time)); },
        deleteProcessingTimer(key, time) { host.timerDelete('processing', String(key), Number(time)); },
        deleteEventTimer(key, time) { host.timerDelete('event', String(key), Number(time)); },
        currentProcessingTime() { return Number(host.timerNow()); },
        currentWatermark() { return Number(host.timerWatermark()); },
        advanceWatermark(time) { host.timerAdvance(Number(time)); },
      }) : undefined,
      reject(record, reason) {
        const i = record === undefined || current >= 0 ? current : buf.indexOf(record);
        host.reject(i, String(reason === undefined ? record : reason));
      },
      // host functions: each call is checked against the stage's grants by the host
      http: freeze({
        fetch(url, options) {
          return parse(host.httpFetch(String(url), options === undefined || options === null ? null : stringify(options)));
        },
      }),
      files: freeze({
        read(path) { return host.fileRead(String(path)); },
        append(path, text) { host.fileAppend(String(path), String(text)); },
        size(path) { return host.fileSize(String(path)); },
        truncate(path, length) { host.fileTruncate(String(path), Number(length)); },
      }),
    });
    return ctx;
  }

  function bind(exports, hostApi, wantsState) {
    const fn = name => (typeof exports[name] === 'function' ? exports[name] : null);
    plugin = { process: fn('process'), map: fn('map'), filter: fn('filter'), flatMap: fn('flatMap'), onTimer: fn('onTimer') };
    context(hostApi, wantsState);
    return plugin.process ? 'process' : plugin.map ? 'map' : plugin.filter ? 'filter' : plugin.flatMap ? 'flatMap' : null;
  }

  // Components other than processors (sources, sinks, policies) call the script's functions one by one:
  // records cross as JSON text (RecordJson's form); a sink's batch is kept so that ctx.reject(record) finds it.
  function batch(json) {
    buf = parse(json);
    current = -1;
    return buf;
  }

  function endBatch() {
    buf = [];
  }

  function push(o) {
    recs[added++] = o;
  }

  function shape(...names) {
    const key = names.join('\u0000');
    let add = makers.get(key);
    if (!add) { add = maker(names); makers.set(key, add); }
    return add;
  }

  function columns(...names) {
    const key = names.join('\u0000');
    let add = columnMakers.get(key);
    if (!add) { add = columnMaker(names); columnMakers.set(key, add); }
    return add;
  }

  function emitOne(i, y, state) {
    if (y === null || y === undefined) return;
    if (typeof y !== 'object' || Array.isArray(y)) throw new TypeError('a record must be an object, got ' + (Array.isArray(y) ? 'an array' : typeof y));
    const ks = keysOf(y);
    if (!sameKeys(state.prev, ks)) {
      state.prev = ks;
      const key = ks.join('\u0000');
      state.em = emitters.get(key);
      if (!state.em) { state.em = emitter(ks); emitters.set(key, state.em); }
    }
    state.em(i, y);
  }

  function run(emit, emitShape, keep, count) {
    // the host added `count` records for this call: any others are left from a call stopped (time limit)
    // while its records were handed over, and must not reach this one
    const base = added - count, state = { prev: null, em: null };
    added = 0;
    sink.r = 0;
    sink.p = 0;
    sink.emit = emit;
    sink.emitShape = emitShape;
    try {
      if (plugin.process !== null) {
        const b = recs.slice(base, base + count);
        buf = b;
        current = -1;
        const out = plugin.process(b, ctx);
        if (out === null || out === undefined) return;
        if (!Array.isArray(out)) throw new TypeError('process() must return an array of records');
        for (let k = 0; k < out.length; k++) emitOne(-1, out[k], state);
      } else if (plugin.map !== null) {
        const f = plugin.map;
        for (let i = 0; i < count; i++) { current = i; emitOne(i, f(recs[base + i], ctx), state); }
      } else if (plugin.filter !== null) {
        const f = plugin.filter;
        for (let i = 0; i < count; i++) { current = i; if (f(recs[base + i], ctx)) reserve(i, -1, 0); }
      } else {
        const f = plugin.flatMap;
        for (let i = 0; i < count; i++) {
          current = i;
          const ys = f(recs[base + i], ctx);
          if (ys === null || ys === undefined) continue;
          if (!Array.isArray(ys)) throw new TypeError('flatMap() must return an array of records');
          for (let k = 0; k < ys.length; k++) emitOne(i, ys[k], state);
        }
      }
      drain();
    } finally {
      buf = [];
      current = -1;
    }
  }

  // Fired timers (JSON text: [{key, time, domain}]) go to the plugin's onTimer(timer, ctx) one by one; the
  // records it returns go out as process()'s do.
  function timers(emit, emitShape, keep, json) {
    const own = plugin, onTimer = plugin.onTimer;
    if (onTimer === null) throw new TypeError('the plugin registered timers but exports no onTimer(timer, ctx)');
    const fired = parse(json);
    plugin = { process: (b, c) => {
      const out = [];
      for (let k = 0; k < fired.length; k++) {
        const ys = onTimer(freeze(fired[k]), c);
        if (ys === null || ys === undefined) continue;
        if (!Array.isArray(ys)) throw new TypeError('onTimer() must return an array of records');
        for (let j = 0; j < ys.length; j++) out.push(ys[j]);
      }
      return out;
    }, map: null, filter: null, flatMap: null, onTimer };
    try {
      run(emit, emitShape, keep, 0);
    } finally {
      plugin = own;
    }
  }

  return freeze({ bind, shape, columns, output, run, timers, context, batch, endBatch, parse });
})()
