// The narrow port the Durable engine (local/host/durable) uses to run orchestrator and activity functions. It
// hides the worker protocol: the engine passes plain values and gets plain values back.
import { findFunction, type RegisteredFunction } from "./functionsCore";
import { invokeFunction } from "./invoke";
import { JsonText } from "./durable/payloadJson";
import type { HostLogger } from "./log";
import { activityInputTypedData, fromReturnTypedData, type RpcTypedData } from "./rpcTypedData";

export interface DurableInvokeOptions {
  /** Instance the invocation belongs to (goes on every log line). */
  instanceId?: string;
  /** Called with the library's InvocationContext afterwards (e.g. `context.df.taskOrchestratorExecutor.openTasks`). */
  inspectContext?: (context: unknown) => void;
}

export interface DurableFunctionInvoker {
  /**
   * Runs orchestrator function `name` with the orchestration trigger payload (`{history, input, instanceId,
   * isReplaying, parentInstanceId, upperSchemaVersion, …}`, memo §3) and resolves with the SDK's OrchestratorState
   * (`{isDone, actions, output, error, customStatus, schemaVersion}`). When the orchestrator function throws, the
   * SDK embeds its state in the error message (`$OutOfProcData$:`), as the extension reads it: this resolves with
   * that state (its `error` is set). Rejects for anything else (unknown function, not an orchestrator, system error).
   */
  invokeOrchestrator(name: string, payload: unknown, options?: DurableInvokeOptions): Promise<unknown>;
  /**
   * Runs activity function `name` with `input` — pass the CallActivity action's `input` as is (the SDK already
   * JSON-encoded string inputs; strings are delivered as `{string}`, others as `{json}`, memo §5) — and
   * resolves with the decoded return value (string stays string, objects parsed, bytes → base64, none → null).
   * Rejects with the user's error (its message unchanged) when the activity throws.
   */
  invokeActivity(name: string, input: unknown, options?: DurableInvokeOptions): Promise<unknown>;
  /**
   * invokeActivity for the engine: a JSON return value comes back as a JsonText holding the worker's JSON as is
   * (it becomes the TaskCompleted Result unchanged: `JSON.stringify(JSON.parse(text)) === text` for the
   * library's own `JSON.stringify` output), anything else decoded as by invokeActivity.
   */
  invokeActivityForHistory(name: string, input: unknown, options?: DurableInvokeOptions): Promise<unknown>;
  /**
   * invokeOrchestrator without decoding, for a durable worker (workers/workerMain.ts): the trigger payload as JSON
   * text in, the OrchestratorState as the worker protocol carries it out (`{json}`; also when the orchestrator
   * threw, from `$OutOfProcData$`), decoded on the main thread by `fromReturnTypedData`.
   */
  orchestratorReturn(name: string, payloadJson: string, options?: DurableInvokeOptions): Promise<RpcTypedData | undefined>;
  /** invokeActivity without encoding or decoding: trigger data in (activityInputTypedData), return value out. */
  activityReturn(name: string, input: RpcTypedData, options?: DurableInvokeOptions): Promise<RpcTypedData | undefined>;
  /** True when an orchestrator function `name` is registered. */
  hasOrchestrator(name: string): boolean;
  /** True when an activity function `name` is registered. */
  hasActivity(name: string): boolean;
}

/** The trigger payload's JSON: pre-serialized by the engine (JsonText), else serialized here. */
function payloadText(payload: unknown): string {
  return payload instanceof JsonText ? payload.text : JSON.stringify(payload);
}

const OUT_OF_PROC_LABEL = "\n\n$OutOfProcData$:";

/** Extracts the OrchestratorState the SDK embeds in an orchestrator failure, or undefined. */
export function orchestratorStateFromError(err: unknown): unknown {
  const text = orchestratorStateTextFromError(err);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The JSON text of the OrchestratorState the SDK embeds in an orchestrator failure, or undefined. */
function orchestratorStateTextFromError(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : undefined;
  const at = message?.indexOf(OUT_OF_PROC_LABEL) ?? -1;
  if (message === undefined || at < 0) return undefined;
  return message.slice(at + OUT_OF_PROC_LABEL.length);
}

/**
 * An activity's return value as the engine records it: a JSON return value as a JsonText holding the worker's JSON
 * as is (the TaskCompleted Result unchanged, no parse and stringify again), anything else decoded.
 */
export function activityHistoryValue(data: RpcTypedData | null | undefined): unknown {
  const json = data && (data.string === null || data.string === undefined) ? data.json : undefined;
  return json === null || json === undefined ? fromReturnTypedData(data) : new JsonText(json);
}

function requireFunction(name: string, triggerType: string): RegisteredFunction {
  const registration = findFunction(name);
  if (!registration) throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an ${triggerType} function.`);
  if (registration.trigger.type.toLowerCase() !== triggerType.toLowerCase()) {
    throw new Error(`The function '${name}' is not an ${triggerType} function (it has a ${registration.trigger.type}).`);
  }
  return registration;
}

function isKind(name: string, triggerType: string): boolean {
  return findFunction(name)?.trigger.type.toLowerCase() === triggerType.toLowerCase();
}

/**
 * Input data for an invocation: the trigger value plus, for every durableClient input binding the function
 * declares (an activity may start or signal orchestrations, as in Azure), the client binding data.
 */
function inputDataFor(
  registration: RegisteredFunction,
  trigger: RpcTypedData,
  durableClientData?: () => unknown,
): { name: string; data: RpcTypedData }[] {
  const inputData = [{ name: registration.triggerBindingName, data: trigger }];
  for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
    if (binding.direction !== "in" || name === registration.triggerBindingName) continue;
    const type = binding.type.toLowerCase();
    if (type !== "durableclient" && type !== "orchestrationclient") continue;
    const data = durableClientData?.();
    if (data === undefined) throw new Error(`Function '${registration.name}' needs a Durable client but none is available.`);
    inputData.push({ name, data: { json: JSON.stringify(data) } });
  }
  return inputData;
}

export function createDurableInvoker(logger: HostLogger, durableClientData?: () => unknown): DurableFunctionInvoker {
  /** Runs a durable function through the invocation pipeline; resolves with its return value as the worker sends it. */
  const invokeDurable = async (
    registration: RegisteredFunction,
    inputData: { name: string; data: RpcTypedData }[],
    options: DurableInvokeOptions,
  ): Promise<RpcTypedData | undefined> => {
    const response = await invokeFunction(
      registration,
      { inputData },
      { logger, logFields: { instanceId: options.instanceId }, inspectContext: options.inspectContext },
    );
    return response.returnValue as RpcTypedData | undefined;
  };
  const activityReturn = async (
    name: string,
    input: RpcTypedData,
    options: DurableInvokeOptions = {},
  ): Promise<RpcTypedData | undefined> => {
    const registration = requireFunction(name, "activityTrigger");
    return invokeDurable(registration, inputDataFor(registration, input, durableClientData), options);
  };
  const orchestratorReturn = async (
    name: string,
    payloadJson: string,
    options: DurableInvokeOptions = {},
  ): Promise<RpcTypedData | undefined> => {
    const registration = requireFunction(name, "orchestrationTrigger");
    try {
      return await invokeDurable(registration, [{ name: registration.triggerBindingName, data: { json: payloadJson } }], options);
    } catch (err) {
      const stateJson = orchestratorStateTextFromError(err);
      if (stateJson === undefined || orchestratorStateFromError(err) === undefined) throw err;
      return { json: stateJson };
    }
  };
  return {
    async invokeOrchestrator(name, payload, options = {}) {
      return fromReturnTypedData(await orchestratorReturn(name, payloadText(payload), options));
    },
    async invokeActivity(name, input, options = {}) {
      return fromReturnTypedData(await activityReturn(name, activityInputTypedData(input), options));
    },
    async invokeActivityForHistory(name, input, options = {}) {
      return activityHistoryValue(await activityReturn(name, activityInputTypedData(input), options));
    },
    orchestratorReturn,
    activityReturn,
    hasOrchestrator: (name) => isKind(name, "orchestrationTrigger"),
    hasActivity: (name) => isKind(name, "activityTrigger"),
  };
}
