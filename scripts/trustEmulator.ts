// The entry point of a script that talks to the embedded Graph emulator over HTTPS (npm start, npm
// run faults, npm run bench). The emulator's CA must be trusted by the script's process and by every
// process it starts (the engine's provider processes, `entra-nudge` commands), and Node.js reads
// NODE_EXTRA_CA_CERTS only at start-up: without it, the script runs itself again with it (as
// scripts/run-tests.js starts mocha with it). Exits explicitly with main's code: keep-alive sockets
// of the Graph client must not hold the process open.
import { spawnSync } from "node:child_process";
import { ensureCertificateAuthority } from "../emulator/index";

export function runTrustingEmulator(main: () => Promise<number>, failure: string): void {
  const ca = ensureCertificateAuthority();
  if (process.env.NODE_EXTRA_CA_CERTS !== ca.caCertPath) {
    const child = spawnSync(process.execPath, process.argv.slice(1), {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCertPath },
    });
    process.exit(child.status ?? 1);
  }
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${failure}: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
