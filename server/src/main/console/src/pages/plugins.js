import { api } from "../api.js";
import { escape } from "../format.js";

/**
 * Every installed component with its versions side by side (state, language, signature status, the capabilities
 * its manifest requests), which tasks use which version (from the tasks' stage statistics), the recent plugin
 * events, and the files that failed to load and why.
 */
export function pluginsPage(main) {
  main.innerHTML = `<h1>Plugins</h1><p id="plugins-error" role="alert"></p>
    <table id="plugins"><caption>Installed components, one row per name, versions side by side</caption>
      <thead><tr><th scope="col">Component</th><th scope="col">Kind</th><th scope="col">Plugin</th>
      <th scope="col">Versions</th><th scope="col">Description</th></tr></thead><tbody></tbody></table>
    <section aria-labelledby="failed-title"><h2 id="failed-title">Load errors</h2><ul id="load-errors"></ul></section>
    <section aria-labelledby="events-title"><h2 id="events-title">Recent plugin events</h2><ul id="plugin-events"></ul></section>`;
  (async () => {
    const { plugins, events } = await api("/api/plugins");
    const used = await usedVersions();
    const byName = new Map();
    for (const c of plugins.filter((c) => c.name)) {
      const key = `${c.kind}:${c.name}`;
      if (!byName.has(key)) byName.set(key, []);
      byName.get(key).push(c);
    }
    main.querySelector("#plugins tbody").innerHTML = [...byName.values()].map((versions) => {
      const c = versions[0];
      versions.sort((a, b) => compareVersions(b.version, a.version));
      const cells = versions.map((v) => {
        const tasks = used.get(`${v.name} ${v.plugin}@${v.version}`) ?? [];
        return `<li class="version" data-version="${escape(v.version)}"><strong>${escape(v.version)}</strong>
          <span class="plugin-state state-${escape(v.state)}">${escape(v.state)}</span> · ${escape(v.language)}
          · ${signature(v.signature)}
          ${tasks.length ? `· used by ${tasks.map((t) => `<a href="#/tasks/${encodeURIComponent(t)}">${escape(t)}</a>`).join(", ")}` : ""}
          <br><span class="capabilities" data-capabilities="${escape((v.capabilities ?? []).join(" "))}">${
            v.capabilities?.length ? `Capabilities: ${v.capabilities.map((c) => `<code>${escape(c)}</code>`).join(", ")}`
              : "No capabilities beyond log and state"}</span></li>`;
      }).join("");
      return `<tr data-component="${escape(c.name)}"><th scope="row">${escape(c.name)}</th><td>${escape(c.kind)}</td>
        <td>${escape(c.plugin)}</td><td><ul class="versions">${cells}</ul></td><td>${escape(c.description ?? "")}</td></tr>`;
    }).join("");
    const failed = plugins.filter((c) => !c.name);
    main.querySelector("#load-errors").innerHTML = failed.length
      ? failed.map((c) => `<li><code>${escape(c.file)}</code> (${escape(c.state)}) · ${signature(c.signature)}:
          ${escape(c.reason ?? "")}</li>`).join("")
      : "<li>None.</li>";
    main.querySelector("#plugin-events").innerHTML = (events ?? []).slice(-20).reverse()
      .map((e) => `<li>${escape(e.at ?? e.time ?? "")} ${escape(e.kind ?? e.type ?? "")} ${escape(e.plugin ?? "")}
        ${escape(e.version ?? "")} ${escape(e.reason ?? e.message ?? "")}</li>`).join("") || "<li>None.</li>";
  })().catch((e) => { main.querySelector("#plugins-error").textContent = e.message; });
  return () => {};
}

/**
 * A plugin file's signature as the server checked it against its trust store (null: registered in process, part of
 * the server). The text says it all; the class only colours it.
 */
function signature(sig) {
  if (!sig) return `<span class="signature" data-signature="builtin">built into the server</span>`;
  const text = {
    signed: `signed by ${escape(sig.signer)}`,
    unsigned: sig.built_in ? "unsigned (built in)" : "unsigned",
    untrusted: "signed by an untrusted key",
    invalid: "invalid signature",
  }[sig.status] ?? escape(sig.status);
  return `<span class="signature sig-${escape(sig.status)}" data-signature="${escape(sig.status)}"
    title="${escape(sig.detail ?? "")}">${text}</span>`;
}

/**
 * "component plugin@version" -> the tasks running it: each stage's component is its use: name (without a version
 * range), its plugin and version those its statistics report (the version resolved when it last ran).
 */
async function usedVersions() {
  const used = new Map();
  const { tasks } = await api("/api/tasks");
  const details = await Promise.all(tasks.map((t) => api(`/api/tasks/${encodeURIComponent(t.id)}`).catch(() => null)));
  for (const d of details.filter(Boolean)) {
    const uses = {};
    for (const section of ["sources", "processors", "sinks"]) {
      for (const [name, stage] of Object.entries(d.pipeline?.[section] ?? {})) uses[name] = String(stage.use ?? "").split("@")[0];
    }
    for (const s of d.stats?.stages ?? []) {
      if (!s.plugin || !uses[s.name]) continue;
      const key = `${uses[s.name]} ${s.plugin}`;
      if (!used.has(key)) used.set(key, []);
      if (!used.get(key).includes(d.id)) used.get(key).push(d.id);
    }
  }
  return used;
}

function compareVersions(a = "", b = "") {
  const pa = a.split(/[.-]/).map(Number), pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}
