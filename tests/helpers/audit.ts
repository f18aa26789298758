import type { AuditEntry } from "@/lib/contract/audit";

/** An audit entry as the app writes one (an admin's group.delete, now), with `over` applied. */
export function auditEntry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: Date.now(),
    who: "ada",
    role: "admin",
    method: "password",
    ip: "",
    userAgent: "",
    action: "group.delete",
    touched: 0,
    result: "ok",
    status: 200,
    ...over,
  };
}
