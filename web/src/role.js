// Whether the user may act on VMs: shown buttons follow the role, and the server checks every call anyway.
// xapi checks a call's role before its arguments (Rbac.check precedes the handler), so a VM.start on the
// null reference answers RBAC_PERMISSION_DENIED to a user below vm-operator and HANDLE_INVALID to anyone
// else: a probe with no effect, that needs nothing beyond what every XenAPI server does.
import { NULL_REF } from "./dom.js";

export async function detectRole(session) {
  try {
    await session.call("VM.start", NULL_REF, false, false);
    return true;
  } catch (e) {
    return e.code !== "RBAC_PERMISSION_DENIED";
  }
}
