// A running VM's configuration, live against persistent: xenia's live-configuration extensions
// (docs/liveconfig.md). `xenia.vm_live_config` gives both values of every field, `xenia.vm_drift` the
// fields that differ and why (pending_reboot, applying, partial, refused_by_guest, live_only). Neither is
// an object event.from carries, so the panel asks again when the VM or its metrics change (a drift
// change is a change of the VM record; a balloon moving is memory_actual in its metrics), one call at a
// time, the latest change winning.
import { ApiError } from "./api.js";
import { bytes, clear, h } from "./dom.js";

// the fields xenia.vm_set takes (docs/liveconfig.md), in the order a person thinks of them
const SETTABLE = ["memory_static_max", "memory_dynamic_max", "memory_dynamic_min", "memory_static_min", "VCPUs_at_startup", "VCPUs_max"];
const MiB = 1024 * 1024;

const STATES = {
  pending_reboot: "pending reboot",
  applying: "applying",
  partial: "partial",
  refused_by_guest: "refused by the guest",
  live_only: "live only (lost at the next boot)",
};

function value(field, v) {
  if (v === undefined || v === null) return "—";
  if (field.startsWith("memory_") && /^\d+$/.test(String(v))) return `${bytes(v)}`;
  return v === "" ? "—" : String(v);
}

/** The drift panel of VM `ref` in `parent`; returns the function that stops it. */
export function driftPanel(console, parent, ref) {
  const { store, session } = console;
  const reboot = h("p", { id: "drift-reboot" });
  const status = h("p", { class: "status", id: "drift-status" }, "loading…");
  const drifting = h("div", { id: "drift-fields" });
  const all = h("details", { id: "drift-all" });
  parent.append(reboot, console.canAct ? editForm(console, ref) : null, status, drifting, all);
  let stopped = false;
  let busy = false;
  let again = false;

  async function load() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const vm = store.get("vm", ref);
        if (!vm) return;
        let drift = {};
        let config = {};
        let error = null;
        try {
          [drift, config] = await Promise.all([session.call("xenia.vm_drift", ref), session.call("xenia.vm_live_config", ref)]);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          error = e;
        }
        if (stopped) return;
        draw(store.get("vm", ref) || vm, drift, config, error);
      } while (again && !stopped);
    } finally {
      busy = false;
    }
  }

  function draw(vm, drift, config, error) {
    reboot.textContent = vm.requires_reboot ? "A reboot is needed: the next boot applies what is pending." : "No reboot needed.";
    reboot.className = vm.requires_reboot ? "warn" : "";
    reboot.dataset.requiresReboot = String(vm.requires_reboot);
    if (error) {
      status.textContent = `${error.message} (${error.code})`;
      status.className = "status error";
      return;
    }
    status.className = "status";
    const running = Object.keys(config).length > 0;
    status.textContent = !running ? "The VM has no domain: its configuration is what the next start uses."
      : Object.keys(drift).length ? `${Object.keys(drift).length} field(s) differ between the running domain and the configuration.`
        : "The running domain is as configured.";
    const rows = Object.entries(drift).map(([field, d]) => h("tr", { dataset: { field, state: d.state } },
      h("th", {}, field),
      h("td", {}, value(field, d.persistent)),
      h("td", {}, value(field, d.live), d.target !== undefined ? ` (target ${value(field, d.target)})` : ""),
      h("td", { class: `state ${d.state}` }, STATES[d.state] || d.state)));
    clear(drifting).append(rows.length ? h("table", { class: "list drift" },
      h("thead", {}, h("tr", {}, ["Field", "Configured (next boot)", "Running now", "State"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows)) : "");
    clear(all).append(h("summary", {}, "Every field, configured and running"), running ? h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["Field", "Scope", "Configured", "Running"].map((t) => h("th", {}, t)))),
      h("tbody", {}, Object.entries(config).map(([field, c]) => h("tr", { dataset: { field } }, h("th", {}, field),
        h("td", {}, c.scope), h("td", {}, value(field, c.persistent)), h("td", {}, value(field, c.live)))))) : "—");
  }

  load();
  const unsubscribe = store.subscribe((changed) => {
    const vm = store.get("vm", ref);
    if ((changed.vm && changed.vm.has(ref)) || (vm && changed.vm_metrics && changed.vm_metrics.has(vm.metrics))) load();
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/** Change memory or vCPUs with a scope (xenia.vm_set): the next boot, the running domain, or both. */
function editForm(console, ref) {
  const field = h("select", { id: "drift-field" }, SETTABLE.map((f) => h("option", { value: f }, f)));
  const amount = h("input", { id: "drift-value", type: "number", min: 1, required: true });
  const unit = h("span", {}, "MiB");
  const scope = h("select", { id: "drift-scope" },
    [["both", "now and at the next boot"], ["persistent", "at the next boot only"], ["live", "now only"]]
      .map(([v, l]) => h("option", { value: v }, l)));
  const answer = h("span", { id: "drift-answer", class: "status" });
  const fill = () => {
    const vm = console.store.get("vm", ref);
    const memory = field.value.startsWith("memory_");
    unit.textContent = memory ? "MiB" : "vCPUs";
    if (vm) amount.value = memory ? Math.round(Number(vm[field.value]) / MiB) : vm[field.value];
  };
  field.onchange = fill;
  fill();
  return h("form", { class: "toolbar", id: "drift-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const n = field.value.startsWith("memory_") ? String(Math.round(Number(amount.value) * MiB)) : String(amount.value);
    answer.textContent = "";
    try {
      const done = await console.tasks.runSync(`Set ${field.value}`, "xenia.vm_set", ref, field.value, n, scope.value);
      answer.textContent = `configuration: ${done.persistent}, running domain: ${String(done.live).replace("_", " ")}`;
    } catch (e) {
      answer.textContent = ""; // told in the task panel, in words with its code
    }
  } }, h("label", {}, "Change ", field), amount, unit, scope, h("button", { type: "submit", class: "act", id: "drift-apply" }, "Apply"), answer);
}
