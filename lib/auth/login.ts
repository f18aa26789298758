import "server-only";
import { AppError } from "@/lib/errors";
import { recordAnonymousAudit, recordAudit } from "@/lib/audit/audit";
import type { LoginRequest, LoginResponse } from "@/lib/contract/auth";
import { getAuth, type ResolvedAuth } from "./config";
import { burnPasswordCheck, verifyPassword } from "./password";
import { clearLoginFailures, recordLoginFailure, reserveLoginAttempt } from "./rate-limit";
import { clientIp, isSecureRequest } from "./request-checks";
import {
  clearCookie,
  readCookie,
  serializeCookie,
  SESSION_COOKIE,
  signValue,
  verifyValue,
  type SessionPayload,
} from "./session";
import { endSession, isSessionId, newSessionId, passwordFingerprint } from "./session-ids";
import { safeEqual } from "./token-hash";
import type { Role } from "./roles";

/** A new session (a fresh session id) for this user, as the Set-Cookie value. */
export function sessionCookie(req: Request, auth: ResolvedAuth, payload: Omit<SessionPayload, "exp" | "sid">): string {
  const exp = Math.floor(Date.now() / 1000) + auth.sessionMaxAgeSeconds;
  return serializeCookie(
    SESSION_COOKIE,
    signValue(auth.sessionKey, "session", { ...payload, sid: newSessionId(), exp }),
    {
      maxAgeSeconds: auth.sessionMaxAgeSeconds,
      secure: isSecureRequest(req, auth),
      sameSite: "Strict",
    },
  );
}

/** A failed login is an anonymous caller's refusal: it goes to the anonymous trail. */
function loginAudit(req: Request, who: string, role: Role | null, ok: boolean, status: number) {
  return (ok ? recordAudit : recordAnonymousAudit)({
    time: Date.now(),
    who,
    role,
    method: "password",
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent") ?? "",
    action: "login",
    touched: null,
    result: ok ? "ok" : "denied",
    status,
  });
}

/** Checks a local user's password (rate-limited) and answers with the session cookie to set. */
export async function passwordLogin(
  req: Request,
  input: LoginRequest,
): Promise<{ body: LoginResponse; cookie: string }> {
  const auth = getAuth();
  if (auth.users.length === 0) throw new AppError("NOT_FOUND", "Password login is not configured");
  const ip = clientIp(req);
  if (!(await reserveLoginAttempt(ip, input.username))) {
    await loginAudit(req, input.username, null, false, 429);
    throw new AppError("TOO_MANY_REQUESTS", "Too many failed logins; wait 15 minutes and try again");
  }
  const user = auth.users.find((u) => safeEqual(u.username, input.username));
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : (await burnPasswordCheck(input.password), false);
  if (!user || !ok) {
    await recordLoginFailure(ip, input.username);
    await loginAudit(req, input.username, null, false, 401);
    throw new AppError("UNAUTHORIZED", "Wrong username or password");
  }
  await clearLoginFailures(ip, input.username);
  await loginAudit(req, user.username, user.role, true, 200);
  return {
    body: { user: user.username, role: user.role },
    cookie: sessionCookie(req, auth, {
      u: user.username,
      m: "password",
      ph: passwordFingerprint(auth.sessionKey, user.passwordHash),
    }),
  };
}

/** Ends the caller's session server-side (when it is a valid one) and answers with the cookie that clears it. */
export async function logout(req: Request): Promise<string> {
  const auth = getAuth();
  const payload = verifyValue<SessionPayload>(auth.sessionKey, "session", readCookie(req, SESSION_COOKIE));
  if (payload && isSessionId(payload.sid)) await endSession(payload.sid, payload.exp);
  return clearCookie(SESSION_COOKIE, isSecureRequest(req, auth));
}
