#!/usr/bin/env node
// Runs the mocha suites. The emulator's CA certificate must be trusted by every process that talks
// to it (the tests themselves, the Pulumi engine's provider processes), and Node.js reads
// NODE_EXTRA_CA_CERTS only at start-up, so the CA is created (or reused from its cache) first and
// mocha is started with it in the environment. The Pulumi engine is provided (built on first use)
// before mocha too, so no test times out on a build, and its path reaches the tests as
// ENTRA_NUDGE_PULUMI. Without an engine the run fails: engine tests are never skipped.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ensureCertificateAuthority } = require("../dist/emulator/tls.js");
const { provideEngine } = require("../dist/scripts/engine.js");
const { ensureChromium, ensureJq } = require("./ensure-chromium.js");

// `npm install <package>` prunes the self-link that `npm install` (prepare) creates; without it the
// engine's provider processes cannot load this package, so every engine test would fail obscurely.
require("./link-self.js").linkSelf();

async function main() {
  let engine;
  try {
    engine = await provideEngine();
    // The consumer-project tests run `runtime: nodejs` projects through this host.
    console.log(`Tests use pulumi ${engine.version}; ${engine.languageHostNote}.`);
  } catch (error) {
    console.error(`Cannot run the tests: ${error.message}`);
    return 1;
  }
  // The HTML report is checked in a real headless browser (installed here on a fresh machine).
  try {
    ensureChromium();
    ensureJq();
  } catch (error) {
    console.error(`Cannot run the tests: ${error.message}`);
    return 1;
  }
  const ca = ensureCertificateAuthority();
  const trusted = withExtraCertificates(ca.caCertPath, process.env.NODE_EXTRA_CA_CERTS);
  const mocha = require.resolve("mocha/bin/mocha.js");
  const specs = process.argv.length > 2 ? process.argv.slice(2) : ["dist/tests/**/*.test.js"];
  const result = spawnSync(process.execPath, [mocha, ...specs], {
    cwd: path.join(__dirname, ".."),
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: trusted,
      ENTRA_NUDGE_PULUMI: engine.pulumiPath,
    },
  });
  return result.status ?? 1;
}

/**
 * The emulator's CA plus the certificates NODE_EXTRA_CA_CERTS named before (a machine whose package
 * registry is reached through a TLS proxy trusts that proxy this way): the tests' own `npm install`
 * calls (consumer projects, Node.js downloads) must still reach the registry. Rewritten each run.
 */
function withExtraCertificates(caCertPath, extra) {
  if (!extra || path.resolve(extra) === path.resolve(caCertPath) || !fs.existsSync(extra)) {
    return caCertPath;
  }
  const combined = path.join(path.dirname(caCertPath), "ca-and-extra.pem");
  const temp = `${combined}.${process.pid}.tmp`;
  fs.writeFileSync(
    temp,
    `${fs.readFileSync(caCertPath, "utf8")}\n${fs.readFileSync(extra, "utf8")}`,
  );
  fs.renameSync(temp, combined);
  return combined;
}

main().then((code) => process.exit(code));
