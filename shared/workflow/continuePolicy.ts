// When the long-running orchestrations cut their history with continueAsNew (pure constants, shared by the
// orchestrations and the tests that prove the bound). Why they matter: the Durable runtime hands an orchestration its
// whole history on every episode and the SDK replays all of it, so an episode costs in proportion to the history's
// length. A durable call (an activity, or a timer) adds about four events; a continue costs one short episode (the
// new execution's start; the inbox drain reads the history and makes no durable call), so the points below trade
// that episode for histories that stay a few dozen events long (measured with `npm run bench:scale`, bench/README.md).

/** The step phase (orchestrations/stepPhase.ts): commands carried out before continuing, at a poll wake-up. */
export const STEP_COMMANDS_BEFORE_CONTINUE = 10;

/**
 * The cluster (orchestrations/clusterLifecycle.ts): durable calls — activities and timer rounds alike — before
 * continuing. Timer rounds count: a cluster that only polls (being created, or a `reuse: never` cluster waiting for
 * its one job) must not replay an ever-longer history on every poll.
 */
export const CLUSTER_CALLS_BEFORE_CONTINUE = 10;
