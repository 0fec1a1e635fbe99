// The fake `@azure/functions-core` module. In Azure the Node worker provides this "built-in" module by proxying
// `Module.prototype.require` (azure-functions-nodejs-worker src/setupCoreModule.ts); `@azure/functions` requires it
// lazily and caches the answer per process, so the proxy must be installed before the library's first
// registration, or the library stays in "test mode" for the rest of the process.
//
// The registry is process-global (kept on globalThis) because the library's cache is process-global too: one app
// per process. `resetRegistrations()` lets a host reload the app in the same process (tests restart hosts): the
// programming model, which the library sets only once per process, survives the reset.
import Module from "node:module";

/** A binding as `@azure/functions` hands it to `registerFunction` (toCoreFunctionMetadata.ts). */
export interface BindingInfo {
  type: string;
  direction: "in" | "out" | "inout";
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: unknown;
}

// The library's callbacks take the trigger input, extra inputs and the InvocationContext: untyped at this seam.
export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: unknown) => unknown;
export type HookName = "appStart" | "appTerminate" | "preInvocation" | "postInvocation" | "log";
export type CoreLogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";
export type CoreLogCategory = "user" | "system" | "customMetric";

export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** Name of the trigger binding (a hash such as `httpTrigger88dd3b17d4`). */
  triggerBindingName: string;
  trigger: BindingInfo;
}

/** The object `getInvocationModel` returns (the library's InvocationModel). */
export interface InvocationModelLike {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<CoreInvocationResponse>;
}

export interface CoreInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: unknown }[];
  returnValue?: unknown;
}

/** The library's ProgrammingModel (`@azure/functions` sets it on its first registration). */
export interface ProgrammingModelLike {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModelLike | Promise<InvocationModelLike>;
  /** Locks `app.setup` and, with `enableHttpStream`, starts the library's HTTP proxy (`HttpUri`). */
  getCapabilities?(workerCapabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type SystemLogHandler = (level: CoreLogLevel, category: CoreLogCategory, message: string) => void;

interface CoreState {
  programmingModel?: ProgrammingModelLike;
  functions: Map<string, RegisteredFunction>;
  hooks: Map<HookName, HookCallback[]>;
  /** Set once the app has been loaded: later registrations are rejected like the worker does. */
  locked: boolean;
  appHookData: Record<string, unknown>;
  /** hookData of appStart/appTerminate (the worker keeps it apart from appHookData). */
  appLevelOnlyHookData: Record<string, unknown>;
  systemLog: SystemLogHandler;
  installed: boolean;
  /** getCapabilities runs once per process: the library's stream proxy cannot be started twice. */
  capabilities?: Promise<Record<string, string>>;
}

const STATE_KEY = Symbol.for("jobflow.localHost.functionsCore");
const HOOK_NAMES: readonly HookName[] = ["appStart", "appTerminate", "preInvocation", "postInvocation", "log"];

function state(): CoreState {
  const g = globalThis as unknown as Record<symbol, CoreState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    s = {
      functions: new Map(),
      hooks: new Map(),
      locked: false,
      appHookData: {},
      appLevelOnlyHookData: {},
      systemLog: () => undefined,
      installed: false,
    };
    g[STATE_KEY] = s;
  }
  return s;
}

/** The Disposable class the core module exports (the library constructs it too). */
export class Disposable {
  #onDispose: (() => void) | undefined;
  constructor(callOnDispose: () => void) {
    this.#onDispose = callOnDispose;
  }
  dispose(): void {
    const f = this.#onDispose;
    this.#onDispose = undefined;
    f?.();
  }
}

function findTrigger(metadata: FunctionMetadata): [string, BindingInfo] {
  const entry = Object.entries(metadata.bindings ?? {}).find(([, b]) => /trigger$/i.test(b.type));
  if (!entry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  return entry;
}

function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
  const s = state();
  if (s.locked) throw new Error(`A function can only be registered during app startup (function "${metadata?.name}").`);
  if (!metadata?.name) throw new Error("registerFunction: metadata.name is required.");
  const [triggerBindingName, trigger] = findTrigger(metadata);
  if (trigger.type.toLowerCase() === "entitytrigger") {
    // Design choice (DESIGN §2): the local host implements no Durable Entities. Failing here aborts app loading.
    throw new Error(
      `Function "${metadata.name}" is a Durable Entity (entityTrigger). The Jobflow local host does not support entities; use a singleton orchestration with external events instead.`,
    );
  }
  const key = metadata.name.toLowerCase(); // the Functions host treats function names case-insensitively
  if (s.functions.has(key)) throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
  s.functions.set(key, { name: metadata.name, metadata, callback, triggerBindingName, trigger });
  return new Disposable(() => {
    if (s.functions.get(key)?.callback === callback) s.functions.delete(key);
  });
}

function registerHook(hookName: string, callback: HookCallback): Disposable {
  if (!HOOK_NAMES.includes(hookName as HookName)) {
    // Same error class the library expects for unknown hooks (it maps RangeError on "log" to a version message).
    throw new RangeError(`"${hookName}" is not a valid hook name.`);
  }
  const s = state();
  const list = s.hooks.get(hookName as HookName) ?? [];
  list.push(callback);
  s.hooks.set(hookName as HookName, list);
  return new Disposable(() => {
    const i = list.indexOf(callback);
    if (i >= 0) list.splice(i, 1);
  });
}

/** The module object `require('@azure/functions-core')` returns. */
const coreApi = {
  version: "4.0.0-jobflow-local",
  hostVersion: "4.1000.0-jobflow-local",
  registerFunction,
  registerHook,
  setProgrammingModel(programmingModel: ProgrammingModelLike): void {
    state().programmingModel = programmingModel;
  },
  getProgrammingModel(): ProgrammingModelLike | undefined {
    return state().programmingModel;
  },
  log(level: CoreLogLevel, category: CoreLogCategory, message: string): void {
    state().systemLog(level, category, message);
  },
  Disposable,
};

/**
 * Installs the require proxy (idempotent, also across duplicate copies of this file). Must run before
 * `@azure/functions` registers anything: a registration made earlier put the library in test mode for good
 * (then `programmingModel()` reports the cause).
 */
export function installFunctionsCore(): void {
  const s = state();
  if (s.installed) return;
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(target, thisArg: unknown, argArray: unknown[]) {
      if (argArray[0] === "@azure/functions-core") return coreApi;
      return Reflect.apply(target, thisArg, argArray) as unknown;
    },
  });
  s.installed = true;
}

/** Registered functions, in registration order. */
export function registeredFunctions(): RegisteredFunction[] {
  return [...state().functions.values()];
}

/** The function registered under `name` (case-insensitive), or undefined. */
export function findFunction(name: string): RegisteredFunction | undefined {
  return state().functions.get(name.toLowerCase());
}

/** Callbacks registered for a hook, in registration order (a copy). */
export function hooksFor(name: HookName): HookCallback[] {
  return [...(state().hooks.get(name) ?? [])];
}

/** The programming model, or an error that explains the usual cause (library loaded before the proxy). */
export function programmingModel(): ProgrammingModelLike {
  const pm = state().programmingModel;
  if (!pm) {
    throw new Error(
      "No programming model registered: @azure/functions was loaded before installFunctionsCore() or the app registered nothing.",
    );
  }
  return pm;
}

/**
 * The worker capabilities the library reports after app start (as WorkerInitHandler asks for them); `HttpUri` is
 * set when the app enabled HTTP streaming. Memoized per process.
 */
export function workerCapabilities(): Promise<Record<string, string>> {
  const s = state();
  const pm = programmingModel();
  s.capabilities ??= pm.getCapabilities ? pm.getCapabilities({}) : Promise.resolve({});
  return s.capabilities;
}

/** App-level hook data shared by all hooks of the app (the worker's `appHookData`). */
export function appHookData(): Record<string, unknown> {
  return state().appHookData;
}

/** hookData of the app-level hooks (appStart, appTerminate). */
export function appLevelOnlyHookData(): Record<string, unknown> {
  return state().appLevelOnlyHookData;
}

/** Rejects registrations from now on (the worker does so once the app has started). */
export function lockRegistrations(): void {
  state().locked = true;
}

/** Forgets functions and hooks (not the programming model) so the app can be loaded again in this process. */
export function resetRegistrations(): void {
  const s = state();
  s.functions.clear();
  s.hooks.clear();
  s.appHookData = {};
  s.appLevelOnlyHookData = {};
  s.locked = false;
}

/** Where `coreApi.log` (the library's system log) goes. */
export function setSystemLogHandler(handler: SystemLogHandler): void {
  state().systemLog = handler;
}
