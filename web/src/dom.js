// A few DOM helpers: the console is plain modules, no framework (small bundle, nothing to learn).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function bytes(n) {
  n = Number(n);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n % 1 ? n.toFixed(1) : n} ${units[i]}`;
}

/** A table of a record's fields (maps and sets shown compactly). */
export function recordTable(rec, fields) {
  const rows = (fields || Object.keys(rec).sort()).map((k) => h("tr", {}, h("th", {}, k), h("td", {}, show(rec[k]))));
  return h("table", { class: "record" }, h("tbody", {}, rows));
}

export function show(v) {
  if (Array.isArray(v)) return v.length ? v.join(", ") : "—";
  if (v && typeof v === "object") {
    const e = Object.entries(v);
    return e.length ? e.map(([a, b]) => `${a}: ${b}`).join("; ") : "—";
  }
  return v === "" ? "—" : String(v);
}

export const NULL_REF = "OpaqueRef:NULL";
