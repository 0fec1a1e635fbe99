// One StorageV2 account with shared-key access disabled (Entra ID only) and a list of private containers.
// Used three times: the Functions host account, Jobflow's own data account and (optionally) the clusters' data lake.

@description('Globally unique account name (3-24 lowercase letters and digits).')
param name string
param location string
param tags object = {}
@description('Private blob containers to create.')
param containerNames array = []
@description('true = ADLS Gen2 (hierarchical namespace), for the clusters\' data lake.')
param isHnsEnabled bool = false

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // No account keys: every caller (Functions host, Durable task hub, Jobflow, clusters) uses Entra ID.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    isHnsEnabled: isHnsEnabled
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow' }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: { enabled: true, days: 7 }
    }

    resource containers 'containers' = [for containerName in containerNames: {
      name: containerName
      properties: { publicAccess: 'None' }
    }]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
