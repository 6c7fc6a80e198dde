// What every command group is given: the process's doors (dispatch, server, terminal) and the typed call over them.
import type { Option } from 'commander';
import type { callerOf, ResultCall } from '../shared/api';
import { organisationOption } from './options';
import type { OwnerStatus } from './owner';

export interface CliIo {
  /** Sends an operation to the data folder's owner (started on first use); commands that fail early never reach it. */
  dispatch: ResultCall;
  /** Hears the contract's events (an apply's progress) from the owner. */
  listen(listener: (name: string, payload: unknown) => void): Promise<void>;
  /** Owns the data folder in the foreground until the process is stopped, serving as organisation `orgName`. */
  serve(port: number | undefined, orgName?: string): Promise<void>;
  /** Runs as the background owner a command starts; answers the exit code. */
  runOwner(): Promise<number>;
  /** Who owns the data folder (without starting anyone), as a sentence and as facts. */
  ownerStatus(): Promise<OwnerStatus>;
  /** Stops a background owner; answers what happened in a sentence. */
  stopOwner(): Promise<string>;
  /** All of standard input, for a password that should not stand on the command line. */
  readStdin(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  io: CliIo;
  /** One contract operation through the dispatch; a refusal is thrown as an AppError. */
  call: ReturnType<typeof callerOf>;
  /** Prints a value for `--json`. */
  json: (value: unknown) => void;
  /** `--organisation` for a command that works on one organisation; without `fallback`, the current organisation when left out. */
  organisationOption: (fallback?: string) => Option;
}

export function commandContextOf(io: CliIo): CommandContext {
  return {
    io,
    // The unwrapping module comes with the contract and zod: imported by the first call, not by `--help`.
    call: async (operation, input) => (await import('../shared/api')).callerOf(io.dispatch)(operation, input),
    json: (value) => {
      // Secret IDs (int64) stay strings of digits, so that no JSON reader rounds one past 2^53.
      io.out(JSON.stringify(value, null, 2));
    },
    organisationOption,
  };
}
