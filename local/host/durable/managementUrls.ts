// The URLs the extension hands to clients (HttpApiHandler.cs:1148-1210, BindingHelper.cs): the durableClient
// input binding JSON and the HttpManagementPayload of createCheckStatusResponse.

export const WEBHOOK_PATH = "/runtime/webhooks/durabletask";
export const RPC_PATH = "/durabletask";
/** Placeholder the client replaces by an instance id (managementUrls.id). */
export const INSTANCE_ID_PLACEHOLDER = "INSTANCEID";

export interface HttpManagementPayload {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export interface UrlSettings {
  /** Origin of the host, e.g. "http://localhost:7071". */
  baseUrl: string;
  taskHub: string;
  connectionName: string;
  /** The durabletask_extension system key (`code=`); empty = none (the local host does not check it). */
  systemKey: string;
  /** Per-process token of the RPC base path (`/durabletask/<token>/`); none = the bare path. */
  rpcToken?: string;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export function httpManagementPayload(settings: UrlSettings, instanceId: string): HttpManagementPayload {
  const base = `${trimSlash(settings.baseUrl)}${WEBHOOK_PATH}/instances/${encodeURIComponent(instanceId)}`;
  const common = `taskHub=${encodeURIComponent(settings.taskHub)}&connection=${encodeURIComponent(settings.connectionName)}&code=${encodeURIComponent(settings.systemKey)}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${base}?${common}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${common}`,
    terminatePostUri: `${base}/terminate?reason={text}&${common}`,
    rewindPostUri: `${base}/rewind?reason={text}&${common}`,
    purgeHistoryDeleteUri: `${base}?${common}`,
    restartPostUri: `${base}/restart?${common}`,
    suspendPostUri: `${base}/suspend?reason={text}&${common}`,
    resumePostUri: `${base}/resume?reason={text}&${common}`,
  };
}

/** The durableClient input binding value that `df.getClient(context)` accepts (OrchestrationClientInputData). */
export function durableClientBindingData(settings: UrlSettings): object {
  const root = `${trimSlash(settings.baseUrl)}${WEBHOOK_PATH}`;
  const code = `code=${encodeURIComponent(settings.systemKey)}`;
  const managementUrls = httpManagementPayload(settings, INSTANCE_ID_PLACEHOLDER);
  return {
    taskHubName: settings.taskHub,
    creationUrls: {
      createNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls,
    baseUrl: root,
    requiredQueryStringParameters: code,
    rpcBaseUrl: `${trimSlash(settings.baseUrl)}${RPC_PATH}/${settings.rpcToken ? `${encodeURIComponent(settings.rpcToken)}/` : ""}`,
  };
}
