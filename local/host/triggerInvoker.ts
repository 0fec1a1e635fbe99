// Invokes a function for a trigger (HTTP, timer, Service Bus): adds the data of extra input bindings the host
// provides (the Durable client), runs the worker-style pipeline, then hands output bindings (Service Bus) on.
import type { BindingInfo, CoreInvocationResponse, RegisteredFunction } from "./functionsCore";
import { invokeFunction } from "./invoke";
import type { HostLogger, LogFields } from "./log";
import { fromReturnTypedData, type RpcTypedData } from "./rpcTypedData";

export interface TriggerInvocation {
  /** The trigger binding's data. */
  triggerData: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  logFields?: LogFields;
  /** Sees the handler's result before it is converted (HTTP streaming needs to know "no response"). */
  inspectResult?: (result: unknown) => void;
}

/** Runs a function for one trigger event; rejects with the user's error when the function fails. */
export type TriggerInvoker = (registration: RegisteredFunction, invocation: TriggerInvocation) => Promise<CoreInvocationResponse>;

export interface TriggerInvokerOptions {
  logger: HostLogger;
  /**
   * The durableClient binding data (`{taskHubName, creationUrls, managementUrls, baseUrl, …}`) for a function with
   * a durableClient input, or undefined when no Durable engine runs.
   */
  durableClientData?: (binding: BindingInfo) => unknown;
  /** Receives each value an output binding of type serviceBus produced (one call per message). */
  onServiceBusOutput?: (binding: BindingInfo, message: unknown) => void;
}

const DURABLE_CLIENT_TYPES = new Set(["durableclient", "orchestrationclient"]);

export function createTriggerInvoker(options: TriggerInvokerOptions): TriggerInvoker {
  return async (registration, invocation) => {
    const inputData: { name: string; data: RpcTypedData }[] = [{ name: registration.triggerBindingName, data: invocation.triggerData }];
    for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.direction !== "in" || name === registration.triggerBindingName) continue;
      if (DURABLE_CLIENT_TYPES.has(binding.type.toLowerCase())) {
        const data = options.durableClientData?.(binding);
        if (data === undefined) {
          throw new Error(`Function '${registration.name}' needs a Durable client but the host runs no Durable engine.`);
        }
        inputData.push({ name, data: { json: JSON.stringify(data) } });
      }
      // Other input bindings (blob, table, …) are not emulated: the library then leaves the extra input undefined.
    }
    const response = await invokeFunction(
      registration,
      {
        invocationId: invocation.invocationId,
        inputData,
        triggerMetadata: invocation.triggerMetadata,
      },
      { logger: options.logger, logFields: invocation.logFields, inspectResult: invocation.inspectResult },
    );
    dispatchOutputs(registration, response, options);
    return response;
  };
}

function dispatchOutputs(registration: RegisteredFunction, response: CoreInvocationResponse, options: TriggerInvokerOptions): void {
  const sink = options.onServiceBusOutput;
  if (!sink) return;
  const outputs: { binding: BindingInfo | undefined; data: unknown }[] = (response.outputData ?? []).map((o) => ({
    binding: registration.metadata.bindings[o.name],
    data: o.data,
  }));
  const returnBinding = registration.metadata.bindings.$return;
  if (returnBinding && returnBinding.type.toLowerCase() !== "http") outputs.push({ binding: returnBinding, data: response.returnValue });
  for (const { binding, data } of outputs) {
    if (!binding || binding.type.toLowerCase() !== "servicebus" || data === undefined || data === null) continue;
    const value = fromReturnTypedData(data as RpcTypedData);
    // An array output is a batch: one message per element, as the extension's collector does.
    for (const message of Array.isArray(value) ? value : [value]) sink(binding, message);
  }
}
