/** Text for HTML: task ids, plugin names and errors come from users. */
export function escape(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function number(n) {
  return n == null ? "–" : Number(n).toLocaleString("en", { maximumFractionDigits: 1 });
}
