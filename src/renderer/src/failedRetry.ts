// A Retry of the keychain that failed, as the new-secret dialog shows it: main's sentence for why, when, how often.
export interface FailedRetry {
  reason: string;
  /** When the last Retry failed (ISO). */
  at: string;
  /** How many Retries have failed so far. */
  attempts: number;
}
