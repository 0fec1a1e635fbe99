// Jobflow on Azure: everything `azd up` (or `az deployment sub create`) needs, with no portal steps.
// Subscription scope because Jobflow spans resource groups: its own group (app, storage, Service Bus, Key Vault,
// telemetry), the cluster group (clusters, their identity, data lake, VNet) and the edge VMs' group; and because the
// least-privilege custom roles are subscription-level definitions. Walk-through and cost: docs/deploy.md.
targetScope = 'subscription'

// ---------------------------------------------------------------- parameters
@minLength(1)
@maxLength(32)
@description('azd environment name; prefixes resource names and tags everything with azd-env-name.')
param environmentName string

@minLength(1)
@description('Region of Jobflow\'s own resources; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Jobflow\'s own resource group. Default: rg-<env>.')
param resourceGroupName string = ''

@description('Target resource group where clusters are created (JOBFLOW_RESOURCE_GROUP). Default: rg-<env>-clusters.')
param clusterResourceGroupName string = ''

@description('Create the cluster resource group (false = it exists already).')
param createClusterResourceGroup bool = true

@description('Further existing resource groups the reaper watches and may delete clusters in (opt-in via tags).')
param reaperExtraResourceGroupNames array = []

@description('Region of the clusters (JOBFLOW_LOCATION). Default: location.')
param clusterLocation string = ''

@description('Existing ADLS Gen2 account the clusters use as default storage. Empty = create stlake<token> in the cluster group.')
param dataLakeAccountName string = ''

@description('Resource group of an existing data lake account. Default: the cluster group.')
param dataLakeResourceGroupName string = ''

@description('Resource group of the edge VMs. Default: the cluster group.')
param edgeResourceGroupName string = ''

@description('Names of existing edge VMs (DSS, JupyterHub) the app may run commands on. Empty = no edges.')
param edgeVmNames array = []

@description('Caller ids allowed to POST /api/compute-requests; each needs a Key Vault secret webhook-<caller>.')
param allowedWebhookCallers array = []

@description('Object ids of schedulers allowed to send to the jobs queue (Azure Service Bus Data Sender on it).')
param jobSubmitterPrincipalIds array = []

@description('Create jobflow-vnet (subnets app + clusters) in the cluster group and integrate the Function App with it.')
param vnetEnabled bool = false

@description('Existing subnet shared by clusters and edge VMs; overrides the created one.')
param existingClusterSubnetId string = ''

@description('Existing subnet delegated to Microsoft.App/environments for the Function App; overrides the created one.')
param existingAppSubnetId string = ''

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID); gets Key Vault Secrets Officer to seed secrets.')
param principalId string = ''

@description('true = the reaper reports what it would delete and deletes nothing.')
param reaperDryRun bool = false

@allowed([ 2048, 4096 ])
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Flex Consumption scale-out cap. A control plane needs few instances, and a low cap bounds ARM call rates.')
param maximumInstanceCount int = 40

param keyVaultPurgeProtection bool = false

@description('Client id of the Entra ID app registration that signs users into the console (App Service Authentication), with app roles Jobflow.Operator and Jobflow.Reader (docs/console.md). Empty = no console sign-in in Azure; the API is unaffected.')
param consoleAuthClientId string = ''

@secure()
@description('HMAC key of the console\'s CSRF tokens; stored in Key Vault as console-csrf-key (a new one each deployment unless given).')
param consoleCsrfKey string = newGuid()

// ---------------------------------------------------------------- names
var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, application: 'jobflow' }
var appRgName = empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
var clusterRgName = empty(clusterResourceGroupName) ? 'rg-${environmentName}-clusters' : clusterResourceGroupName
var edgeRgName = empty(edgeResourceGroupName) ? clusterRgName : edgeResourceGroupName
var reaperRgNames = union([ clusterRgName ], reaperExtraResourceGroupNames)
var effectiveClusterLocation = empty(clusterLocation) ? location : clusterLocation
var createDataLake = empty(dataLakeAccountName)
var lakeName = createDataLake ? 'stlake${token}' : dataLakeAccountName
var lakeRgName = createDataLake || empty(dataLakeResourceGroupName) ? clusterRgName : dataLakeResourceGroupName
var hasEdges = !empty(edgeVmNames)
var clusterIdentityName = 'jobflow-cluster-identity' // the name the built-in cluster profiles reference
var deploymentContainerName = 'app-package'
// Jobflow's own containers; the names are the defaults of JOBFLOW_*_CONTAINER in shared/config.ts.
var containers = { jobs: 'jobs', logs: 'logs', bundles: 'bundles', audit: 'audit' }
var taskHubName = 'jobflow'

// The cluster subnet, computed from parameters only (module scopes must be known when the deployment starts).
var createdClusterSubnetId = '/subscriptions/${subscription().subscriptionId}/resourceGroups/${clusterRgName}/providers/Microsoft.Network/virtualNetworks/jobflow-vnet/subnets/clusters'
var clusterSubnetId = !empty(existingClusterSubnetId) ? existingClusterSubnetId : (vnetEnabled ? createdClusterSubnetId : '')
var hasClusterSubnet = !empty(clusterSubnetId)
var subnetParts = split(hasClusterSubnet ? clusterSubnetId : '/subscriptions/none/resourceGroups/none/providers/Microsoft.Network/virtualNetworks/none/subnets/none', '/')

// ---------------------------------------------------------------- resource groups
resource appRg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: appRgName
  location: location
  tags: tags
}

resource clusterRg 'Microsoft.Resources/resourceGroups@2021-04-01' = if (createClusterResourceGroup) {
  name: clusterRgName
  location: effectiveClusterLocation
  tags: tags
}

// ---------------------------------------------------------------- least-privilege custom roles
// Cluster lifecycle: the built-in "HDInsight Cluster Operator" is not enough (it reads and edits configurations and
// gateway settings but has no clusters/write or clusters/delete) and "Contributor" is far too broad.
resource clusterLifecycleRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'jobflow-hdinsight-cluster-lifecycle')
  properties: {
    roleName: 'Jobflow HDInsight cluster lifecycle (${environmentName} ${take(token, 6)})'
    description: 'Create, read, re-tag and delete HDInsight clusters; nothing else (no gateway secrets, no script actions).'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.HDInsight/clusters/read'   // get (poll provisioning/cluster state), list by tag (reaper)
          'Microsoft.HDInsight/clusters/write'  // create (idempotent PUT) and tag updates (PATCH)
          'Microsoft.HDInsight/clusters/delete' // teardown and reaping
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [for rg in reaperRgNames: '${subscription().id}/resourceGroups/${rg}']
  }
  dependsOn: [ clusterRg ]
}

// Edge VMs: managed Run Command (v2) create/poll/delete, plus VM read (the run command body needs the VM's region).
resource edgeRunCommandRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (hasEdges) {
  name: guid(subscription().id, environmentName, 'jobflow-edge-run-command')
  properties: {
    roleName: 'Jobflow edge Run Command (${environmentName} ${take(token, 6)})'
    description: 'Create, read and delete managed run commands on a VM, and read the VM. No v1 runCommand action, no VM writes.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Compute/virtualMachines/read'
          'Microsoft.Compute/virtualMachines/runCommands/read'   // poll instanceView (exit code, output tail)
          'Microsoft.Compute/virtualMachines/runCommands/write'  // start a sync script (PUT)
          'Microsoft.Compute/virtualMachines/runCommands/delete' // cancel, and clean up finished run commands
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [ '${subscription().id}/resourceGroups/${edgeRgName}' ]
  }
}

// Subnet join for clusters created in the shared subnet.
resource subnetJoinRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (hasClusterSubnet) {
  name: guid(subscription().id, environmentName, 'jobflow-subnet-join')
  properties: {
    roleName: 'Jobflow subnet join (${environmentName} ${take(token, 6)})'
    description: 'Join a subnet (linked access check when a cluster is created in it) and read it.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Network/virtualNetworks/subnets/read'
          'Microsoft.Network/virtualNetworks/subnets/join/action'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [ '/subscriptions/${subnetParts[2]}/resourceGroups/${subnetParts[4]}' ]
  }
  dependsOn: [ clusterRg ]
}

// ---------------------------------------------------------------- identities
module appIdentity 'modules/identity.bicep' = {
  name: 'jobflow-app-identity'
  scope: appRg
  params: { name: 'id-jobflow-app-${token}', location: location, tags: tags }
}

module clusterIdentity 'modules/identity.bicep' = {
  name: 'jobflow-cluster-identity'
  scope: resourceGroup(clusterRgName)
  params: { name: clusterIdentityName, location: effectiveClusterLocation, tags: tags }
  dependsOn: [ clusterRg ]
}

// ---------------------------------------------------------------- Jobflow's own resources
module monitoring 'modules/monitoring.bicep' = {
  name: 'jobflow-monitoring'
  scope: appRg
  params: {
    logAnalyticsName: 'log-jobflow-${token}'
    applicationInsightsName: 'appi-jobflow-${token}'
    location: location
    tags: tags
  }
}

module hostStorage 'modules/storage.bicep' = {
  name: 'jobflow-host-storage'
  scope: appRg
  params: { name: 'sthost${token}', location: location, tags: tags, containerNames: [ deploymentContainerName ] }
}

module dataStorage 'modules/storage.bicep' = {
  name: 'jobflow-data-storage'
  scope: appRg
  params: {
    name: 'stjf${token}'
    location: location
    tags: tags
    containerNames: [ containers.jobs, containers.logs, containers.bundles, containers.audit ]
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'jobflow-service-bus'
  scope: appRg
  params: { name: 'sb-jobflow-${token}', location: location, tags: tags }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'jobflow-key-vault'
  scope: appRg
  params: { name: 'kv-jf-${token}', location: location, tags: tags, enablePurgeProtection: keyVaultPurgeProtection, consoleCsrfKey: consoleCsrfKey }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'jobflow-network'
  scope: resourceGroup(clusterRgName)
  params: { location: effectiveClusterLocation, tags: tags }
  dependsOn: [ clusterRg ]
}

module dataLake 'modules/storage.bicep' = if (createDataLake) {
  name: 'jobflow-data-lake'
  scope: resourceGroup(clusterRgName)
  params: { name: lakeName, location: effectiveClusterLocation, tags: tags, isHnsEnabled: true }
  dependsOn: [ clusterRg ]
}

// ---------------------------------------------------------------- the Function App
// Every Jobflow setting the code reads is declared in shared/config.ts SETTINGS; test/unit/infra checks that each
// requiredInAzure one is here. No value below is a secret: secrets stay in Key Vault and are read by name.
var jobflowSettings = {
  JOBFLOW_TARGET: 'azure'
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  AZURE_TENANT_ID: tenant().tenantId
  AZURE_CLIENT_ID: appIdentity.outputs.clientId
  JOBFLOW_RESOURCE_GROUP: clusterRgName
  JOBFLOW_REAPER_RESOURCE_GROUPS: join(reaperRgNames, ',')
  JOBFLOW_LOCATION: effectiveClusterLocation
  JOBFLOW_KEY_VAULT_URL: keyVault.outputs.uri
  JOBFLOW_STORAGE_BLOB_URL: dataStorage.outputs.blobEndpoint
  JOBFLOW_SERVICE_BUS_NAMESPACE: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  JOBFLOW_JOBS_QUEUE: serviceBus.outputs.jobsQueueName
  JOBFLOW_EVENTS_TOPIC: serviceBus.outputs.eventsTopicName
  JOBFLOW_WEBHOOK_SUBSCRIPTION: serviceBus.outputs.webhookSubscriptionName
  JOBFLOW_TASK_HUB: taskHubName
  JOBFLOW_EDGE_RESOURCE_GROUP: edgeRgName
  JOBFLOW_EDGE_VMS: join(edgeVmNames, ',')
  JOBFLOW_REAPER_DRY_RUN: reaperDryRun ? 'true' : 'false'
  JOBFLOW_WEBHOOK_CALLERS: join(allowedWebhookCallers, ',')
  JOBFLOW_CLUSTER_IDENTITY_ID: clusterIdentity.outputs.id
  JOBFLOW_DATA_LAKE_ACCOUNT: lakeName
  JOBFLOW_CLUSTER_SUBNET_ID: clusterSubnetId
  JOBFLOW_JOBS_CONTAINER: containers.jobs
  JOBFLOW_LOGS_CONTAINER: containers.logs
  JOBFLOW_BUNDLES_CONTAINER: containers.bundles
  JOBFLOW_AUDIT_CONTAINER: containers.audit
  // The console trusts x-ms-client-principal only in this mode (App Service Authentication sets it, strips forgeries).
  JOBFLOW_CONSOLE_AUTH: 'entra'
  JOBFLOW_CONSOLE_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/console-csrf-key)'
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'jobflow-function-app'
  scope: appRg
  params: {
    name: 'func-jobflow-${token}'
    planName: 'plan-jobflow-${token}'
    location: location
    tags: tags
    identityId: appIdentity.outputs.id
    identityClientId: appIdentity.outputs.clientId
    hostStorageAccountName: hostStorage.outputs.name
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    hostQueueEndpoint: hostStorage.outputs.queueEndpoint
    hostTableEndpoint: hostStorage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    jobflowSettings: jobflowSettings
    consoleAuthClientId: consoleAuthClientId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSubnetId: !empty(existingAppSubnetId) ? existingAppSubnetId : (vnetEnabled ? network.outputs.appSubnetId : '')
  }
  // The host starts as soon as the site exists: its storage and Service Bus roles must be in place first.
  dependsOn: [ appCoreRoles ]
}

// ---------------------------------------------------------------- role assignments (capability -> role -> scope)
module appCoreRoles 'modules/rbac/app-core.bicep' = {
  name: 'jobflow-rbac-app'
  scope: appRg
  params: {
    appPrincipalId: appIdentity.outputs.principalId
    hostStorageAccountName: hostStorage.outputs.name
    dataStorageAccountName: dataStorage.outputs.name
    dataContainerNames: [ containers.jobs, containers.logs, containers.bundles, containers.audit ]
    serviceBusNamespaceName: serviceBus.outputs.name
    jobsQueueName: serviceBus.outputs.jobsQueueName
    eventsTopicName: serviceBus.outputs.eventsTopicName
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    deployerPrincipalId: principalId
    jobSubmitterPrincipalIds: jobSubmitterPrincipalIds
  }
}

module clusterRgRoles 'modules/rbac/cluster-rg.bicep' = [for rg in reaperRgNames: {
  name: 'jobflow-rbac-clusters-${uniqueString(rg)}'
  scope: resourceGroup(rg)
  params: { appPrincipalId: appIdentity.outputs.principalId, clusterRoleDefinitionId: clusterLifecycleRole.id }
  dependsOn: [ clusterRg ]
}]

module clusterIdentityRoles 'modules/rbac/cluster-identity.bicep' = {
  name: 'jobflow-rbac-cluster-identity'
  scope: resourceGroup(clusterRgName)
  params: { appPrincipalId: appIdentity.outputs.principalId, clusterIdentityName: clusterIdentity.outputs.name }
}

module subnetJoinRoles 'modules/rbac/subnet-join.bicep' = if (hasClusterSubnet) {
  name: 'jobflow-rbac-subnet-join'
  scope: resourceGroup(subnetParts[2], subnetParts[4])
  params: {
    appPrincipalId: appIdentity.outputs.principalId
    vnetName: subnetParts[8]
    subnetName: subnetParts[10]
    subnetJoinRoleDefinitionId: subnetJoinRole.id
  }
  dependsOn: [ network ]
}

module edgeRoles 'modules/rbac/edge-vms.bicep' = if (hasEdges) {
  name: 'jobflow-rbac-edges'
  scope: resourceGroup(edgeRgName)
  params: {
    appPrincipalId: appIdentity.outputs.principalId
    edgeVmNames: edgeVmNames
    runCommandRoleDefinitionId: edgeRunCommandRole.id
  }
}

module dataLakeRoles 'modules/rbac/datalake.bicep' = {
  name: 'jobflow-rbac-data-lake'
  scope: resourceGroup(lakeRgName)
  params: { clusterIdentityPrincipalId: clusterIdentity.outputs.principalId, dataLakeAccountName: lakeName }
  dependsOn: [ dataLake ]
}

// ---------------------------------------------------------------- outputs (azd stores them in .azure/<env>/.env)
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = appRg.name
output SERVICE_API_NAME string = functionApp.outputs.name
@description('Base URL of the HTTP API (routePrefix "api" in host.json).')
output JOBFLOW_API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output JOBFLOW_KEY_VAULT_URL string = keyVault.outputs.uri
output JOBFLOW_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output JOBFLOW_RESOURCE_GROUP string = clusterRgName
@description('Referenced by cluster profiles as managedIdentityId (Storage Blob Data Owner on the data lake only).')
output JOBFLOW_CLUSTER_IDENTITY_ID string = clusterIdentity.outputs.id
output JOBFLOW_DATA_LAKE_ACCOUNT string = lakeName
output JOBFLOW_CLUSTER_SUBNET_ID string = clusterSubnetId
output JOBFLOW_APP_IDENTITY_CLIENT_ID string = appIdentity.outputs.clientId
