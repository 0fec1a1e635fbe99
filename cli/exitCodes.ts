// The exit codes of `jobflow`, one meaning each (docs/cli.md "Exit codes"), so a scheduler running
// `jobflow submit job.json --wait` can tell a typo on its own command line from a job that ran and partly failed.
export const EXIT = {
  /** Done; for `submit --wait`: the job succeeded. */
  ok: 0,
  /** The input was invalid, the API refused or could not be reached; for `submit --wait`: the job failed or was cancelled. */
  failed: 1,
  /** Usage error: unknown command or option, missing or malformed argument. Nothing was done. */
  usage: 2,
  /** `submit --wait`: the job completed with failures (a CONTINUE step failed, the others ran). */
  completedWithFailures: 3,
  /** `submit --wait` interrupted (Ctrl-C): the job keeps running. 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
