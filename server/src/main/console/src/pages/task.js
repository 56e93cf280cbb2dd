import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, subscribe } from "../api.js";
import { escape, number } from "../format.js";
import { drawDag } from "../dag.js";
import { ACTIONS, mayWrite } from "./tasks.js";

/** One task: its stages as a DAG, its counters, and records/s over time from the event stream. */
export function taskPage(main, id, caller) {
  main.innerHTML = `<p><a href="#/tasks">← Tasks</a></p><h1>Task ${escape(id)}</h1>
    <p>State: <strong id="task-state" aria-live="polite">…</strong>
      <span id="task-actions"></span></p>
    <p id="task-error" role="alert"></p>
    <p>Now: <strong id="rate-now">–</strong> records/s</p>
    <section aria-labelledby="dag-title"><h2 id="dag-title">Pipeline</h2><div id="dag"></div></section>
    <section aria-labelledby="rate-title"><h2 id="rate-title">Records per second</h2><div id="rate"></div></section>
    <section aria-labelledby="output-title"><h2 id="output-title">Output</h2>
      <div id="output"><p>No memory sink: this task's output is not kept by the server.</p></div></section>
    <section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2>
      <table id="stages"><thead><tr><th scope="col">Stage</th><th scope="col">Role</th>
      <th scope="col">Plugin</th><th scope="col">Instances</th><th scope="col">Records in</th>
      <th scope="col">Records out</th><th scope="col">Failed</th><th scope="col">ms per batch</th></tr></thead>
      <tbody></tbody></table></section>`;
  const times = [], rates = [];
  const chart = new uPlot(
    { width: Math.min(800, main.clientWidth || 800), height: 220,
      series: [{}, { label: "records/s", stroke: "#1f5fbf", width: 2 }],
      axes: [{}, { label: "records/s", size: 70 }] },
    [times, rates], main.querySelector("#rate"));
  let last = null;

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

  let pipeline = null;
  let drawnAt = 0;
  function redraw(stages) { // the graph with each stage's plugin@version and records out, at most every 2 s
    if (!pipeline || Date.now() - drawnAt < 2000) return;
    drawnAt = Date.now();
    drawDag(main.querySelector("#dag"), pipeline, stages);
  }

  // the last records of each memory sink (GET .../output), re-read at most every 2 s
  const TAIL = 10;
  let tailAt = 0;
  async function tail(force) {
    if (!force && Date.now() - tailAt < 2000) return;
    tailAt = Date.now();
    const task = await api(`/api/tasks/${encodeURIComponent(id)}`);
    const outputs = task.outputs ?? [];
    if (!outputs.length) return;
    const pages = await Promise.all(outputs.map((o) => api(`/api/tasks/${encodeURIComponent(id)}/output?sink=${
      encodeURIComponent(o.sink)}&offset=${Math.max(o.first_offset ?? 0, o.total - TAIL)}&limit=${TAIL}`)));
    main.querySelector("#output").innerHTML = pages.map((p, i) => `<h3>${escape(outputs[i].sink)}
      <span class="help">(${number(p.total)} records written, the last ${p.records.length} shown)</span></h3>
      <pre class="tail" data-sink="${escape(outputs[i].sink)}" tabindex="0">${p.records.map((r) => escape(JSON.stringify(r))).join("\n")}</pre>`).join("");
  }

  api(`/api/tasks/${encodeURIComponent(id)}`).then((task) => {
    pipeline = task.pipeline;
    tail(true).catch(() => {});
    show(task);
    redraw(task.stats?.stages ?? []);
  }).catch((e) => { main.querySelector("#task-error").textContent = e.message; });

  const stop = subscribe(id, (event, data) => {
    if (event === "state") showState(data.state ?? data.to ?? "");
    else if (event === "progress") {
      if ((data.state ?? "RUNNING") === "RUNNING") progress(data.stats ?? data); // paused or stopped: nothing moves
      if (data.stats) {
        show({ state: data.state, stats: data.stats });
        redraw(data.stats.stages ?? []);
        tail(false).catch(() => {});
      }
    }
  });
  return stop;
}
