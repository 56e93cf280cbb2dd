import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, subscribe } from "../api.js";
import { escape, number } from "../format.js";
import { drawDag } from "../dag.js";

/** One task: its stages as a DAG, its counters, and records/s over time from the event stream. */
export function taskPage(main, id, caller) {
  main.innerHTML = `<p><a href="#/tasks">← Tasks</a></p><h1>Task ${escape(id)}</h1>
    <p>State: <strong id="task-state" aria-live="polite">…</strong></p>
    <p id="task-error" role="alert"></p>
    <section aria-labelledby="dag-title"><h2 id="dag-title">Pipeline</h2><div id="dag"></div></section>
    <section aria-labelledby="rate-title"><h2 id="rate-title">Records per second</h2><div id="rate"></div></section>
    <section aria-labelledby="stages-title"><h2 id="stages-title">Stages</h2>
      <table id="stages"><thead><tr><th scope="col">Stage</th><th scope="col">Role</th>
      <th scope="col">Plugin</th><th scope="col">Instances</th><th scope="col">Records in</th>
      <th scope="col">Records out</th><th scope="col">Failed</th><th scope="col">ms per batch</th></tr></thead>
      <tbody></tbody></table></section>`;
  const times = [], rates = [];
  const chart = new uPlot(
    { width: Math.min(800, main.clientWidth || 800), height: 220,
      series: [{}, { label: "records/s", stroke: "#1f5fbf", width: 2 }],
      axes: [{}, { label: "records/s" }] },
    [times, rates], main.querySelector("#rate"));
  let last = null;

  function show(task) {
    main.querySelector("#task-state").textContent = task.state;
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
        rates.push(Math.max(0, (stats.records_out - last.out) / dt));
        if (times.length > 600) { times.shift(); rates.shift(); }
        chart.setData([times, rates]);
      }
    }
    last = { at: now, out: stats.records_out };
  }

  api(`/api/tasks/${encodeURIComponent(id)}`).then((task) => {
    show(task);
    drawDag(main.querySelector("#dag"), task.pipeline, task.stats?.stages ?? []);
  }).catch((e) => { main.querySelector("#task-error").textContent = e.message; });

  const stop = subscribe(id, (event, data) => {
    if (event === "state") main.querySelector("#task-state").textContent = data.state ?? data.to ?? "";
    else if (event === "progress") {
      progress(data.stats ?? data);
      if (data.stats) show({ state: data.state, stats: data.stats });
    }
  });
  return stop;
}
