// Migrate a VM: to another member of this pool (VM.pool_migrate), or to another xenia host
// (VM.migrate_send). The second is xapi's cross-pool migration as its clients do it: log in to the
// destination, ask it for a `dest` map (host.migrate_receive), map each NIC to a destination network and
// each disk to a destination SR, then call VM.migrate_send here. The page talks to the destination
// directly (JSON-RPC with CORS, as xapi answers it), so the destination's password never passes through
// this daemon. Each move is an Async task in the panel: progress, cancel (up to the switch-over), errors.
import { ApiError, Session } from "./api.js";
import { clear, h } from "./dom.js";

const MiB = 1024 * 1024;

/** The destination's base URL from what a person types ("other-host:8080", "https://other-host/"). */
export function baseUrl(typed) {
  let url = typed.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) url = `${location.protocol}//${url}`;
  return url;
}

function told(e, where) {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  return `${where} cannot be reached from this browser (${e.message}): check the URL; a certificate the browser `
    + `does not trust must be accepted first, by opening ${where} in a tab.`;
}

function choice(id, entries, selected) {
  return h("select", { id }, entries.map(([value, label]) => h("option", { value, selected: value === selected }, label)));
}

export function migrateForm(console, ref) {
  const { store } = console;
  const vm = store.get("vm", ref);
  const close = h("button", { type: "button", class: "close", onclick: () => form.remove() }, "Close");
  const form = h("div", { class: "migrate", id: "migrate-form" }, h("h3", {}, `Migrate ${vm.name_label}`, " ", close),
    poolPart(console, ref, vm), remotePart(console, ref, vm));
  return form;
}

function poolPart(console, ref, vm) {
  const others = [...console.store.all("host")].filter(([r, host]) => r !== vm.resident_on && host.enabled);
  if (!others.length) return h("p", { id: "migrate-pool-none" }, "No other pool member to move it to.");
  const host = choice("migrate-member", others.map(([r, host]) => [r, host.name_label]));
  return h("div", { class: "toolbar" }, h("strong", {}, "To another pool member"), host,
    h("button", { class: "act", id: "migrate-pool", onclick: () => {
      const name = console.store.get("host", host.value)?.name_label || host.value;
      console.tasks.run(`Migrate ${vm.name_label} to ${name}`, "VM.pool_migrate", ref, host.value, {}).catch(() => {});
    } }, "Move"));
}

function remotePart(console, ref, vm) {
  const url = h("input", { id: "migrate-url", placeholder: "http://other-host", size: 28 });
  const user = h("input", { id: "migrate-user", value: "root", size: 10, autocomplete: "off" });
  const password = h("input", { id: "migrate-password", type: "password", autocomplete: "off" });
  const status = h("span", { class: "status", id: "migrate-status" });
  const choices = h("div", { class: "toolbar", id: "migrate-choices" });
  let remote = null;

  async function connect(ev) {
    ev.preventDefault();
    clear(choices);
    status.className = "status";
    status.textContent = "connecting…";
    const base = baseUrl(url.value);
    if (remote) remote.logout().catch(() => {});
    remote = null;
    try {
      remote = await Session.login(user.value, password.value, base);
      const [hosts, networks, srs, pools] = await Promise.all(["host", "network", "SR", "pool"]
        .map((cls) => remote.call(`${cls}.get_all_records`)));
      status.textContent = `connected to ${base}`;
      choices.append(...destination(console, ref, vm, remote, base, { hosts, networks, srs, pools }, () => {
        remote = null; // its session ends with the move: connect again for another
        clear(choices);
        status.textContent = "";
      }));
    } catch (e) {
      status.className = "status error";
      status.textContent = told(e, base);
      remote = null;
    }
  }

  return h("form", { class: "toolbar", id: "migrate-remote", onsubmit: connect },
    h("strong", {}, "To another xenia host"), h("label", {}, "URL ", url), h("label", {}, "User ", user),
    h("label", {}, "Password ", password), h("button", { type: "submit", id: "migrate-connect" }, "Connect"), status, choices);
}

/** The destination's choices (host, network for the NICs, SR for the disks), and the button that moves the VM. */
function destination(console, ref, vm, remote, base, { hosts, networks, srs, pools }, done) {
  const { store } = console;
  const host = choice("migrate-host", Object.entries(hosts).map(([r, rec]) => [r, rec.name_label]));
  // a NIC goes to the destination's network of the same name where there is one
  const here = vm.VIFs.map((v) => store.get("vif", v)).filter(Boolean).map((v) => store.get("network", v.network)?.name_label);
  const nets = Object.entries(networks).sort(([, a], [, b]) => Number(here.includes(b.name_label)) - Number(here.includes(a.name_label)));
  const network = choice("migrate-network", nets.map(([r, rec]) => [r, rec.name_label]));
  const disks = vm.VBDs.map((b) => store.get("vbd", b)).filter((b) => b && b.type !== "CD" && !b.empty && b.VDI !== "OpaqueRef:NULL");
  const defaultSr = Object.values(pools)[0]?.default_SR;
  const sr = choice("migrate-sr", Object.entries(srs).filter(([, rec]) => rec.content_type !== "iso" && rec.type !== "udev")
    .map(([r, rec]) => [r, rec.name_label]), defaultSr);
  const bandwidth = h("input", { id: "migrate-bandwidth", type: "number", min: 1, placeholder: "no limit", size: 8 });
  const send = h("button", { class: "act", id: "migrate-send", onclick: async () => {
    send.disabled = true;
    const label = `Migrate ${vm.name_label} to ${base}`;
    try {
      const dest = await remote.call("host.migrate_receive", host.value, network.value, {});
      const vifMap = Object.fromEntries(vm.VIFs.map((v) => [v, network.value]));
      const vdiMap = Object.fromEntries(disks.map((b) => [b.VDI, sr.value]));
      const options = bandwidth.value ? { bandwidth: String(Math.round(Number(bandwidth.value) * MiB)) } : {};
      const moved = { url: `${base}/`, where: base };
      console.moved.set(ref, moved); // the VM leaves this host's records when it arrives there
      try {
        const there = await console.tasks.run(label, "VM.migrate_send", ref, dest, true, vdiMap, vifMap, options, {});
        moved.url = `${base}/#/vm/${encodeURIComponent(there)}`;
        const link = document.querySelector("#vm-moved a");
        if (link) link.href = moved.url;
      } catch (e) {
        console.moved.delete(ref); // told in the task panel
      }
    } catch (e) {
      console.tasks.failed(label, e instanceof ApiError ? e : new ApiError("NETWORK_ERROR", [told(e, base)]));
    } finally {
      remote.logout().catch(() => {}); // xapi's source uses the session in `dest` until the task ends
      done();
    }
  } }, "Migrate");
  return [h("label", {}, "Host ", host), h("label", {}, "NICs to ", network),
    disks.length ? h("label", {}, "Disks to ", sr) : null, h("label", {}, "Bandwidth (MiB/s) ", bandwidth), send];
}
