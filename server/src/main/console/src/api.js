// The documented HTTP API, with the token kept in sessionStorage (gone when the tab closes).
const TOKEN_KEY = "dataflare.token";

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An API error: the HTTP status and the server's {code, message}. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.body = body;
  }
}

export async function api(path, { method = "GET", body, contentType } = {}) {
  const headers = { Authorization: `Bearer ${token.get()}` };
  if (body !== undefined) headers["Content-Type"] = contentType ?? "application/json";
  const r = await fetch(path, {
    method,
    headers,
    body: body === undefined || typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

/**
 * Follows a task's Server-Sent Events without its records (a fast memory sink would overflow the stream; the
 * output tail reads them from /output). EventSource cannot send a bearer token, so the stream is read with fetch
 * and parsed here. Returns a function that stops it.
 */
export function subscribe(taskId, onEvent) {
  const abort = new AbortController();
  (async () => {
    const r = await fetch(`/api/tasks/${encodeURIComponent(taskId)}/events?records=false`, {
      headers: { Authorization: `Bearer ${token.get()}`, Accept: "text/event-stream" },
      signal: abort.signal,
    });
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) onEvent(event, JSON.parse(data.join("\n")));
      }
    }
  })().catch((e) => {
    if (e.name !== "AbortError") onEvent("error", { message: String(e) });
  });
  return () => abort.abort();
}
