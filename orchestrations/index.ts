// Registers every orchestration with the Durable runtime (imported once by functions/index.ts).
import "./jobRun";
import "./clusterLifecycle";
import "./edgeSync";
import "./lease";
import "./schedule";
import "./webhookDelivery";
import "./backfill";
