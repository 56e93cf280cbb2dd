import dagre from "dagre";
import { escape, number } from "./format.js";

/** Draws the pipeline's stages (sources, processors, sinks, with their from: edges) as an SVG laid out by dagre. */
export function drawDag(container, pipeline, stats) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 20, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  const byName = Object.fromEntries(stats.map((s) => [s.name, s]));
  for (const section of ["sources", "processors", "sinks"]) {
    for (const [name, stage] of Object.entries(pipeline?.[section] ?? {})) {
      g.setNode(name, { width: 230, height: 54, section, use: stage.use, parallelism: stage.parallelism });
      for (const from of [stage.from ?? []].flat()) g.setEdge(from, name);
    }
  }
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const nodes = g.nodes().map((n) => {
    const v = g.node(n);
    if (!v) return "";
    const s = byName[n];
    return `<g class="node ${v.section}" transform="translate(${v.x - v.width / 2},${v.y - v.height / 2})">
      <rect width="${v.width}" height="${v.height}" rx="6"></rect>
      <text x="8" y="20">${escape(n)}</text>
      <text x="8" y="40" class="detail">${escape(s?.plugin ?? v.use)}${s ? ` · ${number(s.records_out)} out` : ""}</text></g>`;
  });
  const edges = g.edges().map((e) => {
    const pts = g.edge(e).points.map((p) => `${p.x},${p.y}`).join(" ");
    return `<polyline points="${pts}" marker-end="url(#arrow)"></polyline>`;
  });
  container.innerHTML = `<svg role="img" aria-label="Pipeline stages and how records flow between them"
    width="${width + 20}" height="${height + 20}" viewBox="-10 -10 ${width + 20} ${height + 20}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
    <path d="M0,0 L10,5 L0,10 z"></path></marker></defs>${edges.join("")}${nodes.join("")}</svg>`;
}
