// A new VM from a template, as xapi's clients make one: clone the template, size its first disk in the
// clone's other_config:disks (what VM.provision reads, as XenCenter and `xe vm-install` do), provision its
// disks, size its memory and vCPUs, add a NIC and a CD with an ISO if asked, start it. Each step is an Async
// task in the panel.
import { h, NULL_REF } from "./dom.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// The template's provisioning XML, parsed: its <disk> elements (empty when it has no disks to make).
function provisionDisks(xml) {
  if (!xml) return { doc: null, disks: [] };
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length) return { doc: null, disks: [] };
  return { doc, disks: [...doc.getElementsByTagName("disk")] };
}

export function newVmForm(console, onDone) {
  const { store } = console;
  const templates = [...store.all("vm")].filter(([, v]) => v.is_a_template && !v.is_a_snapshot)
    .sort(([, a], [, b]) => (a.name_label < b.name_label ? -1 : 1));
  const networks = [...store.all("network")];
  const isos = [...store.all("vdi")].filter(([, v]) => {
    const sr = store.get("sr", v.SR);
    return sr && sr.content_type === "iso";
  });
  const template = h("select", { id: "new-template" }, templates.map(([r, v]) => h("option", { value: r }, v.name_label)));
  const name = h("input", { id: "new-name", required: true, placeholder: "name" });
  const memory = h("input", { id: "new-memory", type: "number", min: 16, value: 1024 });
  const vcpus = h("input", { id: "new-vcpus", type: "number", min: 1, value: 1 });
  const disk = h("input", { id: "new-disk", type: "number", min: 1, step: "any", value: 8 });
  const network = h("select", { id: "new-network" }, h("option", { value: "" }, "no NIC"),
    networks.map(([r, n]) => h("option", { value: r }, n.name_label)));
  const iso = h("select", { id: "new-iso" }, h("option", { value: "" }, "no ISO"), isos.map(([r, v]) => h("option", { value: r }, v.name_label)));
  const start = h("input", { id: "new-start", type: "checkbox", checked: true });
  const useTemplate = () => {
    const t = store.get("vm", template.value);
    if (!t) return;
    memory.value = Math.round(Number(t.memory_static_max) / MiB);
    vcpus.value = t.VCPUs_at_startup;
    const { disks } = provisionDisks((t.other_config || {}).disks);
    disk.disabled = disks.length === 0; // a template without disks to provision: nothing to size
    if (disks.length) disk.value = Math.round((Number(disks[0].getAttribute("size")) / GiB) * 100) / 100;
  };
  template.onchange = useTemplate;
  useTemplate();
  const form = h("form", { class: "newvm", id: "new-vm-form", onsubmit: async (ev) => {
    ev.preventDefault();
    form.remove();
    try {
      const vm = await create(console, { template: template.value, name: name.value, memory: Number(memory.value) * MiB,
        vcpus: Number(vcpus.value), disk: disk.disabled ? 0 : Math.round(Number(disk.value) * GiB),
        network: network.value, iso: iso.value, start: start.checked });
      onDone(vm);
    } catch (e) {
      // shown in the task panel
    }
  } },
  h("label", {}, "Template ", template), h("label", {}, "Name ", name), h("label", {}, "Memory (MiB) ", memory),
  h("label", {}, "vCPUs ", vcpus), h("label", {}, "Disk (GiB) ", disk), h("label", {}, "Network ", network), h("label", {}, "ISO ", iso),
  h("label", {}, start, " start it"), h("button", { type: "submit", id: "new-create" }, "Create"),
  h("button", { type: "button", onclick: () => form.remove() }, "Cancel"));
  return form;
}

async function create(console, o) {
  const { session, tasks } = console;
  const vm = await tasks.run(`Clone template for ${o.name}`, "VM.clone", o.template, o.name);
  if (o.disk) await sizeFirstDisk(session, vm, o.disk);
  await tasks.run(`Provision ${o.name}`, "VM.provision", vm); // makes the disks; the template becomes a VM
  const m = String(o.memory);
  await session.call("VM.set_memory_limits", vm, m, m, m, m);
  const rec = await session.call("VM.get_record", vm);
  const n = String(o.vcpus);
  if (o.vcpus > Number(rec.VCPUs_max)) {
    await session.call("VM.set_VCPUs_max", vm, n);
    await session.call("VM.set_VCPUs_at_startup", vm, n);
  } else {
    await session.call("VM.set_VCPUs_at_startup", vm, n);
    await session.call("VM.set_VCPUs_max", vm, n);
  }
  if (o.network) {
    await session.call("VIF.create", { device: String(rec.VIFs.length), network: o.network, VM: vm, MAC: "", MTU: "1500",
      other_config: {}, qos_algorithm_type: "", qos_algorithm_params: {} });
  }
  if (o.iso) {
    const cds = [];
    for (const b of rec.VBDs) if ((await session.call("VBD.get_type", b)) === "CD") cds.push(b);
    const cd = cds[0] || await session.call("VBD.create", { VM: vm, VDI: NULL_REF, userdevice: "3", bootable: true, mode: "RO",
      type: "CD", empty: true, unpluggable: true, other_config: {}, qos_algorithm_type: "", qos_algorithm_params: {} });
    await tasks.run(`Insert the ISO into ${o.name}`, "VBD.insert", cd, o.iso);
  }
  if (o.start) await tasks.run(`Start ${o.name}`, "VM.start", vm, false, false);
  return vm;
}

// Rewrite the first <disk>'s size in the clone's other_config:disks before VM.provision reads it.
async function sizeFirstDisk(session, vm, bytes) {
  const config = await session.call("VM.get_other_config", vm);
  const { doc, disks } = provisionDisks(config.disks);
  if (!disks.length || disks[0].getAttribute("size") === String(bytes)) return;
  disks[0].setAttribute("size", String(bytes));
  await session.call("VM.remove_from_other_config", vm, "disks");
  await session.call("VM.add_to_other_config", vm, "disks", new XMLSerializer().serializeToString(doc));
}
