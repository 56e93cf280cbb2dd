import { api, ApiError } from "../api.js";
import { escape } from "../format.js";

const EXAMPLE = `sources:
  numbers: { use: seq, with: { count: 1000 } }
sinks:
  out: { use: collect, from: numbers, with: { name: out } }
`;

/**
 * The pipeline editor: YAML checked as you type by POST /api/pipelines/validate, each problem marked at its line
 * (in the gutter and listed with a button that moves the cursor there), then created as a task with POST /api/tasks.
 * The plugins it may use come from the same JSON Schema editors use (GET /api/schema/pipeline).
 */
export function editorPage(main) {
  main.innerHTML = `<h1>New task</h1>
    <form id="editor" novalidate>
      <p><label for="task-id">Task id</label>
      <input id="task-id" name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,63}" autocomplete="off"
        aria-describedby="task-id-help">
      <span id="task-id-help" class="help">letters, digits, '-', '_' and '.'</span></p>
      <label for="pipeline-text">Pipeline (YAML)</label>
      <div class="code">
        <pre id="gutter" aria-hidden="true"></pre>
        <textarea id="pipeline-text" name="pipeline" rows="18" cols="80" spellcheck="false" autocapitalize="off"
          aria-describedby="validity"></textarea>
      </div>
      <p id="validity" role="status" aria-live="polite"></p>
      <ul id="problems" aria-label="Problems"></ul>
      <p id="uses" class="help"></p>
      <button type="submit" id="create">Create task</button>
      <p id="create-error" role="alert"></p>
    </form>`;
  const form = main.querySelector("#editor");
  const text = form.querySelector("#pipeline-text");
  const gutter = form.querySelector("#gutter");
  const validity = form.querySelector("#validity");
  const list = form.querySelector("#problems");
  text.value = EXAMPLE;
  let problemLines = new Set();
  let timer = null;
  let asked = 0;

  function drawGutter() {
    const n = text.value.split("\n").length;
    gutter.innerHTML = Array.from({ length: n }, (_, i) =>
      `<span class="line${problemLines.has(i + 1) ? " bad" : ""}" data-line="${i + 1}">${i + 1}</span>`).join("\n");
    gutter.scrollTop = text.scrollTop;
  }

  function show(problems) {
    problemLines = new Set(problems.map((p) => p.line).filter((l) => l > 0));
    list.innerHTML = problems.map((p) => `<li data-line="${p.line}">
      <button type="button" class="link" data-line="${p.line}" data-column="${p.column}">Line ${p.line}, column ${p.column}</button>:
      ${escape(p.message)}</li>`).join("");
    drawGutter();
  }

  async function validate() {
    const mine = ++asked;
    if (!text.value.trim()) { show([]); validity.textContent = "Write a pipeline."; return; }
    const id = form["task-id"].value.trim();
    try {
      const v = await api(`/api/pipelines/validate${id ? `?id=${encodeURIComponent(id)}` : ""}`,
        { method: "POST", body: text.value, contentType: "application/yaml" });
      if (mine !== asked) return; // an answer to older text
      validity.textContent = v.valid ? "The pipeline is valid." : v.message;
      validity.className = v.valid ? "ok" : "bad";
      show(v.problems);
    } catch (e) {
      if (mine !== asked) return;
      validity.textContent = e.message;
      validity.className = "bad";
      show([]);
    }
  }

  function later() {
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(validate, 300);
  }

  text.addEventListener("input", later);
  form["task-id"].addEventListener("input", later);
  text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });
  list.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-line]");
    if (!b) return;
    const lines = text.value.split("\n");
    const line = Math.min(Number(b.dataset.line), lines.length);
    const at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, Number(b.dataset.column) - 1);
    text.focus();
    text.setSelectionRange(at, at);
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = form.querySelector("#create-error");
    const id = form["task-id"].value.trim();
    if (!form["task-id"].checkValidity()) { error.textContent = "Give the task an id (letters, digits, '-', '_', '.')."; return; }
    try {
      await api(`/api/tasks?id=${encodeURIComponent(id)}`,
        { method: "POST", body: text.value, contentType: "application/yaml" });
      location.hash = `#/tasks/${encodeURIComponent(id)}`;
    } catch (err) {
      error.textContent = err.message;
      if (err instanceof ApiError && err.body?.problems) show(err.body.problems);
    }
  });

  api("/api/schema/pipeline").then((schema) => {
    const names = (section) => (schema.properties?.[section]?.additionalProperties?.properties?.use?.anyOf ?? [])
      .flatMap((a) => a.enum ?? []);
    main.querySelector("#uses").textContent = ["sources", "processors", "sinks"]
      .map((s) => `${s}: ${names(s).join(", ") || "none"}`).join(" · ");
  }).catch(() => {});
  drawGutter();
  validate();
  return () => clearTimeout(timer);
}
