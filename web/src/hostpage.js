// The host's page: its record, memory and CPUs, the VMs resident on it, and its graphs.
import { bytes, clear, h, recordTable } from "./dom.js";
import { graphs } from "./graphs.js";

export function hostPage(console, parent, ref) {
  const { store } = console;
  ref = ref || [...store.all("host").keys()][0];
  const info = h("section", { id: "host-info" });
  const graphBox = h("section", { id: "host-graphs" });
  parent.append(info, graphBox);
  let stopGraphs = null;

  function render() {
    const host = store.get("host", ref);
    clear(info);
    if (!host) return info.append(h("h2", {}, "No host."));
    const m = store.get("host_metrics", host.metrics);
    const resident = host.resident_VMs.map((r) => store.get("vm", r)).filter((v) => v && !v.is_control_domain);
    info.append(h("h2", { id: "host-name" }, host.name_label),
      h("p", {}, `${host.address} · ${host.software_version.product_brand || "xenia"} ${host.software_version.product_version || ""}`),
      h("p", { id: "host-resources" }, m ? `Memory ${bytes(m.memory_free)} free of ${bytes(m.memory_total)}` : "",
        ` · ${Object.keys(host.cpu_info).length ? host.cpu_info.cpu_count : "?"} CPUs · ${resident.length} VMs running here`),
      h("details", {}, h("summary", {}, "Record"), recordTable(host)));
    if (!stopGraphs) stopGraphs = graphs(console, graphBox, "host", host.uuid);
  }
  render();
  const unsubscribe = store.subscribe((changed) => {
    if (changed.host || changed.host_metrics) render();
  });
  return () => {
    unsubscribe();
    if (stopGraphs) stopGraphs();
  };
}
