// Role assignments of the app's identity on the resources in Jobflow's own resource group. Each one is scoped to the
// narrowest resource Azure allows for the operation the code performs (see docs/deploy.md "Identities and roles").

param appPrincipalId string
param hostStorageAccountName string
param dataStorageAccountName string
@description('Jobflow\'s own containers on the data account (shared/config.ts JOBFLOW_*_CONTAINER).')
param dataContainerNames array
param serviceBusNamespaceName string
param jobsQueueName string
param eventsTopicName string
param keyVaultName string
param applicationInsightsName string
@description('Object id of the person/pipeline running the deployment; gets Key Vault Secrets Officer to seed the secrets. Empty = none.')
param deployerPrincipalId string = ''
@description('Principals (schedulers) allowed to submit jobs on the queue: Azure Service Bus Data Sender on `jobs` only.')
param jobSubmitterPrincipalIds array = []

var roles = loadJsonContent('../../roles.json')

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: hostStorageAccountName }
resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: dataStorageAccountName }
resource dataBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: dataStorage
  name: 'default'
}
resource dataContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for c in dataContainerNames: {
  parent: dataBlobService
  name: c
}]
resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = { name: serviceBusNamespaceName }
resource jobsQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = {
  parent: namespace
  name: jobsQueueName
}
resource eventsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' existing = {
  parent: namespace
  name: eventsTopicName
}
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }
resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = { name: applicationInsightsName }

// --- Functions host + Durable task hub (AzureWebJobsStorage). The host account holds nothing but the host's own
// state, so account scope is the narrowest possible: the host needs blob leases/keys/package (Blob Data Owner, as
// the Functions docs recommend for AzureWebJobsStorage), and the Durable Azure Storage provider uses queues
// (control + work-item) and tables (history + instances).
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appPrincipalId, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
resource hostQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appPrincipalId, roles.storageQueueDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
resource hostTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appPrincipalId, roles.storageTableDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// --- Jobflow's data: read/write blobs in its own containers only (job records with ETags, logs, bundles, audit).
resource dataContainerContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in dataContainerNames: {
  name: guid(dataContainers[i].id, appPrincipalId, roles.storageBlobDataContributor)
  scope: dataContainers[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}]
// User-delegation SAS (read-only bundle links for edge VMs): Get User Delegation Key is an account-level
// operation (blobServices/generateUserDelegationKey/action), which a container-scoped role cannot grant.
// The Delegator role carries only that action; the SAS itself is still limited to what the containers allow.
resource dataDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, appPrincipalId, roles.storageBlobDelegator)
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDelegator)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// --- Service Bus: receive from `jobs` (the trigger), publish to `jobflow-events`.
resource jobsReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobsQueue.id, appPrincipalId, roles.serviceBusDataReceiver)
  scope: jobsQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
// The Functions docs list Data Owner beside Data Receiver for the trigger: scaling from zero on Flex Consumption
// reads the queue's runtime properties (message count), a manage-level read. Scoped to the one queue.
resource jobsOwnerForScaling 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobsQueue.id, appPrincipalId, roles.serviceBusDataOwner)
  scope: jobsQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
// The notify forwarder receives from the events topic's webhook subscription (Data Receiver, topic scope: the
// narrowest scope the role can be assigned at that still covers the subscription).
resource eventsReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventsTopic.id, appPrincipalId, roles.serviceBusDataReceiver)
  scope: eventsTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
resource eventsSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventsTopic.id, appPrincipalId, roles.serviceBusDataSender)
  scope: eventsTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
resource submitterSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for p in jobSubmitterPrincipalIds: {
  name: guid(jobsQueue.id, p, roles.serviceBusDataSender)
  scope: jobsQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: p
  }
}]

// --- Key Vault: read secret values by name (gateway/ssh passwords, S3 keys, webhook-<caller>). Vault scope: the
// vault is Jobflow's alone and the secret names are data (per caller, per profile).
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
resource vaultDeployerOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
  }
}

// --- Telemetry with Entra ID auth (local auth is disabled on the component).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
