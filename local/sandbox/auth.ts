// ARM's front door: every ARM and control request needs `Authorization: Bearer <token>`. The sandbox accepts any
// non-empty token (the local credential mints unsigned ones) and derives a principal from it, because ARM's
// throttling buckets are per subscription *and* principal.
import type { IncomingMessage } from "node:http";
import { createHash } from "node:crypto";
import { ArmError } from "./http";

/**
 * Returns the calling principal: the JWT's `oid` (or `appid`/`sub`) claim when the token is a JWT, else a short
 * hash of the token (so distinct static tokens count as distinct principals). Throws 401 AuthenticationFailed.
 */
export function authenticate(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) {
    throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", undefined, {
      "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
    });
  }
  const match = /^Bearer\s+(\S.*)$/i.exec(header);
  if (!match) {
    throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  }
  return principalOf(match[1].trim());
}

export function principalOf(token: string): string {
  const parts = token.split(".");
  if (parts.length === 3) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
      for (const key of ["oid", "appid", "azp", "sub"]) {
        const v = claims[key];
        if (typeof v === "string" && v) return v;
      }
    } catch {
      // Not a JWT after all: fall through to the hash.
    }
  }
  return `token-${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
}
