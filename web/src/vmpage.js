// A VM's page: its record, disks, NICs, snapshots and messages (live from the store), graphs and consoles.
import { bytes, clear, h, recordTable, show } from "./dom.js";
import { cdButtons, powerButtons, vmButtons } from "./actions.js";
import { addresses } from "./vmlist.js";
import { graphs } from "./graphs.js";
import { serialConsole, vncConsole } from "./consoles.js";

const TABS = ["General", "Disks", "NICs", "Snapshots", "Messages", "Graphs", "Console", "Serial"];

export function vmPage(console, parent, ref) {
  const { store } = console;
  const header = h("div", { class: "pagehead" });
  const body = h("section", { id: "tab-body" });
  let tab = "General";
  let stopTab = null;
  const tabs = h("div", { class: "tabs" }, TABS.map((t) => h("button", { class: "tab", id: `tab-${t.toLowerCase()}`,
    onclick: () => { tab = t; show_(true); } }, t)));
  parent.append(header, tabs, body);

  function show_(switched) {
    const vm = store.get("vm", ref);
    clear(header);
    if (!vm) {
      header.append(h("h2", {}, "This VM no longer exists."));
      return;
    }
    header.append(h("h2", { id: "vm-name" }, vm.name_label, " ", h("span", { class: `power ${vm.power_state}`, id: "vm-power" }, vm.power_state)),
      console.canAct ? h("div", { class: "buttons" }, powerButtons(console, ref, vm), vmButtons(console, ref, vm)) : null);
    for (const b of tabs.children) b.classList.toggle("active", b.textContent === tab);
    if (["Graphs", "Console", "Serial"].includes(tab)) {
      if (!switched) return; // live widgets mount once, and update themselves
      if (stopTab) stopTab();
      clear(body);
      stopTab = tab === "Graphs" ? graphs(console, body, "vm", vm.uuid)
        : tab === "Console" ? vncConsole(console, body, vm) : serialConsole(console, body, vm);
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
