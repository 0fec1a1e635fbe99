// Signs a console session in over plain HTTP, as a browser would: one-time login URL → session cookie → CSRF token.
import type { Stack } from "../../local/stack";

export interface ConsoleClient {
  cookie: string;
  csrf: string;
  role: string;
  /** fetch() under /api/console/api with the cookie (and the CSRF token unless `csrf: null`). */
  call(path: string, init?: RequestInit & { csrf?: string | null }): Promise<Response>;
}

export async function consoleLogin(
  stack: Pick<Stack, "consoleLoginUrl" | "host">,
  role: "operator" | "reader" = "operator",
): Promise<ConsoleClient> {
  const res = await fetch(stack.consoleLoginUrl(role), { redirect: "manual" });
  if (res.status !== 303) throw new Error(`login → ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const session = await fetch(`${stack.host.url}/api/console/api/session`, { headers: { cookie } });
  const body = (await session.json()) as { csrfToken: string; role: string };
  const call: ConsoleClient["call"] = (path, init = {}) => {
    const { csrf = body.csrfToken, ...rest } = init;
    const headers: Record<string, string> = { cookie, ...(rest.headers as Record<string, string> | undefined) };
    if (csrf !== null) headers["x-jobflow-csrf"] = csrf;
    return fetch(`${stack.host.url}/api/console/api${path}`, { ...rest, headers });
  };
  return { cookie, csrf: body.csrfToken, role: body.role, call };
}
