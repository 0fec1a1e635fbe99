// Invokes a registered function the way the Node worker's InvocationHandler does
// (azure-functions-nodejs-worker src/eventHandlers/InvocationHandler.ts): the library's own InvocationModel turns
// RPC input into handler arguments, hooks run around the call, and getResponse turns the result back into RPC
// data. The user's function is never called directly.
import { randomUUID } from "node:crypto";
import {
  appHookData,
  appLevelOnlyHookData,
  hooksFor,
  programmingModel,
  type CoreInvocationResponse,
  type FunctionCallback,
  type HookName,
  type RegisteredFunction,
} from "./functionsCore";
import { toHostLogLevel, type HostLogger, type LogFields } from "./log";
import type { RpcTypedData } from "./rpcTypedData";

export interface InvocationRequest {
  /** Defaults to a random UUID. */
  invocationId?: string;
  /** One entry per `in` binding that carries data: the trigger binding and extra inputs, by binding name. */
  inputData: { name: string; data: RpcTypedData | null | undefined }[];
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number };
}

export interface InvokeOptions {
  logger: HostLogger;
  /** Extra fields on every log line of this invocation (e.g. the Durable instanceId). */
  logFields?: LogFields;
  /** Called with the library's InvocationContext after the handler ran (debug cross-checks, e.g. openTasks). */
  inspectContext?: (context: unknown) => void;
  /** Called with the handler's result (after postInvocation hooks) when it succeeded. */
  inspectResult?: (result: unknown) => void;
}

type InvocationState = "preInvocationHooks" | "invocation" | "postInvocationHooks" | undefined;

/**
 * Runs `registration` once. Resolves with the library's response (`returnValue`, `outputData`); rejects with the
 * user's error (after postInvocation hooks had their chance to replace it) exactly as the worker reports a failure.
 */
export async function invokeFunction(
  registration: RegisteredFunction,
  request: InvocationRequest,
  options: InvokeOptions,
): Promise<CoreInvocationResponse> {
  const invocationId = request.invocationId ?? randomUUID();
  const functionName = registration.name;
  const fields: LogFields = { functionName, invocationId, ...options.logFields };
  const { logger } = options;

  const coreCtx = {
    invocationId,
    metadata: registration.metadata,
    request: {
      invocationId,
      functionId: functionName,
      inputData: request.inputData,
      triggerMetadata: request.triggerMetadata ?? {},
      retryContext: request.retryContext,
    },
    state: undefined as InvocationState,
    log(level: string, category: string, message: string): void {
      logger.write(toHostLogLevel(level), category === "user" ? "user" : "system", message, fields);
      runLogHooks(level, category, message);
    },
  };
  const current: { invocationContext?: unknown } = {};
  const runLogHooks = (level: string, category: string, message: string): void => {
    for (const hook of hooksFor("log")) {
      try {
        void hook({ hookData: {}, level, category, message, invocationContext: current.invocationContext });
      } catch {
        // The worker ignores failures of log hooks too (a log must never fail an invocation).
      }
    }
  };

  logger.event("function.executing", `Executing 'Functions.${functionName}'`, fields, "debug");
  const model = await programmingModel().getInvocationModel(coreCtx);
  const hookData: Record<string, unknown> = {};
  const args = await model.getArguments();
  const context = args.context;
  current.invocationContext = context;

  const preContext = {
    hookData,
    appHookData: appHookData(),
    invocationContext: context,
    functionCallback: registration.callback as FunctionCallback,
    inputs: args.inputs,
  };
  await runHooks("preInvocation", preContext, coreCtx, "preInvocationHooks");

  const postContext = {
    hookData,
    appHookData: appHookData(),
    invocationContext: context,
    inputs: preContext.inputs,
    result: null as unknown,
    error: null as unknown,
  };
  coreCtx.state = "invocation";
  try {
    postContext.result = await model.invokeFunction(context, preContext.inputs, preContext.functionCallback);
  } catch (err) {
    postContext.error = err;
  } finally {
    coreCtx.state = undefined;
  }
  await runHooks("postInvocation", postContext, coreCtx, "postInvocationHooks");
  options.inspectContext?.(context);

  if (postContext.error !== null && postContext.error !== undefined) {
    const error = postContext.error instanceof Error ? postContext.error : new Error(String(postContext.error));
    logger.event("function.failed", `Executed 'Functions.${functionName}' (Failed): ${error.message}`, fields, "error");
    throw error;
  }
  options.inspectResult?.(postContext.result);
  const response = await model.getResponse(context, postContext.result);
  logger.event("function.succeeded", `Executed 'Functions.${functionName}' (Succeeded)`, fields, "debug");
  return response;
}

async function runHooks(name: HookName, hookContext: object, coreCtx: { state: InvocationState }, state: InvocationState): Promise<void> {
  coreCtx.state = state;
  try {
    for (const hook of hooksFor(name)) await hook(hookContext);
  } finally {
    coreCtx.state = undefined;
  }
}

/** Runs the app-level hooks (appStart/appTerminate) in registration order. */
export async function runAppHooks(name: "appStart" | "appTerminate", functionAppDirectory: string): Promise<void> {
  const context = { hookData: appLevelOnlyHookData(), appHookData: appHookData(), functionAppDirectory };
  for (const hook of hooksFor(name)) await hook(context);
}
