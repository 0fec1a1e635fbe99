// The Jobflow Function App on the Flex Consumption plan (FC1, Linux, Node 22, Functions v4). The runtime is set in
// functionAppConfig; Flex rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE
// app settings, so none are set. The code package lives in a blob container read with the app's identity.

param name string
param planName string
param location string
param tags object = {}
@description('Resource id of the app\'s user-assigned identity.')
param identityId string
@description('Client id of that identity (identity-based connections and DefaultAzureCredential).')
param identityClientId string
param hostStorageAccountName string
param hostBlobEndpoint string
param hostQueueEndpoint string
param hostTableEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string
@description('Jobflow settings (names from shared/config.ts SETTINGS). Never secrets: see infra/main.bicep.')
param jobflowSettings object
@allowed([ 2048, 4096 ])
param instanceMemoryMB int = 2048
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40
@description('Subnet (delegated to Microsoft.App/environments) for outbound VNet integration; empty = none.')
param appSubnetId string = ''
@description('Entra ID app registration (client id) for App Service Authentication in front of the console; empty = off.')
param consoleAuthClientId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy the `api` service to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'node', version: '22' }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(jobflowSettings, {
      // Functions host + Durable task hub storage: identity-based, no key (the account refuses shared keys).
      AzureWebJobsStorage__accountName: hostStorageAccountName
      AzureWebJobsStorage__blobServiceUri: hostBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: hostQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: hostTableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      // Service Bus trigger connection `ServiceBusConnection`: identity-based.
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    })
  }

  // App Service Authentication (Entra ID) for the console: it signs users in and hands the app
  // x-ms-client-principal with their app roles (Jobflow.Operator / Jobflow.Reader), which the console checks per
  // route. Anonymous requests still reach the app: the function-key API and the Functions runtime need that, and
  // every console route refuses a request without a principal carrying a Jobflow role.
  resource authSettings 'config' = if (!empty(consoleAuthClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: { enabled: true }
      globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' }
      httpSettings: { requireHttps: true }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            clientId: consoleAuthClientId
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          }
          validation: { allowedAudiences: [ 'api://${consoleAuthClientId}', consoleAuthClientId ] }
        }
      }
      login: { tokenStore: { enabled: false } }
    }
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
