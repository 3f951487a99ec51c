// A XenAPI client over JSON-RPC, as any other: POST /jsonrpc, a session ref as first parameter.

export class ApiError extends Error {
  constructor(code, params) {
    super(describe(code, params));
    this.code = code;
    this.params = params || [];
  }
}

let nextId = 1;

/** One call; resolves to its result or rejects with an ApiError carrying xapi's code. */
export async function rpc(method, params = [], base = "") {
  const res = await fetch(`${base}/jsonrpc`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method, params, id: nextId++ }),
  });
  if (!res.ok) throw new ApiError("HTTP_" + res.status, [await res.text()]);
  const reply = await res.json();
  if (reply.error) throw new ApiError(reply.error.message, reply.error.data);
  return reply.result;
}

export class Session {
  /** `base`: another host's URL ("" is this daemon, which served the page). */
  constructor(ref, user, base = "") {
    this.ref = ref;
    this.user = user;
    this.base = base;
  }

  static async login(user, password, base = "") {
    const ref = await rpc("session.login_with_password", [user, password, "2.21", "xenia-web"], base);
    return new Session(ref, user, base);
  }

  call(method, ...params) {
    return rpc(method, [this.ref, ...params], this.base);
  }

  async logout() {
    try {
      await this.call("session.logout");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

// xapi's error codes in words a person understands; the code itself is always shown beside.
const WORDS = {
  SESSION_AUTHENTICATION_FAILED: () => "The user name or password is wrong.",
  SESSION_INVALID: () => "Your session has ended: log in again.",
  RBAC_PERMISSION_DENIED: (p) => `Your role does not allow this (${p[0] || "this action"}).`,
  VM_BAD_POWER_STATE: (p) => `The VM is ${p[2] || "in another state"}; this needs it ${p[1] || "in another state"}.`,
  OPERATION_NOT_ALLOWED: (p) => `This cannot be done now: ${p[0] || ""}`,
  OTHER_OPERATION_IN_PROGRESS: () => "Another operation is running on this object: wait for it to finish.",
  HOST_NOT_ENOUGH_FREE_MEMORY: () => "The host does not have enough free memory for this VM.",
  TASK_CANCELLED: () => "The task was cancelled.",
  VM_IS_TEMPLATE: () => "This is a template: make a VM from it first.",
  VM_REQUIRES_SR: () => "A disk of the VM is on storage this host cannot reach.",
  VM_HAS_NO_SUSPEND_VDI: () => "The VM has no saved state to resume from.",
  HANDLE_INVALID: (p) => `The ${p[0] || "object"} no longer exists.`,
  UUID_INVALID: (p) => `No ${p[0] || "object"} has that UUID.`,
  MAP_DUPLICATE_KEY: () => "That key is already set.",
  VM_MISSING_PV_DRIVERS: () => "The guest's agent is not running, so the VM cannot do this cleanly.",
  VM_SHUTDOWN_TIMEOUT: () => "The guest did not shut down in time; try a forced shutdown.",
  VBD_NOT_EMPTY: () => "The drive already holds a disc: eject it first.",
  VBD_IS_EMPTY: () => "The drive holds no disc.",
  SR_FULL: () => "The storage repository is full.",
  INVALID_VALUE: (p) => `The value of ${p[0] || "a field"} is not valid: ${p[1] || ""}`,
  FIELD_TYPE_ERROR: (p) => `A value of the wrong kind was given for ${p[0] || "a field"}.`,
  VM_MIGRATE_FAILED: (p) => `The migration failed: ${p[3] || "see the server's log"}`,
  VIF_NOT_IN_MAP: () => "A NIC of the VM has no network on the destination.",
  VDI_NOT_IN_MAP: () => "A disk of the VM has no storage on the destination.",
  HOST_OFFLINE: () => "The destination host is not online.",
  NETWORK_ERROR: (p) => p[0] || "The other host cannot be reached.",
  USER_IS_NOT_LOCAL_SUPERUSER: () => "Only the local superuser (root) may do this.",
  MEMORY_CONSTRAINT_VIOLATION: (p) => `The memory settings do not fit together: ${p[0] || ""}`,
  MESSAGE_METHOD_UNKNOWN: (p) => `The server does not know ${p[0] || "this call"}.`,
};

export function describe(code, params = []) {
  const words = WORDS[code];
  return words ? words(params) : `The server refused this${params.length ? `: ${params.join(", ")}` : "."}`;
}
