// Actions run as Async tasks: each shows in the task panel with its progress bar and a cancel button,
// followed live from the task records event.from brings; a failure is told in words, xapi's code beside.
import { ApiError, describe } from "./api.js";
import { clear, h } from "./dom.js";

export class TaskPanel {
  constructor(console) {
    this.console = console;
    this.el = h("aside", { id: "tasks", class: "tasks" });
    this.mine = new Map(); // task ref -> {label, row}
    console.store.subscribe((changed) => {
      if (changed.task) for (const ref of changed.task) this.update(ref);
    });
  }

  /** Run `Async.<method>`; resolves with the task's result once it succeeds, or rejects with an ApiError. */
  run(label, method, ...params) {
    return new Promise((resolve, reject) => {
      const row = this.row(label);
      this.console.session.call(`Async.${method}`, ...params).then((ref) => {
        this.mine.set(ref, { label, row, resolve, reject });
        this.update(ref);
      }, (e) => {
        this.fail(row, e);
        reject(e);
      });
    });
  }

  /** A message xapi has no Async form of (VM.destroy): the same row, done when the call returns. */
  async runSync(label, method, ...params) {
    const row = this.row(label);
    row.bar.removeAttribute("value"); // indeterminate: the call has no task to follow
    try {
      const result = await this.console.session.call(method, ...params);
      row.bar.value = 1;
      row.status.textContent = "done";
      row.el.classList.add("done");
      setTimeout(() => row.el.remove(), 8000);
      return result;
    } catch (e) {
      this.fail(row, e);
      throw e;
    }
  }

  /** A step that failed before any task began (a call to another host): its row, told as any other. */
  failed(label, e) {
    this.fail(this.row(label), e);
  }

  row(label) {
    const bar = h("progress", { max: 1, value: 0 });
    const status = h("span", { class: "status" }, "starting");
    const cancel = h("button", { class: "cancel", disabled: true }, "Cancel");
    const close = h("button", { class: "close", title: "dismiss", onclick: () => row.el.remove() }, "×");
    const row = { el: h("div", { class: "task" }, h("span", { class: "label" }, label), bar, status, cancel, close),
      bar, status, cancel };
    this.el.prepend(row.el);
    return row;
  }

  fail(row, e) {
    row.el.classList.add("failed");
    const code = e instanceof ApiError ? e.code : "";
    clear(row.status).append(h("span", { class: "words" }, e.message), " ", h("code", {}, code));
  }

  update(ref) {
    const mine = this.mine.get(ref);
    if (!mine) return;
    const task = this.console.store.get("task", ref);
    if (!task) return;
    const { row } = mine;
    row.bar.value = task.progress;
    row.el.dataset.status = task.status;
    row.cancel.disabled = !(task.allowed_operations || []).includes("cancel");
    row.cancel.onclick = () => this.console.session.call("task.cancel", ref).catch((e) => this.fail(row, e));
    if (task.status === "pending" || task.status === "cancelling") {
      row.status.textContent = task.status === "cancelling" ? "cancelling" : `${Math.round(task.progress * 100)} %`;
      return;
    }
    this.mine.delete(ref);
    row.cancel.disabled = true;
    this.console.session.call("task.destroy", ref).catch(() => {});
    if (task.status === "success") {
      row.status.textContent = "done";
      row.el.classList.add("done");
      setTimeout(() => row.el.remove(), 8000);
      mine.resolve(parseResult(task.result));
    } else {
      const [code, ...params] = task.error_info.length ? task.error_info : ["TASK_CANCELLED"];
      const e = new ApiError(code, params);
      e.message = describe(code, params);
      this.fail(row, e);
      mine.reject(e);
    }
  }
}

/** A task's result is an XML-RPC fragment (`<value>OpaqueRef:…</value>`), as xapi stores it. */
function parseResult(xml) {
  const m = /<value>(.*)<\/value>/s.exec(xml || "");
  return m ? m[1] : "";
}
