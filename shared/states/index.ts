// State machines as data (job, step, cluster), ActionOnFailure effects and the Livy / HDInsight state
// classifications. Pure; orchestrations may import it.
export * from "./machine";
export * from "./job";
export * from "./step";
export * from "./cluster";
export * from "./edge";
export * from "./lease";
export * from "./actionOnFailure";
export * from "./livy";
export * from "./hdinsight";
export * from "./backfill";
