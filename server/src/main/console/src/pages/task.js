import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, subscribe } from "../api.js";
import { escape, number } from "../format.js";
import { drawDag } from "../dag.js";
import { ACTIONS, mayWrite } from "./tasks.js";

/**
 * One task: its stages as a DAG with the queue on each edge, its counters, records/s and end-to-end latency over time
 * from the event stream, its output tail, its dead letters (with a replay action for writers) and its event log.
 */
export function taskPage(main, id, caller) {
  main.innerHTML = `<p><a href="#/tasks">← Tasks</a></p><h1>Task ${escape(id)}</h1>
    <p>State: <strong id="task-state" aria-live="polite">…</strong>
      <span id="task-actions"></span></p>
    <p id="task-error" role="alert"></p>
    <p>Now: <strong id="rate-now">–</strong> records/s</p>
    <section aria-labelledby="dag-title"><h2 id="dag-title">Pipeline</h2><div id="dag"></div></section>
    <div class="charts">
      <section aria-labelledby="rate-title"><h2 id="rate-title">Records per second</h2><div id="rate"></div></section>
      <section aria-labelledby="latency-title"><h2 id="latency-title">End-to-end latency (ms)</h2><div id="latency"></div>
        <p>Now: <span id="latency-now">–</span></p>
        <p class="help">From a source reading a record to its sink acknowledging the write, over the run so far: the
        median (p50) and the 99th percentile. Each stage's time per batch is in the Stages table.</p></section>
    </div>
    <section aria-labelledby="output-title"><h2 id="output-title">Output</h2>
      <div id="output"><p>No memory sink: this task's output is not kept by the server.</p></div></section>
    <section aria-labelledby="dead-title"><h2 id="dead-title">Dead letters</h2>
      <p id="dead-summary">–</p><div id="dead-letters"></div>
      <p><span id="dead-actions"></span> <span id="replay-result" role="status"></span></p></section>
    <section aria-labelledby="log-title"><h2 id="log-title">Event log</h2>
      <p class="help">State changes and errors, saved checkpoints, plugin loads and version switches, and rescaling,
      newest first, since this page was opened (plugin events of this task from before, too).</p>
      <ol id="event-log" class="events" tabindex="0" aria-labelledby="log-title"></ol></section>
    <section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2>
      <table id="stages"><thead><tr><th scope="col">Stage</th><th scope="col">Role</th>
      <th scope="col">Plugin</th><th scope="col">Instances</th><th scope="col">Records in</th>
      <th scope="col">Records out</th><th scope="col">Failed</th><th scope="col">ms per batch</th></tr></thead>
      <tbody></tbody></table></section>`;
  const times = [], rates = [], latencyTimes = [], p50s = [], p99s = [];
  // the two charts side by side when the page is wide enough (main's padding and the gap between them aside)
  const width = Math.floor(Math.max(360, Math.min(600, ((main.clientWidth || 800) - 64) / 2)));
  for (const c of main.querySelectorAll(".charts > section")) c.style.width = `${width}px`;
  const chart = new uPlot(
    { width, height: 220,
      series: [{}, { label: "records/s", stroke: "#1f5fbf", width: 2 }],
      axes: [{}, { label: "records/s", size: 70 }] },
    [times, rates], main.querySelector("#rate"));
  const latencyChart = new uPlot(
    { width, height: 220,
      series: [{}, { label: "p50 ms", stroke: "#9a5400", width: 2 }, { label: "p99 ms", stroke: "#6a2c91", width: 2, dash: [6, 4] }],
      axes: [{}, { label: "ms", size: 70 }] },
    [latencyTimes, p50s, p99s], main.querySelector("#latency"));
  let last = null;

  // the event log, newest first, at most LOG_KEPT entries
  const LOG_KEPT = 200;
  const log = main.querySelector("#event-log");
  function logEvent(type, text, { at, error } = {}) {
    const li = document.createElement("li");
    li.dataset.event = type;
    if (error) li.classList.add("error");
    const when = at ? new Date(at) : new Date();
    li.innerHTML = `<time datetime="${escape(when.toISOString())}">${escape(when.toLocaleTimeString("en-GB"))}</time>
      <strong>${escape(type)}</strong> ${escape(text)}`;
    log.prepend(li);
    while (log.children.length > LOG_KEPT) log.lastElementChild.remove();
  }
  const pluginText = (n) => [n.kind, n.plugin, n.stage ? `stage ${n.stage}` : "", n.detail ?? (n.file ? `(${n.file})` : "")]
    .filter(Boolean).join(" ");
  const pluginFailed = (n) => ["failed", "switch_rejected", "unresolved", "incompatible"].includes(n.kind);

  let shownState = null;
  function showState(state) {
    // progress events repeat the state: redraw the buttons only when it changes, so focus stays where it is
    if (state === shownState) return;
    shownState = state;
    main.querySelector("#task-state").textContent = state;
    if (state !== "RUNNING") { // no progress comes while it does not run: it moves nothing
      last = null;
      main.querySelector("#rate-now").textContent = number(0);
    }
    if (!mayWrite(caller)) return;
    main.querySelector("#task-actions").innerHTML = Object.entries(ACTIONS)
      .filter(([a, states]) => a !== "delete" && states.includes(state))
      .map(([a]) => `<button type="button" data-action="${a}">${a}</button>`).join(" ");
  }

  main.querySelector("#task-actions").addEventListener("click", async (e) => {
    const b = e.target.closest("button[data-action]");
    if (!b) return;
    try {
      const t = await api(`/api/tasks/${encodeURIComponent(id)}/${b.dataset.action}`, { method: "POST" });
      showState(t.state);
    } catch (err) {
      main.querySelector("#task-error").textContent = `${b.dataset.action}: ${err.message}`;
    }
  });

  function deadCount(n) {
    const p = main.querySelector("#dead-summary");
    p.textContent = p.textContent.replace(/^[\d,.–]+ dead-lettered/, `${number(n)} dead-lettered`);
  }

  function show(task) {
    showState(task.state);
    main.querySelector("#task-error").textContent = task.error ?? "";
    const stages = task.stats?.stages ?? [];
    main.querySelector("#stages tbody").innerHTML = stages.map((s) => `<tr>
      <th scope="row">${escape(s.name)}</th><td>${escape(s.role)}</td><td>${escape(s.plugin)}</td>
      <td>${number(s.instances)}</td><td>${number(s.records_in)}</td><td>${number(s.records_out)}</td>
      <td>${number(s.failed)}</td><td>${number(s.ms_per_batch)}</td></tr>`).join("");
  }

  function progress(stats) {
    const now = Date.now() / 1000;
    latency(now, stats.latency);
    if (last) {
      const dt = now - last.at;
      if (dt > 0) {
        times.push(now);
        const rate = Math.max(0, (stats.records_out - last.out) / dt);
        rates.push(rate);
        main.querySelector("#rate-now").textContent = number(rate);
        if (times.length > 600) { times.shift(); rates.shift(); }
        chart.setData([times, rates]);
        main.querySelector("#rate").dataset.points = times.length;
      }
    }
    last = { at: now, out: stats.records_out };
  }

  // the run's end-to-end latency percentiles (nothing until a record was written)
  function latency(now, l) {
    if (!l || !l.records) return;
    main.querySelector("#latency-now").textContent =
      `p50 ${number(l.p50_ms)} ms · p99 ${number(l.p99_ms)} ms · max ${number(l.max_ms)} ms (${number(l.records)} records)`;
    latencyTimes.push(now);
    p50s.push(l.p50_ms);
    p99s.push(l.p99_ms);
    if (latencyTimes.length > 600) { latencyTimes.shift(); p50s.shift(); p99s.shift(); }
    latencyChart.setData([latencyTimes, p50s, p99s]);
    main.querySelector("#latency").dataset.points = latencyTimes.length;
  }

  let pipeline = null;
  let drawnAt = 0;
  let drawnOut = {}; // records out per stage at the last drawing, for each stage's records/s
  function redraw(stats) { // the graph (see drawDag) at most every 2 s
    const now = Date.now();
    if (!pipeline || now - drawnAt < 2000) return;
    const stages = stats?.stages ?? [];
    const rates = {};
    if (drawnAt && shownState === "RUNNING") { // paused or stopped: nothing moves
      for (const s of stages) if (s.name in drawnOut) rates[s.name] = Math.max(0, (s.records_out - drawnOut[s.name]) * 1000 / (now - drawnAt));
    }
    drawnOut = Object.fromEntries(stages.map((s) => [s.name, s.records_out]));
    drawnAt = now;
    drawDag(main.querySelector("#dag"), pipeline, stages, stats?.edges ?? [], { languages, rates });
  }

  // the last records of each memory sink (GET .../output), re-read at most every 2 s
  const TAIL = 10;
  let tailAt = 0;
  async function tail(force) {
    if (!force && Date.now() - tailAt < 2000) return;
    tailAt = Date.now();
    const task = await api(`/api/tasks/${encodeURIComponent(id)}`);
    deadLetters(task).catch(() => {});
    const outputs = (task.outputs ?? []).filter((o) => o.sink !== DEAD_LETTER_SINK);
    if (!outputs.length) return;
    const pages = await Promise.all(outputs.map((o) => api(`/api/tasks/${encodeURIComponent(id)}/output?sink=${
      encodeURIComponent(o.sink)}&offset=${Math.max(o.first_offset ?? 0, o.total - TAIL)}&limit=${TAIL}`)));
    main.querySelector("#output").innerHTML = pages.map((p, i) => `<h3>${escape(outputs[i].sink)}
      <span class="help">(${number(p.total)} records written, the last ${p.records.length} shown)</span></h3>
      <pre class="tail" data-sink="${escape(outputs[i].sink)}" tabindex="0">${p.records.map((r) => escape(JSON.stringify(r))).join("\n")}</pre>`).join("");
  }

  // dead letters: how many, where the pipeline sends them, and the last ones with their reasons when they go to a
  // memory sink (the only dead-letter sink whose records the server keeps: GET .../output?sink=dead_letter)
  const DEAD_LETTER_SINK = "dead_letter";
  const DEAD_SHOWN = 10;
  async function deadLetters(task) {
    const errors = task.pipeline?.policies?.errors ?? {};
    const sink = errors.dead_letter;
    const where = sink ? `${sink.use}${sink.with?.path ? ` (${sink.with.path})` : ""}` : null;
    const count = task.stats?.dead_lettered ?? 0;
    main.querySelector("#dead-summary").textContent = `${number(count)} dead-lettered. ${
      errors.on_error === "dead-letter" || where ? `They go to the dead-letter sink ${where ?? "of the pipeline"}.`
        : `The error policy is ${errors.on_error ?? "abort"}: records that fail ${errors.on_error === "skip" ? "are skipped" : "fail the run"}.`}`;
    const kept = (task.outputs ?? []).find((o) => o.sink === DEAD_LETTER_SINK);
    const box = main.querySelector("#dead-letters");
    replayButton(kept, task.state ?? shownState);
    if (!kept) {
      box.innerHTML = `<p class="help">The server keeps dead letters only when the dead-letter sink is <code>memory</code>;
        replay them after a fix with <code>dataflare replay FILE --into PIPELINE</code>.</p>`;
      return;
    }
    const page = await api(`/api/tasks/${encodeURIComponent(id)}/output?sink=${DEAD_LETTER_SINK}&offset=${
      Math.max(kept.first_offset ?? 0, kept.total - DEAD_SHOWN)}&limit=${DEAD_SHOWN}`);
    box.innerHTML = page.records.length ? `<table id="dead-table"><caption>The last ${page.records.length} of the
      ${number(page.total)} dead letters written to the memory sink</caption><thead><tr><th scope="col">Stage</th><th scope="col">Reason</th>
      <th scope="col">Kind</th><th scope="col">Failed at</th><th scope="col">Record</th></tr></thead><tbody>${
      page.records.slice().reverse().map((d) => `<tr class="dead-letter"><td>${escape(d.stage)}</td><td>${escape(d.error)}</td>
        <td>${escape(d.error_class)}</td><td>${escape(d.failed_at)}</td><td><code>${escape(JSON.stringify(d.record))}</code></td></tr>`)
        .join("")}</tbody></table><p class="help">After a fix, Replay puts every dead letter kept back into the stage
        that failed it in this task (it must be running or paused); those that fail again come back with the new reason.</p>`
      : "<p>None kept.</p>";
    const button = main.querySelector("#replay-dead");
    if (button) button.disabled = !page.records.length || !["RUNNING", "PAUSED"].includes(task.state ?? shownState);
  }

  // the replay action, for callers who may write tasks, when the server keeps the dead letters
  function replayButton(kept, state) {
    const actions = main.querySelector("#dead-actions");
    if (!kept || !mayWrite(caller)) { actions.innerHTML = ""; return; }
    if (!actions.querySelector("#replay-dead")) {
      actions.innerHTML = `<button type="button" id="replay-dead">Replay dead letters</button>`;
    }
    if (!["RUNNING", "PAUSED"].includes(state)) actions.querySelector("#replay-dead").disabled = true;
  }

  main.querySelector("#dead-actions").addEventListener("click", async (e) => {
    const b = e.target.closest("#replay-dead");
    if (!b) return;
    const result = main.querySelector("#replay-result");
    b.disabled = true;
    try {
      const r = await api(`/api/tasks/${encodeURIComponent(id)}/dead-letters/replay`, { method: "POST" });
      const left = Object.entries(r.not_replayed ?? {}).map(([stage, n]) => `${number(n)} of ${stage}`).join(", ");
      result.textContent = `${number(r.replayed)} dead letter(s) put back${
        Object.keys(r.stages ?? {}).length ? ` (${Object.entries(r.stages).map(([stage, n]) => `${number(n)} into ${stage}`).join(", ")})` : ""}${
        left ? `; not replayed: ${left} (bad input: send it again)` : ""}.`;
      logEvent("replay", result.textContent);
    } catch (err) {
      result.textContent = `Replay: ${err.message}`;
    }
    tail(true).catch(() => {});
  });

  // the language of each installed plugin version (the graph shows it beside id@version), and this task's plugin
  // events from before the page was opened
  const languages = {};
  api("/api/plugins").then(({ plugins, events }) => {
    for (const c of plugins ?? []) if (c.plugin && c.version) languages[`${c.plugin}@${c.version}`] = c.language;
    for (const n of (events ?? []).filter((n) => n.task === id)) logEvent("plugin", pluginText(n), { at: n.at, error: pluginFailed(n) });
  }).catch(() => {});

  api(`/api/tasks/${encodeURIComponent(id)}`).then((task) => {
    pipeline = task.pipeline;
    tail(true).catch(() => {});
    show(task);
    redraw(task.stats);
  }).catch((e) => { main.querySelector("#task-error").textContent = e.message; });

  const stop = subscribe(id, (event, data) => {
    if (event === "state") {
      showState(data.state ?? data.to ?? "");
      tail(true).catch(() => {}); // the output and dead letters as the run left them (no progress comes when it stops)
      logEvent(data.error ? "error" : "state", `${data.from ? `${data.from} → ` : ""}${data.to ?? data.state ?? ""}${data.error ? `: ${data.error}` : ""}`,
        { error: Boolean(data.error) });
    } else if (event === "plugin") logEvent("plugin", pluginText(data), { at: data.at, error: pluginFailed(data) });
    else if (event === "checkpoint") logEvent("checkpoint", `#${data.id} saved`, { at: data.at });
    else if (event === "scale") {
      logEvent("scale", `stage ${data.stage}: ${data.from} → ${data.to} instances (${data.reason}, ${
        data.moved_key_groups} key groups moved, paused ${number(data.pause_ms)} ms)`);
    } else if (event === "overflow" || event === "end" || event === "error") {
      logEvent(event, data.message ?? "", { error: event !== "end" });
    }
    else if (event === "progress") {
      if ((data.state ?? "RUNNING") === "RUNNING") progress(data.stats ?? data); // paused or stopped: nothing moves
      if (data.stats) {
        show({ state: data.state, stats: data.stats });
        if (data.stats.dead_lettered !== undefined) deadCount(data.stats.dead_lettered);
        redraw(data.stats);
        tail(false).catch(() => {});
      }
    }
  });
  return stop;
}
