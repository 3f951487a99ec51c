// The VM list: every VM (not templates, snapshots or the control domain), filtered by name/uuid/tag search,
// power state and tag; virtualised rows (only those in view exist in the DOM), so 10 000 VMs stay responsive.
// An event re-filters at most once per frame (never a full reload) and rebuilds only the rows in view whose
// shown values changed: at 10 000 running VMs the metrics tick sends hundreds of VM_metrics events a second
// (VCPUs_utilisation, which the list does not show), and a scroll keeps the rows still in view. Drawing the
// same rows twice (the scroll event and a render already done for it) touches nothing.
import { bytes, h, NULL_REF } from "./dom.js";
import { powerButtons } from "./actions.js";
import { newVmForm } from "./newvm.js";

const ROW = 32;
const STATES = ["", "Running", "Halted", "Paused", "Suspended"];

export function isVm(vm) {
  return vm && !vm.is_a_template && !vm.is_a_snapshot && !vm.is_control_domain;
}

export function addresses(store, vm) {
  const gm = store.get("vm_guest_metrics", vm.guest_metrics);
  if (!gm) return "";
  return Object.entries(gm.networks || {}).filter(([k]) => k.endsWith("/ip")).map(([, v]) => v).join(", ");
}

export class VmList {
  constructor(console, parent) {
    this.console = console;
    this.store = console.store;
    this.search = h("input", { id: "search", type: "search", placeholder: "search name, uuid or tag", oninput: () => this.refilter() });
    this.state = h("select", { id: "power-filter", onchange: () => this.refilter() },
      STATES.map((s) => h("option", { value: s }, s || "any power state")));
    this.tag = h("select", { id: "tag-filter", onchange: () => this.refilter() }, h("option", { value: "" }, "any tag"));
    this.count = h("span", { id: "vm-count", class: "count" });
    this.spacer = h("div", { class: "spacer" });
    this.rows = h("div", { class: "rows" });
    this.viewport = h("div", { id: "vm-list", class: "vlist", onscroll: () => this.render() }, this.spacer, this.rows);
    const head = h("div", { class: "vrow head" }, ["Name", "Power state", "Memory", "vCPUs", "IP addresses", "Tags", ""]
      .map((t) => h("span", {}, t)));
    const toolbar = h("div", { class: "toolbar" }, this.search, this.state, this.tag, this.count);
    if (console.canAct) {
      toolbar.append(h("button", { id: "new-vm", class: "act act-new", onclick: () => {
        if (!document.getElementById("new-vm-form")) {
          toolbar.after(newVmForm(console, (vm) => { location.hash = `#/vm/${encodeURIComponent(vm)}`; }));
        }
      } }, "New VM"));
    }
    parent.append(toolbar, head, this.viewport);
    this.unsubscribe = this.store.subscribe((changed) => this.changed(changed));
    this.pending = false;
    this.drawn = new Map(); // VM ref -> its row in the DOM and the values it shows
    this.refilter();
  }

  destroy() {
    this.unsubscribe();
  }

  changed(changed) {
    if (changed.reloaded) return this.refilter();
    if (!(changed.vm || changed.vm_guest_metrics || changed.vm_metrics)) return;
    // a VM that enters or leaves the filter, or is renamed, re-filters (once per frame); else only rows in view
    for (const ref of changed.vm || []) {
      const vm = this.store.get("vm", ref);
      if (this.matches(vm) !== this.index.has(ref) || (vm && this.names.get(ref) !== vm.name_label)) return this.refilter();
    }
    this.render();
  }

  matches(vm) {
    if (!isVm(vm)) return false;
    const { q, state, tag } = this.query;
    if (state && vm.power_state !== state) return false;
    if (tag && !vm.tags.includes(tag)) return false;
    return !q || vm.name_label.toLowerCase().includes(q) || vm.uuid.startsWith(q) || vm.tags.some((t) => t.toLowerCase().includes(q));
  }

  refilter() {
    if (!this.filtered) {
      this.filter();
      this.render();
      return;
    }
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.filter();
      this.render();
    });
  }

  filter() {
    this.query = { q: this.search.value.trim().toLowerCase(), state: this.state.value, tag: this.tag.value };
    const tags = new Set();
    const out = [];
    const names = new Map();
    for (const [ref, vm] of this.store.all("vm")) {
      if (!isVm(vm)) continue;
      for (const t of vm.tags) tags.add(t);
      if (!this.matches(vm)) continue;
      out.push(ref);
      names.set(ref, vm.name_label);
    }
    out.sort((a, b) => {
      const x = names.get(a);
      const y = names.get(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.filtered = out;
    this.index = new Set(out);
    this.names = names;
    const known = new Set([...this.tag.options].map((o) => o.value));
    for (const t of [...tags].sort()) if (!known.has(t)) this.tag.append(h("option", { value: t }, t));
    this.count.textContent = `${out.length} VMs`;
    this.spacer.style.height = `${out.length * ROW}px`;
  }

  render() {
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const last = Math.min(this.filtered.length, Math.ceil((top + (this.viewport.clientHeight || 600)) / ROW) + 5);
    const drawn = new Map();
    const wanted = [];
    for (let i = first; i < last; i++) {
      const ref = this.filtered[i];
      const key = this.shown(ref);
      const had = this.drawn.get(ref);
      const el = had && had.key === key ? had.el : this.row(ref);
      drawn.set(ref, { key, el });
      wanted.push(el);
    }
    for (const { el } of this.drawn.values()) if (drawn.get(el.dataset.ref)?.el !== el) el.remove();
    // the rows kept are in list order already: insert the new ones between them, move nothing else
    let at = this.rows.firstChild;
    for (const el of wanted) {
      if (el === at) at = at.nextSibling;
      else this.rows.insertBefore(el, at);
    }
    while (at) {
      const next = at.nextSibling;
      at.remove();
      at = next;
    }
    this.drawn = drawn;
    this.rows.style.transform = `translateY(${first * ROW}px)`;
    if (!performance.getEntriesByName("xenia:list").length) performance.mark("xenia:list");
  }

  /** Everything a VM's row shows (its buttons included), as one string: the row is rebuilt when it differs. */
  shown(ref) {
    const vm = this.store.get("vm", ref);
    const metrics = this.store.get("vm_metrics", vm.metrics);
    const running = metrics && vm.power_state === "Running";
    const gm = this.store.get("vm_guest_metrics", vm.guest_metrics);
    return JSON.stringify([vm.name_label, vm.uuid, vm.power_state, running ? metrics.memory_actual : vm.memory_static_max,
      running ? metrics.VCPUs_number : vm.VCPUs_at_startup, gm ? gm.networks : null, vm.tags,
      this.console.canAct ? vm.allowed_operations : null]);
  }

  row(ref) {
    const vm = this.store.get("vm", ref);
    const metrics = this.store.get("vm_metrics", vm.metrics);
    const memory = metrics && vm.power_state === "Running" ? metrics.memory_actual : vm.memory_static_max;
    const vcpus = metrics && vm.power_state === "Running" ? metrics.VCPUs_number : vm.VCPUs_at_startup;
    return h("div", { class: "vrow", dataset: { ref, uuid: vm.uuid, name: vm.name_label } },
      h("a", { href: `#/vm/${encodeURIComponent(ref)}`, class: "name" }, vm.name_label),
      h("span", { class: `power ${vm.power_state}` }, vm.power_state),
      h("span", {}, bytes(memory)),
      h("span", {}, vcpus),
      h("span", { class: "ips" }, addresses(this.store, vm)),
      h("span", { class: "tags" }, vm.tags.map((t) => h("span", { class: "tag" }, t))),
      h("span", { class: "actions" }, this.console.canAct ? powerButtons(this.console, ref, vm, true) : null));
  }
}

export { NULL_REF };
