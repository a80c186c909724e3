// The `entra-nudge` command run in this process, as the bin runs it, with what it printed kept.
import { main } from "../../provider/cli";
import { projectRoot } from "./engine";

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `entra-nudge <args>` in this process, as the bin does. */
export async function entraNudge(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = projectRoot,
): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
