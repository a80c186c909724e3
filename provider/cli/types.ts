// What every `entra-nudge` subcommand module provides and receives.

/** Where a command writes and what it reads from its surroundings (tests pass their own). */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandModule {
  /** Runs the command with its arguments (after the command name); resolves to the exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}
