import { api } from "../api.js";
import { escape, number } from "../format.js";

/** Which lifecycle action a state allows, as the server's TaskLifecycle does. */
export const ACTIONS = {
  start: ["READY", "STOPPED", "COMPLETED", "ERROR"],
  pause: ["RUNNING"],
  resume: ["PAUSED"],
  stop: ["RUNNING", "PAUSED"],
  delete: ["READY", "STOPPED", "COMPLETED", "ERROR", "CREATED"],
};

/** Whether the caller may change tasks: only then are action buttons shown. */
export const mayWrite = (caller) => caller.permissions.includes("tasks:write");

/** The tasks, refreshed every two seconds. */
export function tasksPage(main, caller) {
  main.innerHTML = `<h1>Tasks</h1><p id="tasks-error" role="alert"></p>
    <table id="tasks"><caption>Tasks on this server</caption><thead><tr>
      <th scope="col">Task</th><th scope="col">State</th><th scope="col">Records in</th>
      <th scope="col">Records out</th><th scope="col">Dead-lettered</th><th scope="col">Records/s</th>
      ${mayWrite(caller) ? '<th scope="col">Actions</th>' : ""}
    </tr></thead><tbody></tbody></table>`;
  const body = main.querySelector("tbody");
  // records/s per task between refreshes (from records out), the last 30 of them drawn as a sparkline
  const history = new Map();
  function sample(t) {
    const h = history.get(t.id) ?? { at: 0, out: t.records_out, rates: [] };
    const now = Date.now() / 1000;
    if (h.at) h.rates.push(t.state === "RUNNING" ? Math.max(0, (t.records_out - h.out) / (now - h.at)) : 0);
    if (h.rates.length > 30) h.rates.shift();
    Object.assign(h, { at: now, out: t.records_out });
    history.set(t.id, h);
    return h.rates;
  }
  const error = main.querySelector("#tasks-error");
  async function refresh() {
    try {
      const { tasks } = await api("/api/tasks");
      // the rows are redrawn every refresh: keep the keyboard focus on the same button or link
      const focused = document.activeElement;
      const again = body.contains(focused)
        ? (focused.dataset.action ? `button[data-action="${focused.dataset.action}"][data-task="${CSS.escape(focused.dataset.task)}"]`
          : focused.getAttribute("href") ? `a[href="${CSS.escape(focused.getAttribute("href"))}"]` : null)
        : null;
      body.innerHTML = tasks.map((t) => row(t, caller, sample(t))).join("") ||
        `<tr><td colspan="7">No tasks yet.</td></tr>`;
      if (again) body.querySelector(again)?.focus();
      error.textContent = "";
    } catch (e) {
      error.textContent = e.message;
    }
  }
  body.addEventListener("click", async (e) => {
    const b = e.target.closest("button[data-action]");
    if (!b) return;
    const { action, task } = b.dataset;
    try {
      if (action === "delete") await api(`/api/tasks/${encodeURIComponent(task)}`, { method: "DELETE" });
      else await api(`/api/tasks/${encodeURIComponent(task)}/${action}`, { method: "POST" });
    } catch (err) {
      error.textContent = `${action} ${task}: ${err.message}`;
    }
    refresh();
  });
  refresh();
  const timer = setInterval(refresh, 2000);
  return () => clearInterval(timer);
}

/** A small line of the last records/s values, labelled with the latest one for screen readers. */
function sparkline(rates) {
  const max = Math.max(1, ...rates);
  const pts = rates.map((r, i) => `${(i * 80) / 29},${20 - (r / max) * 18}`).join(" ");
  const last = rates.length ? rates[rates.length - 1] : 0;
  return `<svg class="spark" width="80" height="22" role="img" aria-label="${number(last)} records/s">
    <polyline points="${pts}"></polyline></svg>`;
}

function row(t, caller, rates) {
  const id = escape(t.id);
  const buttons = Object.entries(ACTIONS)
    .filter(([, states]) => states.includes(t.state))
    .map(([a]) => `<button type="button" data-action="${a}" data-task="${id}">${a}</button>`)
    .join(" ");
  return `<tr data-task="${id}">
    <th scope="row"><a href="#/tasks/${encodeURIComponent(t.id)}">${id}</a></th>
    <td class="state state-${escape(t.state)}">${escape(t.state)}</td>
    <td>${number(t.records_in)}</td><td>${number(t.records_out)}</td><td>${number(t.dead_lettered)}</td>
    <td class="rate">${sparkline(rates)} ${number(rates.length ? rates[rates.length - 1] : 0)}</td>
    ${mayWrite(caller) ? `<td>${buttons}</td>` : ""}
  </tr>`;
}
