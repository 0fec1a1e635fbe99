// Key Vault in RBAC mode (no access policies): cluster gateway/ssh passwords, S3 keys and webhook secrets. The app
// reads secrets by name from activities; no secret is ever copied into an app setting.

param name string
param location string
param tags object = {}
param tenantId string = tenant().tenantId
@description('Purge protection cannot be turned off again; leave false for throw-away environments.')
param enablePurgeProtection bool = false

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForTemplateDeployment: false
    enabledForDiskEncryption: false
    publicNetworkAccess: 'Enabled'
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow' }
  }
}

@secure()
@description('HMAC key of the console\'s CSRF tokens (read by the app through a Key Vault reference).')
param consoleCsrfKey string

resource consoleCsrfSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'console-csrf-key'
  properties: { value: consoleCsrfKey, contentType: 'text/plain' }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
