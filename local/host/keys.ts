// Function keys, checked locally as Azure does (Core Tools skips this; we don't, so auth bugs show up in tests).
// A request presents a key in the `x-functions-key` header or the `code` query parameter.
//   anonymous: no key; function: a key of that function, a host key or the master key; admin: the master key.
// System keys (e.g. `durabletask_extension`) open the extension webhooks; the master key opens everything.
import { randomBytes, timingSafeEqual } from "node:crypto";

export interface FunctionKeysOptions {
  /** The master (admin) key. Random when omitted. */
  masterKey?: string;
  /** Host keys valid for every function-level function ("default" in Azure). One random key when omitted. */
  hostKeys?: string[];
  /** Keys of single functions, by function name. */
  functionKeys?: Record<string, string[]>;
  /** System keys by extension name; `durabletask_extension` is random when omitted. */
  systemKeys?: Record<string, string>;
}

export type AuthLevel = "anonymous" | "function" | "admin";

export const DURABLE_SYSTEM_KEY_NAME = "durabletask_extension";

export class HostKeys {
  readonly masterKey: string;
  readonly hostKeys: readonly string[];
  readonly systemKeys: Readonly<Record<string, string>>;
  private readonly functionKeys: ReadonlyMap<string, readonly string[]>;

  constructor(options: FunctionKeysOptions = {}) {
    this.masterKey = options.masterKey ?? newKey();
    this.hostKeys = options.hostKeys ?? [newKey()];
    this.systemKeys = { [DURABLE_SYSTEM_KEY_NAME]: newKey(), ...options.systemKeys };
    this.functionKeys = new Map(Object.entries(options.functionKeys ?? {}).map(([name, keys]) => [name.toLowerCase(), keys]));
  }

  /** The system key the Durable extension puts in its webhook URLs (`code=`). */
  get durableSystemKey(): string {
    return this.systemKeys[DURABLE_SYSTEM_KEY_NAME] as string;
  }

  /** True when `presented` opens a function with `authLevel` (function name matters for function keys). */
  authorizeFunction(authLevel: string | undefined, functionName: string, presented: string | undefined): boolean {
    const level = (authLevel ?? "function").toLowerCase();
    if (level === "anonymous") return true;
    if (presented === undefined || presented === "") return false;
    if (safeEqual(presented, this.masterKey)) return true;
    if (level === "admin") return false;
    const own = this.functionKeys.get(functionName.toLowerCase()) ?? [];
    return [...this.hostKeys, ...own].some((k) => safeEqual(presented, k));
  }

  /** True for the master key or the named system key. */
  authorizeSystem(systemKeyName: string, presented: string | undefined): boolean {
    if (presented === undefined || presented === "") return false;
    const system = this.systemKeys[systemKeyName];
    return safeEqual(presented, this.masterKey) || (system !== undefined && safeEqual(presented, system));
  }

  /** True for the master key only. */
  authorizeAdmin(presented: string | undefined): boolean {
    return presented !== undefined && presented !== "" && safeEqual(presented, this.masterKey);
  }
}

/** The key a request presents: `x-functions-key` header first, then `code` query parameter. */
export function presentedKey(headers: Record<string, string | string[] | undefined>, url: URL): string | undefined {
  const header = headers["x-functions-key"];
  const value = Array.isArray(header) ? header[0] : header;
  return value ?? url.searchParams.get("code") ?? undefined;
}

function newKey(): string {
  return randomBytes(30).toString("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
