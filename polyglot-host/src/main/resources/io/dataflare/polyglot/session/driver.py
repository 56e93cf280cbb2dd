# DataFlare's guest side of the batch loop for Python plugins (evaluated once per context, before the plugin).
# The host hands a batch over as columns: host arrays, one per field, read in one guest loop per run of records
# of one shape (columns); a record with a list, map or decimal value comes with a call of its own (add). Then
# one call runs the plugin's function over the whole batch inside the guest, and the results go into host
# arrays (see output) that the host reads when they are full and at the end of the call. A result with a value
# other than a str, int (in the long range), float, bool or None comes back with a host call of its own (emit),
# after the rows before it: Python's float 3.0 looks like a whole number from the host, so emit also passes a
# bit mask of float values, and one of decimal.Decimal values (sent as their text).
def __dataflare_driver():
    # taken now, before the plugin runs: a plugin may replace builtins (builtins.len = ...)
    _len = len
    _str = str
    _enumerate = enumerate
    _range = range
    import sys
    _modules = sys.modules
    # The batch loops read and write host arrays with the GIL held. GraalPy releases it around every access to a
    # foreign object by default (so that a blocking foreign call lets other Python threads run): a lock and an
    # unlock per value handed over, a third of the processor thread's time in a profile of the Python bench row.
    # No other Python thread runs in these contexts (the sandbox denies creating threads), so keeping it waits
    # for nothing. The setting is the calling thread's, set per call and restored after it.
    try:
        import polyglot
        gil_locked = polyglot.__set_gil_locked_during_foreign_calls__
    except (ImportError, AttributeError):
        def gil_locked(locked):
            return locked
    # decimal.Decimal, imported when the first decimal arrives (the import costs time a context may not need)
    decimal_class = [None]

    def to_decimal(text):
        d = decimal_class[0]
        if d is None:
            import decimal
            d = decimal_class[0] = decimal.Decimal
        return d(text)

    # JSON text from the host (config, nested values, state) is read with eval() over JSON's three names:
    # importing the json module costs about a second per context.
    json_names = {'__builtins__': {}, 'true': True, 'false': False, 'null': None}

    def parse(text):
        return eval(text, json_names)

    class Ctx:
        __slots__ = ('config', 'pipeline', 'stage', 'instance', 'log', 'state', 'timers', 'http', 'files', '_driver')

        def reject(self, record=None, reason=None):
            d = self._driver
            if reason is None:
                reason, record = record, None
            i = d.current if (record is None or d.current >= 0) else _index(d.buf, record)
            d.host.reject(i, str(reason))

    def _index(buf, record):
        for i, r in enumerate(buf):
            if r is record:
                return i
        return -1

    class Log:
        __slots__ = ('host',)

        def __init__(self, host):
            self.host = host

        def debug(self, m):
            self.host.log(0, str(m))

        def info(self, m):
            self.host.log(1, str(m))

        def warn(self, m):
            self.host.log(2, str(m))

        warning = warn

        def error(self, m):
            self.host.log(3, str(m))

    class State:
        __slots__ = ('host',)

        def __init__(self, host):
            self.host = host

        def get(self, key, default=None):
            t = self.host.stateGet(str(key))
            return default if t is None else parse(t)

        def set(self, key, value):
            self.host.stateSet(str(key), value)

        def delete(self, key):
            self.host.stateDelete(str(key))

    class Timers:
        # timers (keyed state, so with the state capability): keys are strings as for ctx.state, times epoch ms
        __slots__ = ('host',)
        def __init__(self, host):
            self.host = host
        def register_processing_timer(self, key, time):
            self.host.timerRegister('processing', str(key), int(time))
        def register_event_timer(self, key, time):
            self.host.timerRegister('event', str(key), int(time))
        def delete_processing_timer(self, key, time):
            self.host.timerDelete('processing', str(key), int(time))
        def delete_event_timer(self, key, time):
            self.host.timerDelete('event', str(key), int(time))
        def current_processing_time(self):
            return int(self.host.timerNow())
        def current_watermark(self):
            return int(self.host.timerWatermark())
        def advance_watermark(self, time):
            self.host.timerAdvance(int(time))
    class Http:
        __slots__ = ('host',)

        def __init__(self, host):
            self.host = host

        def fetch(self, url, options=None):
            return parse(self.host.httpFetch(str(url), None if options is None else options))

    class Files:
        __slots__ = ('host',)

        def __init__(self, host):
            self.host = host

        def read(self, path):
            return self.host.fileRead(str(path))

        def append(self, path, text):
            self.host.fileAppend(str(path), str(text))

        def size(self, path):
            return self.host.fileSize(str(path))

        def truncate(self, path, length):
            self.host.fileTruncate(str(path), int(length))

    class Driver:
        def __init__(self):
            self.buf = []
            self.current = -1
            self.fn = None
            self.kind = None
            self.ctx = None
            self.host = None
            # the host arrays results go into: per row its input (rows) and shape number (shapes, -1: the input
            # itself), the values of all rows one after the other (vals); flush(n) has the host take n rows
            self.rows = self.shapes = self.vals = self.flush = self.shape_id = None
            self.sids = {}
            self.kept_globals = None

        def output(self, rows, shapes, vals, flush, shape_id):
            self.rows, self.shapes, self.vals, self.flush, self.shape_id = rows, shapes, vals, flush, shape_id
            self.sids = {}

        def columns(self, *names):
            # add(cols, n) for one record shape: cols[j] holds field j of n records that have no nested value.
            # Generic code, not generated per shape: code a context generates is its own, and every new
            # context (each run of a pipeline) would compile it again.
            names = tuple(names)
            fields = tuple(_range(_len(names)))
            driver = self

            def add(cols, n):
                was_locked = gil_locked(True)
                try:
                    cs = [cols[j] for j in fields]
                    push = driver.buf.append
                    for i in _range(n):
                        push({names[j]: cs[j][i] for j in fields})
                finally:
                    gil_locked(was_locked)
            return add

        def keepGlobals(self):
            # the module's names before the plugin is evaluated: resetGlobals() removes every other one, so that a
            # context kept for its stage's next run evaluates the plugin into a module as fresh as a new one's
            self.kept_globals = set(globals())

        def resetGlobals(self):
            g = globals()
            for name in [n for n in g if n not in self.kept_globals]:
                del g[name]

        def bind(self, exports, host, wants_state):
            self.host = host
            self.fn = self.kind = None
            g = globals()
            for kind, names in (('process', ('process',)), ('map', ('map',)), ('filter', ('filter',)),
                                ('flatMap', ('flatMap', 'flat_map'))):
                for name in names:
                    f = g.get(name)
                    if callable(f):
                        self.fn, self.kind = f, kind
                        break
                if self.fn is not None:
                    break
            self.context(host, wants_state)
            return self.kind

        def context(self, host, wants_state):
            self.host = host
            c = Ctx()
            c.config = parse(host.config)
            c.pipeline, c.stage, c.instance = host.pipeline, host.stage, host.instance
            c.log = Log(host)
            c.state = State(host) if wants_state else None
            c.timers = Timers(host) if wants_state else None
            # host functions: each call is checked against the stage's grants by the host
            c.http = Http(host)
            c.files = Files(host)
            c._driver = self
            self.ctx = c
            return c

        # Components other than processors (sources, sinks, policies) call the script's functions one by one:
        # records cross as JSON text (RecordJson's form); a sink's batch is kept so that ctx.reject(record)
        # finds it.
        def batch(self, text):
            self.buf = parse(text)
            self.current = -1
            return self.buf

        def function(self, name):
            # the plugin's own function (a module global), never a builtin of the same name (open)
            f = globals().get(name)
            return f if callable(f) else None

        def timers(self, emit, emit_shape, keep, text):
            # Fired timers (JSON text: [{key, time, domain}]) go to the plugin's on_timer(timer, ctx) one by one;
            # the records it returns go out as process()'s do.
            g = globals()
            on_timer = g.get('on_timer') or g.get('onTimer')
            if not callable(on_timer):
                raise TypeError('the plugin registered timers but defines no on_timer(timer, ctx)')
            fired = parse(text)
            def process(b, ctx):
                out = []
                for t in fired:
                    ys = on_timer(t, ctx)
                    if ys is not None:
                        out.extend(ys)
                return out
            fn, kind = self.fn, self.kind
            self.fn, self.kind = process, 'process'
            try:
                self.run(emit, emit_shape, keep, 0)
            finally:
                self.fn, self.kind = fn, kind
        def endBatch(self):
            self.buf = []

        def parse(self, text):
            return parse(text)

        def warm(self, kind, emit, emit_shape, keep, count):
            # Runs the count records just added through run() with the stand-in for kind, and ctx.state's calls
            # (the host drops those writes), so that the first real call does not pay for their first execution.
            fn, own_kind = self.fn, self.kind
            self.fn, self.kind = stand_ins[kind], kind
            try:
                self.run(emit, emit_shape, keep, count)
                state = self.ctx.state
                if state is not None:
                    state.set('warm', [1, 'x'])
                    state.get('warm')
                    state.delete('warm')
            finally:
                self.fn, self.kind = fn, own_kind

        def shape(self, *names):
            buf_append = self.append
            names = tuple(names)

            def add(nested, *vals):
                o = dict(zip(names, vals))
                if nested is not None:
                    for k in nested:
                        if k < 0:  # a decimal's text
                            o[names[-k - 1]] = to_decimal(o[names[-k - 1]])
                        else:
                            o[names[k]] = parse(o[names[k]])
                buf_append(o)
            return add

        def append(self, o):
            self.buf.append(o)

        def run(self, emit, emit_shape, keep, count):
            b = self.buf
            self.buf = []
            if _len(b) != count:
                # the host added count records for this call: the others are left from a call stopped (time
                # limit) while its records were handed over, and must not reach this one
                b = b[_len(b) - count:]
            fn, ctx = self.fn, self.ctx
            call = (lambda r: fn(r, ctx)) if _takes_ctx(fn) else fn
            prev = [None, -1]
            # the Decimal class if the plugin or an input decimal imported the module (else nothing is one)
            dec_module = _modules.get('decimal')
            dec = dec_module.Decimal if dec_module is not None else decimal_class[0]
            rows, shapes, vals_out, flush, sids = self.rows, self.shapes, self.vals, self.flush, self.sids
            max_rows, max_vals = _len(rows), _len(vals_out)
            taken = [0, 0]  # rows and values written since the last flush

            def drain():
                if taken[0]:
                    flush(taken[0])
                taken[0] = taken[1] = 0

            def row(i, sid, vals):
                r, p = taken
                if r == max_rows or p + _len(vals) > max_vals:
                    drain()
                    r = p = 0
                rows[r] = i
                shapes[r] = sid
                for v in vals:
                    vals_out[p] = v
                    p += 1
                taken[0], taken[1] = r + 1, p

            def out(i, y):
                if y is None:
                    return
                if not isinstance(y, dict):
                    raise TypeError('a record must be a dict, got ' + type(y).__name__)
                ks = tuple(y)
                if ks != prev[0]:
                    prev[0] = ks
                    sid = sids.get(ks)
                    if sid is None:
                        sid = sids[ks] = self.shape_id(*ks) if _len(ks) <= max_vals else -1
                    prev[1] = sid
                vals = tuple(y.values())
                if prev[1] >= 0:
                    for v in vals:
                        c = v.__class__
                        if c is str or c is float or c is bool or v is None:
                            continue
                        if c is int and -9223372036854775808 <= v <= 9223372036854775807:
                            continue
                        break
                    else:
                        row(i, prev[1], vals)
                        return
                drain()
                emit_shape(*ks)
                mask, dmask, bit = 0, 0, 1
                for v in vals:
                    c = v.__class__
                    if c is float:
                        mask |= bit
                    elif c is dec:
                        dmask |= bit
                    bit <<= 1
                if dmask:
                    vals = tuple(_str(v) if (dmask >> j) & 1 else v for j, v in _enumerate(vals))
                emit(i, mask, dmask, *vals)

            was_locked = gil_locked(True)
            try:
                kind = self.kind
                if kind == 'process':
                    self.buf, self.current = b, -1
                    res = fn(b, ctx)
                    if res is not None:
                        for y in res:
                            out(-1, y)
                elif kind == 'map':
                    for i, r in enumerate(b):
                        self.current = i
                        out(i, call(r))
                elif kind == 'filter':
                    for i, r in enumerate(b):
                        self.current = i
                        if call(r):
                            row(i, -1, ())
                else:
                    for i, r in enumerate(b):
                        self.current = i
                        ys = call(r)
                        if ys is not None:
                            for y in ys:
                                out(i, y)
                drain()
            finally:
                gil_locked(was_locked)
                self.buf = []
                self.current = -1

    # Stand-ins for the plugin's function while a new context warms up (never the plugin's own: it may have
    # side effects); each passes its records on, so every path of run() and out() executes.
    stand_ins = {'process': lambda b, c: b, 'map': lambda r, c: r, 'filter': lambda r, c: True,
                 'flatMap': lambda r, c: [r]}

    def _takes_ctx(fn):
        # map(record) or map(record, ctx)
        code = getattr(fn, '__code__', None)
        return code is not None and (code.co_argcount >= 2 or bool(code.co_flags & 0x04))

    return Driver()


_dataflare_driver_ = __dataflare_driver()
del __dataflare_driver
