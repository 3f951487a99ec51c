// The VM's screen (noVNC) and serial console (xterm.js), each over a WebSocket the daemon bridges to the
// console's server (GET /console/ws, authorised by the session as xapi's /console). Both load on first use.
import { clear, h } from "./dom.js";

function socketUrl(console, ref) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const q = new URLSearchParams({ ref, session_id: console.session.ref });
  return `${scheme}://${location.host}/console/ws?${q}`;
}

function consoleOf(console, vm, protocol) {
  return vm.consoles.find((r) => {
    const c = console.store.get("console", r);
    return c && c.protocol === protocol;
  });
}

export function vncConsole(console, parent, vm) {
  const status = h("p", { class: "status", id: "vnc-status" }, "connecting…");
  const screen = h("div", { class: "screen", id: "vnc-screen" });
  const cad = h("button", { id: "vnc-cad", disabled: true }, "Ctrl-Alt-Del");
  const paste = h("input", { id: "vnc-paste", placeholder: "text to paste into the guest's clipboard" });
  parent.append(h("div", { class: "toolbar" }, cad, paste, status), screen);
  const ref = consoleOf(console, vm, "rfb");
  if (vm.power_state !== "Running" || !ref) {
    status.textContent = "The VM is not running: it has no screen.";
    return () => {};
  }
  let rfb = null;
  let closed = false;
  import("@novnc/novnc").then(({ default: RFB }) => {
    if (closed) return;
    rfb = new RFB(screen, socketUrl(console, ref), { shared: true });
    rfb.scaleViewport = true;
    rfb.addEventListener("connect", () => { status.textContent = "connected"; cad.disabled = false; });
    rfb.addEventListener("disconnect", (e) => { status.textContent = e.detail.clean ? "disconnected" : "the connection failed"; });
    rfb.addEventListener("clipboard", (e) => { paste.value = e.detail.text; });
    cad.onclick = () => rfb.sendCtrlAltDel();
    paste.onchange = () => rfb.clipboardPasteFrom(paste.value);
  });
  return () => {
    closed = true;
    if (rfb) rfb.disconnect();
  };
}

export function serialConsole(console, parent, vm) {
  const status = h("p", { class: "status", id: "serial-status" }, "connecting…");
  const term = h("div", { class: "terminal", id: "serial-terminal" });
  parent.append(h("div", { class: "toolbar" }, status), term);
  const ref = consoleOf(console, vm, "vt100");
  if (vm.power_state !== "Running" || !ref) {
    status.textContent = "The VM is not running: it has no serial console.";
    return () => {};
  }
  let ws = null;
  let terminal = null;
  let closed = false;
  Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]).then(([{ Terminal }, { FitAddon }]) => {
    if (closed) return;
    terminal = new Terminal({ convertEol: false, cursorBlink: true, scrollback: 5000 });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(term);
    fit.fit();
    ws = new WebSocket(socketUrl(console, ref));
    ws.binaryType = "arraybuffer";
    const encoder = new TextEncoder();
    ws.onopen = () => { status.textContent = "connected"; };
    ws.onmessage = (e) => terminal.write(new Uint8Array(e.data));
    ws.onclose = () => { status.textContent = "disconnected"; };
    terminal.onData((d) => { if (ws.readyState === WebSocket.OPEN) ws.send(encoder.encode(d)); });
    // copy: Ctrl-Shift-C copies the selection, as terminals do (Ctrl-C is the guest's); paste: the browser's
    // own paste (Ctrl-V, Ctrl-Shift-V, the menu) reaches xterm.js, which sends it as typed input
    terminal.attachCustomKeyEventHandler((e) => {
      if (e.type === "keydown" && e.ctrlKey && e.shiftKey && e.code === "KeyC" && terminal.hasSelection()) {
        navigator.clipboard.writeText(terminal.getSelection()).catch(() => {});
        return false;
      }
      return true;
    });
    window.xeniaTerminal = terminal; // the browser tests read the screen as a person would
  });
  return () => {
    closed = true;
    if (ws) ws.close();
    if (terminal) terminal.dispose();
  };
}
