// The xenia web console: log in, then hosts and VMs live from event.from, actions as Async tasks,
// graphs and consoles. A XenAPI client like any other: JSON-RPC and event.from from the browser.
import "uplot/dist/uPlot.min.css";
import "@xterm/xterm/css/xterm.css";
import "./style.css";
import { ApiError, Session } from "./api.js";
import { clear, h } from "./dom.js";
import { Store } from "./store.js";
import { TaskPanel } from "./tasks.js";
import { VmList } from "./vmlist.js";
import { vmPage } from "./vmpage.js";
import { hostPage } from "./hostpage.js";
import { detectRole } from "./role.js";

const app = document.getElementById("app");
const SAVED = "xenia.session";

/** Everything a page needs: the session, the live store, whether the user may act, the task panel. */
class Console {
  constructor(session, canAct) {
    this.session = session;
    this.canAct = canAct;
    this.store = new Store(session);
    this.tasks = new TaskPanel(this);
    this.cleanup = [];
    this.moved = new Map(); // VM ref -> where this page migrated it ({url, where}), for its page once it is gone
  }

  async mount(role) {
    const nav = h("nav", {},
      h("span", { class: "brand" }, "xenia"),
      h("a", { href: "#/vms", id: "nav-vms" }, "VMs"),
      h("a", { href: "#/host", id: "nav-host" }, "Host"),
      h("span", { class: "spacer" }),
      h("span", { class: "user", id: "user" }, `${this.session.user}${this.canAct ? "" : " (read-only)"}`),
      h("button", { id: "logout", onclick: () => this.logout() }, "Log out"));
    this.main = h("main", { id: "main" }, h("p", { class: "loading" }, "Loading…"));
    const loaded = new Promise((resolve) => {
      const first = this.store.subscribe(() => {
        first();
        resolve();
      });
    });
    this.store.start((e) => this.lost(e));
    this.canAct = await role;
    clear(app).append(nav, this.main, this.tasks.el);
    nav.querySelector("#user").textContent = `${this.session.user}${this.canAct ? "" : " (read-only)"}`;
    window.addEventListener("hashchange", () => this.route());
    await loaded;
    this.route();
  }

  route() {
    for (const f of this.cleanup.splice(0)) f();
    const [, page, ref] = (location.hash || "#/vms").split("/");
    clear(this.main);
    if (page === "vm" && ref) this.cleanup.push(vmPage(this, this.main, decodeURIComponent(ref)));
    else if (page === "host") this.cleanup.push(hostPage(this, this.main, ref && decodeURIComponent(ref)));
    else {
      const list = new VmList(this, this.main);
      this.cleanup.push(() => list.destroy());
    }
  }

  async logout() {
    this.store.stop();
    for (const f of this.cleanup.splice(0)) f();
    sessionStorage.removeItem(SAVED);
    await this.session.logout();
    location.hash = "";
    loginPage();
  }

  lost(e) {
    sessionStorage.removeItem(SAVED);
    loginPage(e.message);
  }
}

function loginPage(message) {
  const user = h("input", { id: "username", name: "username", autocomplete: "username", value: "root" });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password" });
  const error = h("p", { class: "error", id: "login-error" }, message || "");
  const submit = h("button", { type: "submit", id: "login" }, "Log in");
  const form = h("form", { class: "login", onsubmit: async (ev) => {
    ev.preventDefault();
    performance.mark("xenia:login"); // bench/web.py measures from here to the list's first rows
    submit.disabled = true;
    error.textContent = "";
    try {
      const session = await Session.login(user.value, password.value);
      sessionStorage.setItem(SAVED, JSON.stringify({ ref: session.ref, user: session.user }));
      await start(session);
    } catch (e) {
      error.textContent = e instanceof ApiError ? `${e.message} (${e.code})` : String(e);
      submit.disabled = false;
    }
  } },
  h("h1", {}, "xenia"),
  h("label", {}, "User", user),
  h("label", {}, "Password", password),
  submit, error);
  clear(app).append(form);
  password.focus();
}

async function start(session) {
  // the role probe runs beside the first event.from (which brings every object), not before it
  const c = new Console(session, false);
  window.xenia = c; // for the browser tests and bench/web.py, which read the page's state as a person would see it
  c.mount(detectRole(session));
}

async function boot() {
  const saved = JSON.parse(sessionStorage.getItem(SAVED) || "null");
  if (saved) {
    const session = new Session(saved.ref, saved.user);
    try {
      await session.call("session.get_uuid", session.ref);
      return start(session);
    } catch (e) {
      sessionStorage.removeItem(SAVED);
    }
  }
  loginPage();
}

boot();
