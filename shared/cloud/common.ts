// Options every cloud-client method accepts. Kept tiny and SDK-free so orchestration-facing code can name the types.

/** Per-call options: every method of every cloud interface accepts these as its last argument. */
export interface CallOptions {
  /** Cancels the call (and any retry wait inside it); the promise rejects with an error named "AbortError". */
  abortSignal?: AbortSignal;
}
