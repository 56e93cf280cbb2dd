// DataFlare's guest side of the batch loop for JavaScript plugins (evaluated once per context, before the
// plugin). The host hands a batch over with one call per record (add), then one call runs the plugin's
// function over the whole batch inside the guest, so the JIT inlines it, and the results come back with one
// host call per output record (emit). Fixed-arity functions are generated per record shape: variadic calls
// across the polyglot boundary deoptimise.
(function () {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, keysOf = Object.keys, freeze = Object.freeze;
  const makers = new Map(), emitters = new Map();
  let buf = [], plugin = null, ctx = null, current = -1, host = null;

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
  function emitter(ks) {
    return new Function('emit', 'i', 'y', 'emit(i, 0, 0' + ks.map(k => ', y[' + stringify(k) + ']').join('') + ');');
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
    buf.push(o);
  }

  function shape(...names) {
    const key = names.join('\u0000');
    let add = makers.get(key);
    if (!add) { add = maker(names); makers.set(key, add); }
    return add;
  }

  function emitOne(emit, emitShape, i, y, state) {
    if (y === null || y === undefined) return;
    if (typeof y !== 'object' || Array.isArray(y)) throw new TypeError('a record must be an object, got ' + (Array.isArray(y) ? 'an array' : typeof y));
    const ks = keysOf(y);
    if (!sameKeys(state.prev, ks)) {
      emitShape(...ks);
      state.prev = ks;
      const key = ks.join('\u0000');
      state.em = emitters.get(key);
      if (!state.em) { state.em = emitter(ks); emitters.set(key, state.em); }
    }
    state.em(emit, i, y);
  }

  function run(emit, emitShape, keep, count) {
    // the host added `count` records for this call: any others are left from a call stopped (time limit)
    // while its records were handed over, and must not reach this one
    const b = buf.length === count ? buf : buf.slice(buf.length - count), state = { prev: null, em: null };
    buf = [];
    try {
      if (plugin.process !== null) {
        buf = b;
        current = -1;
        const out = plugin.process(b, ctx);
        if (out === null || out === undefined) return;
        if (!Array.isArray(out)) throw new TypeError('process() must return an array of records');
        for (let k = 0; k < out.length; k++) emitOne(emit, emitShape, -1, out[k], state);
      } else if (plugin.map !== null) {
        const f = plugin.map;
        for (let i = 0; i < b.length; i++) { current = i; emitOne(emit, emitShape, i, f(b[i], ctx), state); }
      } else if (plugin.filter !== null) {
        const f = plugin.filter;
        for (let i = 0; i < b.length; i++) { current = i; if (f(b[i], ctx)) keep(i); }
      } else {
        const f = plugin.flatMap;
        for (let i = 0; i < b.length; i++) {
          current = i;
          const ys = f(b[i], ctx);
          if (ys === null || ys === undefined) continue;
          if (!Array.isArray(ys)) throw new TypeError('flatMap() must return an array of records');
          for (let k = 0; k < ys.length; k++) emitOne(emit, emitShape, i, ys[k], state);
        }
      }
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

  return freeze({ bind, shape, run, timers, context, batch, endBatch, parse });
})()
