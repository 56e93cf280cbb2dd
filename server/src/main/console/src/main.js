import "./console.css";
import { api, token, ApiError } from "./api.js";
import { loginPage } from "./pages/login.js";
import { tasksPage } from "./pages/tasks.js";
import { taskPage } from "./pages/task.js";
import { editorPage } from "./pages/editor.js";
import { pluginsPage } from "./pages/plugins.js";
import { workflowsPage, executionPage } from "./pages/workflows.js";
import { mayWrite } from "./pages/tasks.js";

const main = document.getElementById("main");
let stopPage = () => {};

/** The caller (GET /api/whoami): name, role and permissions, deciding which actions are shown. */
let caller = null;

async function route() {
  stopPage();
  stopPage = () => {};
  if (!token.get()) {
    showCaller(null);
    loginPage(main, async (t) => {
      token.set(t);
      try {
        caller = await api("/api/whoami");
        location.hash = "#/tasks";
        route();
      } catch (e) {
        token.clear();
        throw e;
      }
    });
    return;
  }
  try {
    caller ??= await api("/api/whoami");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return logout();
    throw e;
  }
  showCaller(caller);
  const [, page, id] = location.hash.split("/");
  if (page === "tasks" && id) stopPage = taskPage(main, decodeURIComponent(id), caller);
  else if (page === "new" && mayWrite(caller)) stopPage = editorPage(main);
  else if (page === "plugins") stopPage = pluginsPage(main);
  else if (page === "workflows") stopPage = workflowsPage(main, caller);
  else if (page === "executions" && id) stopPage = executionPage(main, decodeURIComponent(id));
  else stopPage = tasksPage(main, caller);
  for (const a of document.querySelectorAll("nav a")) {
    if (a.getAttribute("href") === `#/${page === "executions" ? "workflows" : page || "tasks"}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.focus();
}

function showCaller(c) {
  document.getElementById("who").textContent = c ? `${c.name} (${c.role})` : "";
  document.getElementById("logout").hidden = !c;
  document.querySelector("nav").hidden = !c;
  document.getElementById("nav-new").hidden = !c || !mayWrite(c);
}

function logout() {
  token.clear();
  caller = null;
  location.hash = "";
  route();
}

document.getElementById("logout").addEventListener("click", logout);
window.addEventListener("hashchange", route);
route();
