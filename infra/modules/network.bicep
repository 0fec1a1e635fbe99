// Optional VNet (vnetEnabled=true): a subnet for the Function App's outbound VNet integration and a subnet shared by
// the HDInsight clusters and the edge VMs. Names match the built-in cluster profiles (jobflow-vnet / clusters).

param location string
param tags object = {}
param vnetName string = 'jobflow-vnet'
param addressPrefix string = '10.60.0.0/16'
param appSubnetPrefix string = '10.60.0.0/24'
param clusterSubnetPrefix string = '10.60.16.0/20'

// HDInsight's resource provider manages the cluster over 443 from the HDInsight service tag (inbound RP
// connection); VNet-internal traffic (edge VMs <-> cluster) is allowed by the default rules.
resource clusterNsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: '${vnetName}-clusters-nsg'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'AllowHDInsightManagement'
        properties: {
          priority: 300
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'HDInsight'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [ addressPrefix ] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          // Flex Consumption VNet integration requires delegation to Microsoft.App/environments.
          delegations: [ { name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } } ]
        }
      }
      {
        name: 'clusters'
        properties: {
          addressPrefix: clusterSubnetPrefix
          networkSecurityGroup: { id: clusterNsg.id }
        }
      }
    ]
  }
}

output vnetId string = vnet.id
output vnetName string = vnet.name
output appSubnetId string = '${vnet.id}/subnets/app'
output clusterSubnetId string = '${vnet.id}/subnets/clusters'
