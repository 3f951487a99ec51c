// Every record the console shows, kept current from event.from (as Xen Orchestra's client does):
// the first call (token "") brings all objects, each later one only what changed. Listeners get the
// changed refs of each class, so a page re-renders only what moved, never a full reload per event.

export const CLASSES = ["vm", "vm_metrics", "vm_guest_metrics", "host", "host_metrics", "vbd", "vdi", "vif",
  "network", "sr", "task", "message", "console", "pool"];

export class Store {
  constructor(session) {
    this.session = session;
    this.tables = Object.fromEntries(CLASSES.map((c) => [c, new Map()]));
    this.listeners = new Set();
    this.token = "";
    this.running = false;
    this.loaded = false;
  }

  get(cls, ref) {
    return this.tables[cls].get(ref);
  }

  all(cls) {
    return this.tables[cls];
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  apply(events) {
    const changed = {};
    for (const ev of events) {
      const cls = ev.class.toLowerCase();
      const table = this.tables[cls];
      if (!table) continue;
      if (ev.operation === "del") table.delete(ev.ref);
      else if (ev.snapshot) table.set(ev.ref, ev.snapshot);
      (changed[cls] ||= new Set()).add(ev.ref);
    }
    return changed;
  }

  async start(onError) {
    this.running = true;
    while (this.running) {
      let batch;
      try {
        batch = await this.session.call("event.from", CLASSES, this.token, 30.0);
      } catch (e) {
        if (!this.running) return;
        if (e.code === "SESSION_INVALID") {
          onError(e);
          return;
        }
        if (e.code === "EVENTS_LOST") {
          // the server dropped events this client had not read: load everything again (what xapi's clients do)
          this.token = "";
          for (const table of Object.values(this.tables)) table.clear();
          this.reloaded = true;
          continue;
        }
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!this.running) return;
      const first = !this.loaded;
      if (first) performance.mark("xenia:events");
      this.token = batch.token;
      const changed = this.apply(batch.events);
      if (first) performance.mark("xenia:applied");
      if (this.reloaded) changed.reloaded = true; // objects gone meanwhile are not in the batch: redraw everything
      this.reloaded = false;
      this.loaded = true;
      for (const fn of this.listeners) fn(changed);
    }
  }

  stop() {
    this.running = false;
  }
}
