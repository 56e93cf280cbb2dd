import dagre from "dagre";
import { api } from "../api.js";
import { escape } from "../format.js";

/** Whether the caller may decide approvals (and change workflows): only then are the buttons shown. */
const mayDecide = (caller) => caller.permissions.includes("workflows:write");

/**
 * The pending approvals (with approve/reject buttons for callers who may decide), the registered workflows and their
 * executions, refreshed every two seconds.
 */
export function workflowsPage(main, caller) {
  main.innerHTML = `<h1>Workflows</h1><p id="workflows-error" role="alert"></p>
    <table id="approvals"><caption>Pending approvals</caption><thead><tr><th scope="col">Execution</th>
      <th scope="col">State</th><th scope="col">Approvers</th><th scope="col">Rule</th><th scope="col">Due</th>
      <th scope="col">Decisions</th>${mayDecide(caller) ? '<th scope="col">Decide</th>' : ""}</tr></thead><tbody></tbody></table>
    <p id="approvals-status" aria-live="polite"></p>
    <table id="workflows"><caption>Registered workflows</caption><thead><tr><th scope="col">Workflow</th>
      <th scope="col">States</th><th scope="col">Registered</th></tr></thead><tbody></tbody></table>
    <table id="executions"><caption>Executions</caption><thead><tr><th scope="col">Execution</th>
      <th scope="col">Workflow</th><th scope="col">Status</th></tr></thead><tbody></tbody></table>`;
  const approvalsBody = main.querySelector("#approvals tbody");
  let shownApprovals = null;
  function showApprovals(approvals) {
    // redrawn only when they change, so the keyboard focus stays on a button across refreshes
    const key = JSON.stringify(approvals);
    if (key === shownApprovals) return;
    shownApprovals = key;
    approvalsBody.innerHTML = approvals.map((a) => {
      const decided = new Set((a.decisions ?? []).map((d) => d.approver));
      return `<tr data-approval="${escape(a.id)}"><th scope="row"><a href="#/executions/${encodeURIComponent(a.execution)}">${
        escape(a.execution)}</a></th><td>${escape(a.state)}</td><td>${escape((a.approvers ?? []).join(", "))}</td>
        <td>${escape(a.rule)}</td><td>${escape(a.due ?? "none")}${a.due ? ` (then ${escape(a.on_timeout)})` : ""}</td>
        <td>${(a.decisions ?? []).map((d) => `${escape(d.approver)}: ${d.approved ? "approved" : "rejected"}${
          d.comment ? ` (${escape(d.comment)})` : ""}`).join("; ") || "none yet"}</td>
        ${mayDecide(caller) ? `<td>${decideButtons(a, decided)}</td>` : ""}</tr>`;
    }).join("") || `<tr><td colspan="${mayDecide(caller) ? 7 : 6}">No approval is pending.</td></tr>`;
  }

  // who the caller decides as: itself when it is an approver; an admin may decide for an approver who has not yet
  function decideButtons(a, decided) {
    const as = (a.approvers ?? []).includes(caller.name) ? (decided.has(caller.name) ? [] : [null])
      : caller.role === "admin" ? a.approvers.filter((n) => !decided.has(n)) : [];
    if (!as.length) return decided.has(caller.name) ? "decided" : "not an approver";
    return as.map((who) => ["approve", "reject"].map((d) => `<button type="button" data-decision="${d}"
      data-id="${escape(a.id)}"${who ? ` data-as="${escape(who)}"` : ""}>${d === "approve" ? "Approve" : "Reject"}${
      who ? ` as ${escape(who)}` : ""}</button>`).join(" ")).join(" ");
  }

  approvalsBody.addEventListener("click", async (e) => {
    const b = e.target.closest("button[data-decision]");
    if (!b) return;
    const status = main.querySelector("#approvals-status");
    try {
      await api(`/api/approvals/${encodeURIComponent(b.dataset.id)}/${b.dataset.decision}`, {
        method: "POST", body: b.dataset.as ? { approver: b.dataset.as } : {} });
      status.textContent = `${b.dataset.decision === "approve" ? "Approved" : "Rejected"}${b.dataset.as ? ` as ${b.dataset.as}` : ""}.`;
      refresh();
    } catch (err) {
      status.textContent = `${b.dataset.decision}: ${err.message}`;
    }
  });

  async function refresh() {
    try {
      const [{ workflows }, { executions }, { approvals }] = await Promise.all(
        [api("/api/workflows"), api("/api/executions"), api("/api/approvals")]);
      showApprovals(approvals);
      main.querySelector("#workflows tbody").innerHTML = workflows.map((w) => `<tr data-workflow="${escape(w.id)}">
        <th scope="row">${escape(w.id)}</th><td>${Object.keys(w.definition?.States ?? {}).length}</td>
        <td>${escape(w.registeredAt ?? "")}</td></tr>`).join("") || `<tr><td colspan="3">None registered.</td></tr>`;
      main.querySelector("#executions tbody").innerHTML = executions.map((e) => `<tr data-execution="${escape(e.execution)}">
        <th scope="row"><a href="#/executions/${encodeURIComponent(e.execution)}">${escape(e.execution)}</a></th>
        <td>${escape(e.workflow)}</td><td class="status status-${escape(e.status)}">${escape(e.status)}</td></tr>`)
        .join("") || `<tr><td colspan="3">No executions.</td></tr>`;
      main.querySelector("#workflows-error").textContent = "";
    } catch (e) {
      main.querySelector("#workflows-error").textContent = e.message;
    }
  }
  refresh();
  const timer = setInterval(refresh, 2000);
  return () => clearInterval(timer);
}

/**
 * One execution: its workflow's state machine drawn with the current state highlighted, and its history as a
 * timeline, refreshed every second while it runs.
 */
export function executionPage(main, name) {
  main.innerHTML = `<p><a href="#/workflows">← Workflows</a></p><h1>Execution ${escape(name)}</h1>
    <p>Status: <strong id="execution-status" aria-live="polite">…</strong> · workflow <span id="execution-workflow"></span>
      · current state <strong id="current-state">–</strong></p>
    <p id="execution-error" role="alert"></p>
    <section aria-labelledby="machine-title"><h2 id="machine-title">State machine</h2><div id="machine"></div></section>
    <section aria-labelledby="history-title"><h2 id="history-title">History</h2><ol id="history" class="timeline"></ol></section>`;
  let definition = null;
  let timer = null;
  async function refresh() {
    try {
      const e = await api(`/api/executions/${encodeURIComponent(name)}`);
      main.querySelector("#execution-status").textContent = e.status;
      main.querySelector("#execution-workflow").textContent = e.workflow;
      main.querySelector("#execution-error").textContent = e.error ? `${e.error}: ${e.cause ?? ""}` : "";
      definition ??= (await api(`/api/workflows/${encodeURIComponent(e.workflow)}`)).definition;
      const { events } = await api(`/api/executions/${encodeURIComponent(name)}/history`);
      const current = currentState(definition, events, e.status);
      main.querySelector("#current-state").textContent = current ?? "–";
      drawMachine(main.querySelector("#machine"), definition, current, visited(events));
      main.querySelector("#history").innerHTML = events.map((h) => `<li data-type="${escape(h.type)}">
        <time>${escape(h.timestamp ?? "")}</time> <strong>${escape(h.type)}</strong>
        ${h.state ? escape(h.state) : ""}${h.error ? ` · ${escape(h.error)}: ${escape(h.cause ?? "")}` : ""}</li>`).join("");
      if (e.status !== "RUNNING" && e.status !== "NOT_STARTED") { clearInterval(timer); timer = null; }
    } catch (err) {
      main.querySelector("#execution-error").textContent = err.message;
    }
  }
  refresh();
  timer = setInterval(refresh, 1000);
  return () => timer && clearInterval(timer);
}

/** The top-level state the execution is in: the last one entered and not exited (none once it has ended). */
function currentState(definition, events, status) {
  if (status !== "RUNNING") return null;
  const top = new Set(Object.keys(definition?.States ?? {}));
  let current = null;
  for (const h of events) {
    if (!top.has(h.state)) continue;
    if (h.type === "StateEntered") current = h.state;
    else if (h.type === "StateExited" && current === h.state) current = null;
  }
  return current;
}

function visited(events) {
  return new Set(events.filter((h) => h.type === "StateEntered").map((h) => h.state));
}

/** The top-level states and their transitions (Next, Default, Choices, Catch) laid out by dagre. */
function drawMachine(container, definition, current, seen) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 30, ranksep: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  const states = definition?.States ?? {};
  for (const [name, s] of Object.entries(states)) g.setNode(name, { width: 170, height: 44, type: s.Type });
  for (const [name, s] of Object.entries(states)) {
    const targets = [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)];
    for (const t of targets) if (t && states[t]) g.setEdge(name, t);
  }
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const nodes = g.nodes().map((n) => {
    const v = g.node(n);
    const cls = n === current ? "current" : seen.has(n) ? "visited" : "";
    return `<g class="node ${cls}" data-state="${escape(n)}" transform="translate(${v.x - v.width / 2},${v.y - v.height / 2})">
      <rect width="${v.width}" height="${v.height}" rx="${v.type === "Choice" ? 16 : 6}"></rect>
      <text x="8" y="18">${escape(n)}</text><text x="8" y="35" class="detail">${escape(v.type)}${n === current ? " · now" : ""}</text></g>`;
  });
  const edges = g.edges().map((e) => `<polyline points="${g.edge(e).points.map((p) => `${p.x},${p.y}`).join(" ")}"
    marker-end="url(#machine-arrow)"></polyline>`);
  container.innerHTML = `<svg role="img" aria-label="The workflow's states and transitions${current ? `; the execution is in ${escape(current)}` : ""}"
    width="${width + 20}" height="${height + 20}" viewBox="-10 -10 ${width + 20} ${height + 20}">
    <defs><marker id="machine-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
    <path d="M0,0 L10,5 L0,10 z"></path></marker></defs>${edges.join("")}${nodes.join("")}</svg>`;
}
