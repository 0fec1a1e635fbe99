// Pure builders (no Node built-ins; orchestrations may import them): cluster names, the HDInsight create request,
// Livy batch bodies with secret references, and the edge sync script with its Run Command request.
export * from "./sha256";
export * from "./clusterName";
export * from "./clusterRequest";
export * from "./livyBatch";
export * from "./edgeSyncScript";
export * from "./edgeRunCommand";
