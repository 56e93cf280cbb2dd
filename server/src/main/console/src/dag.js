import dagre from "dagre";
import { escape, number } from "./format.js";

/**
 * Draws the pipeline's stages (sources, processors, sinks, with their from: edges) as an SVG laid out by dagre.
 * Each stage shows its plugin id@version and language, its instances (parallelism), records out and records/s
 * (languages: by id@version; rates: by stage, computed by the caller between drawings). Each edge is labelled with
 * its queue from the stats (batches waiting / capacity); a full one is marked: the stage it leads to is the
 * bottleneck.
 */
export function drawDag(container, pipeline, stats, edges = [], { languages = {}, rates = {} } = {}) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 20, ranksep: 90 });
  g.setDefaultEdgeLabel(() => ({}));
  const byName = Object.fromEntries(stats.map((s) => [s.name, s]));
  const queues = Object.fromEntries(edges.map((e) => [`${e.from}\u0000${e.to}`, e]));
  const stages = [];
  for (const section of ["sources", "processors", "sinks"]) {
    for (const [name, stage] of Object.entries(pipeline?.[section] ?? {})) {
      stages.push([name, stage]);
      g.setNode(name, { width: 250, height: 72, section, use: stage.use });
    }
  }
  for (const [name, stage] of stages) {
    for (const ref of [stage.from ?? []].flat()) {
      // from: router.high reads a named output of stage router
      const from = g.hasNode(ref) ? ref : String(ref).split(".")[0];
      const q = queues[`${from}\u0000${name}`];
      g.setEdge(from, name, q ? { width: 90, height: 16, labelpos: "c", queue: q } : {});
    }
  }
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const nodes = g.nodes().map((n) => {
    const v = g.node(n);
    if (!v) return "";
    const s = byName[n];
    const language = s ? languages[s.plugin] : undefined;
    const rate = rates[n];
    return `<g class="node ${v.section}" data-stage="${escape(n)}" data-language="${escape(language ?? "")}"
      data-instances="${s?.instances ?? ""}" data-rate="${rate ?? ""}"
      transform="translate(${v.x - v.width / 2},${v.y - v.height / 2})">
      <rect width="${v.width}" height="${v.height}" rx="6"></rect>
      <text x="8" y="20">${escape(n)}</text>
      <text x="8" y="40" class="detail">${escape(s?.plugin ?? v.use)}${language ? ` · ${escape(language)}` : ""}</text>
      ${s ? `<text x="8" y="58" class="detail">×${number(s.instances)} · ${number(s.records_out)} out${
        rate === undefined ? "" : ` · ${number(rate)}/s`}</text>` : ""}</g>`;
  });
  const lines = [];
  const labels = [];
  for (const e of g.edges()) {
    const edge = g.edge(e);
    const q = edge.queue;
    const full = q && q.capacity > 0 && q.depth >= q.capacity;
    lines.push(`<polyline class="${full ? "full" : ""}" points="${edge.points.map((p) => `${p.x},${p.y}`).join(" ")}"
      marker-end="url(#arrow)"></polyline>`);
    if (q) {
      labels.push(`<text class="edge-label${full ? " full" : ""}" x="${edge.x}" y="${edge.y - 4}" text-anchor="middle"
        data-from="${escape(q.from)}" data-to="${escape(q.to)}" data-depth="${q.depth}" data-capacity="${q.capacity}"
        ><title>${escape(`${q.from} → ${q.to}: ${q.depth} of ${q.capacity} batches queued${full ? " (full)" : ""}`)}</title>${
        number(q.depth)}/${number(q.capacity)}</text>`);
    }
  }
  container.innerHTML = `<svg role="img" aria-label="Pipeline stages, how records flow between them and the batches queued on each edge"
    width="${width + 20}" height="${height + 20}" viewBox="-10 -10 ${width + 20} ${height + 20}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
    <path d="M0,0 L10,5 L0,10 z"></path></marker></defs>${lines.join("")}${nodes.join("")}${labels.join("")}</svg>
    <p class="help">On each edge: batches waiting in the queue into the next stage / how many it holds (a stage reads
    all its inputs through one queue). A full queue, in red, holds its upstream back.</p>`;
}
