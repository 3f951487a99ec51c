// Graphs of a VM or the host: CPU, memory, disk and network. History comes from /rrd_updates (the archives,
// so a range from minutes to a year), the live points from the cooked query (xenia.query_data_sources) every
// few seconds. Charts are uPlot (small, fast, loaded when a page first shows a graph).
import { clear, h } from "./dom.js";

const RANGES = [["10 minutes", 600], ["2 hours", 7200], ["1 day", 86400], ["1 week", 604800], ["1 year", 31536000]];
const LIVE_EVERY = 5000;

// chart -> how its one or two lines come from a row of named sources (null where the object has none)
const CHARTS = {
  vm: [
    ["cpu", "CPU (%)", [["cpu", (s) => pick(s, "cpu_usage", (v) => v * 100)]]],
    ["memory", "Memory (MiB)", [["memory", (s) => pick(s, "memory", (v) => v / 1048576)]]],
    ["disk", "Disk (KiB/s)", [["read", (s) => sum(s, /^vbd_.*_read$/, 1024)], ["write", (s) => sum(s, /^vbd_.*_write$/, 1024)]]],
    ["network", "Network (KiB/s)", [["rx", (s) => sum(s, /^vif_\d+_rx$/, 1024)], ["tx", (s) => sum(s, /^vif_\d+_tx$/, 1024)]]],
  ],
  host: [
    ["cpu", "CPU (%)", [["cpu", (s) => pick(s, "cpu_avg", (v) => v * 100)]]],
    ["memory", "Memory used (MiB)", [["used", (s) => ("memory_total_kib" in s ? (s.memory_total_kib - s.memory_free_kib) / 1024 : null)]]],
    ["load", "Load average", [["load", (s) => pick(s, "loadavg", (v) => v)]]],
    ["network", "Network (KiB/s)", [["rx", (s) => pick(s, "pif_aggr_rx", (v) => v / 1024)], ["tx", (s) => pick(s, "pif_aggr_tx", (v) => v / 1024)]]],
  ],
};

function pick(s, name, f) {
  return name in s && s[name] !== null && !Number.isNaN(s[name]) ? f(s[name]) : null;
}

function sum(s, re, div) {
  let total = null;
  for (const [k, v] of Object.entries(s)) if (re.test(k) && v !== null && !Number.isNaN(v)) total = (total || 0) + v / div;
  return total;
}

export function graphs(console, parent, kind, uuid) {
  const range = h("select", { class: "range", id: "graph-range" }, RANGES.map(([l, s]) => h("option", { value: s }, l)));
  const grid = h("div", { class: "graphs", id: "graphs" });
  parent.append(h("div", { class: "toolbar" }, h("strong", {}, "Graphs"), range), grid);
  let stopped = false;
  let timer = null;
  let charts = [];
  let times = [];
  let rows = [];
  let sources = [];

  async function load() {
    const seconds = Number(range.value);
    const now = Math.floor(Date.now() / 1000);
    // one 5 s step short of the range: the server picks the finest archive whose span holds the start, and
    // the 5 s archive holds (last update - 600 s, last update]; asked for exactly now - 600 in the second of
    // an update on a multiple of 5, it answered from the 1 min archive
    const start = now - seconds + 5;
    const q = new URLSearchParams({ session_id: console.session.ref, start: String(start), cf: "AVERAGE", json: "true" });
    if (kind === "host") q.set("host", "true");
    else q.set("vm_uuid", uuid);
    const res = await fetch(`/rrd_updates?${q}`, { headers: { Accept: "application/json" } });
    const dump = await res.json();
    grid.dataset.step = dump.meta.step; // the archive the range came from (5 s, 1 min, 1 h, 1 day)
    const legend = dump.meta.legend.map((l) => l.split(":"));
    const mine = legend.map(([, , u, name]) => (u === uuid ? name : null));
    sources = mine.filter(Boolean);
    times = [];
    rows = [];
    for (const row of [...dump.data].sort((a, b) => Number(a.t) - Number(b.t))) {
      const values = {};
      row.values.forEach((v, i) => { if (mine[i]) values[mine[i]] = v === null ? null : Number(v); });
      times.push(Number(row.t));
      rows.push(values);
    }
    await draw();
  }

  async function draw() {
    const { default: uPlot } = await import("uplot");
    if (stopped) return;
    for (const c of charts) c.destroy();
    clear(grid);
    charts = CHARTS[kind].map(([id, title, lines]) => {
      const box = h("div", { class: "graph", id: `graph-${id}` }, h("h3", {}, title));
      grid.append(box);
      const data = [times, ...lines.map(([, f]) => rows.map(f))];
      box.dataset.points = String(data.slice(1).reduce((n, ys) => n + ys.filter((y) => y !== null).length, 0));
      return new uPlot({ width: 420, height: 160, legend: { show: true },
        series: [{}, ...lines.map(([label], i) => ({ label, stroke: ["#2a7ab0", "#c4572f"][i], width: 1.5, spanGaps: true }))] }, data, box);
    });
  }

  async function live() {
    if (stopped) return;
    timer = setTimeout(live, LIVE_EVERY);
    if (Number(range.value) !== RANGES[0][1] || !sources.length) return;
    try {
      const answer = await console.session.call("xenia.query_data_sources", [uuid], sources, LIVE_EVERY / 1000, ["average"]);
      const values = Object.fromEntries(Object.entries(answer[uuid] || {}).map(([k, v]) => [k, v.average]));
      times.push(Math.floor(Date.now() / 1000));
      rows.push(values);
      const cut = times[times.length - 1] - RANGES[0][1];
      while (times.length && times[0] < cut) {
        times.shift();
        rows.shift();
      }
      CHARTS[kind].forEach(([, , lines], i) => {
        const data = [times, ...lines.map(([, f]) => rows.map(f))];
        charts[i].box = charts[i].root.parentElement;
        charts[i].root.parentElement.dataset.points = String(data.slice(1).reduce((n, ys) => n + ys.filter((y) => y !== null).length, 0));
        charts[i].setData(data);
      });
    } catch (e) {
      // the object stopped (its sources went): the next load shows what the archives have
    }
  }

  range.onchange = () => load().catch(() => {});
  load().catch((e) => grid.append(h("p", { class: "error" }, String(e)))).then(() => { timer = setTimeout(live, LIVE_EVERY); });
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const c of charts) c.destroy();
  };
}
