// A VM's page: its record, disks, NICs, snapshots and messages (live from the store), graphs and consoles.
import { bytes, clear, h, recordTable, show } from "./dom.js";
import { cdButtons, powerButtons, vmButtons } from "./actions.js";
import { addresses } from "./vmlist.js";
import { graphs } from "./graphs.js";
import { serialConsole, vncConsole } from "./consoles.js";
import { driftPanel } from "./drift.js";
import { migrateForm } from "./migrate.js";

const TABS = ["General", "Configuration", "Disks", "NICs", "Snapshots", "Messages", "Graphs", "Console", "Serial"];
// tabs whose widgets mount once and update themselves (a redraw of the page leaves them be)
const LIVE = {
  Configuration: (console, body, ref) => driftPanel(console, body, ref),
  Graphs: (console, body, ref, vm) => graphs(console, body, "vm", vm.uuid),
  Console: (console, body, ref, vm) => vncConsole(console, body, vm),
  Serial: (console, body, ref, vm) => serialConsole(console, body, vm),
};

export function vmPage(console, parent, ref) {
  const { store } = console;
  const header = h("div", { class: "pagehead" });
  const body = h("section", { id: "tab-body" });
  const forms = h("div", { class: "forms" }); // a form a button opened stays open while the header redraws
  let tab = "General";
  let stopTab = null;
  const tabs = h("div", { class: "tabs" }, TABS.map((t) => h("button", { class: "tab", id: `tab-${t.toLowerCase()}`,
    onclick: () => { tab = t; show_(true); } }, t)));
  parent.append(header, forms, tabs, body);

  function show_(switched) {
    const vm = store.get("vm", ref);
    clear(header);
    if (!vm) {
      const moved = console.moved.get(ref);
      header.append(h("h2", { id: "vm-gone" }, "This VM no longer exists here."),
        moved ? h("p", { id: "vm-moved" }, "It was migrated to ", h("a", { href: moved.url, target: "_blank" }, moved.where), ".") : null);
      if (stopTab) stopTab();
      stopTab = null;
      clear(body);
      clear(forms);
      return;
    }
    header.append(h("h2", { id: "vm-name" }, vm.name_label, " ", h("span", { class: `power ${vm.power_state}`, id: "vm-power" }, vm.power_state),
      vm.requires_reboot ? h("span", { class: "badge warn", id: "vm-requires-reboot", title: "VM.requires_reboot" }, "reboot needed") : null),
    console.canAct ? h("div", { class: "buttons" }, powerButtons(console, ref, vm), vmButtons(console, ref, vm),
      migrateButton(console, ref, vm, forms)) : null);
    for (const b of tabs.children) b.classList.toggle("active", b.textContent === tab);
    if (LIVE[tab]) {
      if (!switched) return; // live widgets mount once, and update themselves
      if (stopTab) stopTab();
      clear(body);
      stopTab = LIVE[tab](console, body, ref, vm);
      return;
    }
    if (stopTab) {
      stopTab();
      stopTab = null;
    }
    clear(body).append(section(console, tab, ref, vm));
  }

  show_(true);
  // re-draw for what this page shows: the VM, its devices and metrics, messages; not other VMs' or tasks'
  const unsubscribe = store.subscribe((changed) => {
    const vm = store.get("vm", ref);
    const mine = (cls, r) => changed[cls] && r && changed[cls].has(r);
    if (changed.vm && (changed.vm.has(ref) || (vm && vm.snapshots.some((s) => changed.vm.has(s))))) return show_(false);
    if (!vm || mine("vm_metrics", vm.metrics) || mine("vm_guest_metrics", vm.guest_metrics)) return show_(false);
    if (["vbd", "vdi", "vif", "network", "sr", "message", "console"].some((c) => changed[c])) show_(false);
  });
  return () => {
    unsubscribe();
    if (stopTab) stopTab();
  };
}

/** Migrate: opens the form (once) that moves the VM to another pool member or another xenia host. */
function migrateButton(console, ref, vm, forms) {
  const allowed = vm.allowed_operations || [];
  const live = vm.power_state === "Running" || vm.power_state === "Paused";
  if (!(allowed.includes("pool_migrate") || allowed.includes("migrate_send") || live)) return null;
  return h("button", { class: "act act-migrate", onclick: () => {
    if (!forms.querySelector("#migrate-form")) forms.append(migrateForm(console, ref));
  } }, "Migrate");
}

function section(console, tab, ref, vm) {
  const { store } = console;
  if (tab === "General") {
    const metrics = store.get("vm_metrics", vm.metrics);
    return h("div", {},
      h("p", {}, `Memory ${bytes(vm.memory_static_max)}, ${vm.VCPUs_at_startup} vCPUs, addresses: ${addresses(store, vm) || "—"}`),
      metrics ? h("details", {}, h("summary", {}, "Metrics"), recordTable(metrics)) : null,
      recordTable(vm));
  }
  if (tab === "Disks") {
    return table(["Device", "Type", "Disk", "Size", "SR", ""], vm.VBDs.map((r) => [r, store.get("vbd", r)]).filter(([, b]) => b)
      .map(([r, b]) => {
        const vdi = store.get("vdi", b.VDI);
        const sr = vdi && store.get("sr", vdi.SR);
        return [b.userdevice, b.type, b.empty ? "(empty)" : vdi ? vdi.name_label : "—", vdi ? bytes(vdi.virtual_size) : "—",
          sr ? sr.name_label : "—", console.canAct ? h("span", {}, cdButtons(console, r, b)) : ""];
      }));
  }
  if (tab === "NICs") {
    const gm = store.get("vm_guest_metrics", vm.guest_metrics);
    return table(["Device", "MAC", "Network", "Attached", "IP"], vm.VIFs.map((r) => store.get("vif", r)).filter(Boolean).map((v) => {
      const net = store.get("network", v.network);
      return [v.device, v.MAC, net ? net.name_label : "—", show(v.currently_attached), (gm && gm.networks[`${v.device}/ip`]) || "—"];
    }));
  }
  if (tab === "Snapshots") {
    return table(["Name", "Taken", ""], vm.snapshots.map((r) => [r, store.get("vm", r)]).filter(([, s]) => s).map(([r, s]) => [
      h("a", { href: `#/vm/${encodeURIComponent(r)}` }, s.name_label), show(s.snapshot_time),
      console.canAct && s.allowed_operations.includes("revert")
        ? h("button", { class: "act", onclick: () => console.tasks.run(`Revert to ${s.name_label}`, "VM.revert", r).catch(() => {}) }, "Revert") : ""]));
  }
  const messages = [...store.all("message").values()].filter((m) => m.obj_uuid === vm.uuid)
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1));
  return table(["Time", "Name", "Priority", "Body"], messages.map((m) => [show(m.timestamp), m.name, m.priority, m.body]));
}

function table(head, rows) {
  if (!rows.length) return h("p", { class: "empty" }, "None.");
  return h("table", { class: "list" }, h("thead", {}, h("tr", {}, head.map((t) => h("th", {}, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}
