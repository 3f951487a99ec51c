// VM actions: the buttons follow the VM's allowed_operations (as xapi computes them), each runs as an Async
// task through the task panel.
import { h, NULL_REF } from "./dom.js";

// operation in allowed_operations -> [button label, XenAPI message, extra parameters]
const POWER = [
  ["start", "Start", "VM.start", [false, false]],
  ["clean_shutdown", "Shut down", "VM.clean_shutdown", []],
  ["hard_shutdown", "Force shutdown", "VM.hard_shutdown", []],
  ["clean_reboot", "Reboot", "VM.clean_reboot", []],
  ["hard_reboot", "Force reboot", "VM.hard_reboot", []],
  ["pause", "Pause", "VM.pause", []],
  ["unpause", "Unpause", "VM.unpause", []],
  ["suspend", "Suspend", "VM.suspend", []],
  ["resume", "Resume", "VM.resume", [false, false]],
];

/** The power buttons a VM allows now (`compact`: the list's row, with the few most used). */
export function powerButtons(console, ref, vm, compact = false) {
  const allowed = new Set(vm.allowed_operations || []);
  const shown = compact ? POWER.filter(([op]) => ["start", "clean_shutdown", "hard_shutdown", "resume", "unpause"].includes(op)) : POWER;
  return shown.filter(([op]) => allowed.has(op)).map(([op, label, method, extra]) =>
    h("button", { class: `act act-${op}`, dataset: { op }, onclick: (ev) => {
      ev.preventDefault();
      console.tasks.run(`${label} ${vm.name_label}`, method, ref, ...extra).catch(() => {});
    } }, label));
}

/** Snapshot, clone, copy and destroy, asking for a name (or a confirmation) first. */
export function vmButtons(console, ref, vm) {
  const allowed = new Set(vm.allowed_operations || []);
  const named = (op, label, method, suffix, extra = []) => allowed.has(op) && h("button", { class: `act act-${op}`, onclick: () => {
    const name = prompt(`${label}: name of the new ${op === "snapshot" ? "snapshot" : "VM"}`, `${vm.name_label} ${suffix}`);
    if (name) console.tasks.run(`${label} ${vm.name_label}`, method, ref, name, ...extra).catch(() => {});
  } }, label);
  return [
    named("snapshot", "Snapshot", "VM.snapshot", "snapshot"),
    named("clone", "Clone", "VM.clone", "clone"),
    named("copy", "Copy", "VM.copy", "copy", [NULL_REF]),
    allowed.has("destroy") && h("button", { class: "act act-destroy danger", onclick: () => {
      if (confirm(`Destroy ${vm.name_label}? Its disks stay.`)) {
        console.tasks.runSync(`Destroy ${vm.name_label}`, "VM.destroy", ref).then(() => { location.hash = "#/vms"; }, () => {});
      }
    } }, "Destroy"),
  ];
}

/** Insert an ISO into a CD drive, or eject it. */
export function cdButtons(console, vbd, rec) {
  if (rec.type !== "CD") return [];
  if (!rec.empty) {
    return [h("button", { class: "act act-eject", onclick: () => console.tasks.run("Eject", "VBD.eject", vbd).catch(() => {}) }, "Eject")];
  }
  const isos = [...console.store.all("vdi")].filter(([, v]) => {
    const sr = console.store.get("sr", v.SR);
    return sr && sr.content_type === "iso";
  });
  if (!isos.length) return [];
  const pick = h("select", {}, isos.map(([r, v]) => h("option", { value: r }, v.name_label)));
  return [pick, h("button", { class: "act act-insert", onclick: () => console.tasks.run("Insert", "VBD.insert", vbd, pick.value).catch(() => {}) }, "Insert")];
}
