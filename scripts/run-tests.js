#!/usr/bin/env node
// Runs the mocha suites. The emulator's CA certificate must be trusted by every process that talks
// to it (the tests themselves, the Pulumi engine's provider processes), and Node.js reads
// NODE_EXTRA_CA_CERTS only at start-up, so the CA is created (or reused from its cache) first and
// mocha is started with it in the environment.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { ensureCertificateAuthority } = require("../dist/emulator/tls.js");

const ca = ensureCertificateAuthority();
const mocha = require.resolve("mocha/bin/mocha.js");
const specs = process.argv.length > 2 ? process.argv.slice(2) : ["dist/tests/**/*.test.js"];
const result = spawnSync(process.execPath, [mocha, ...specs], {
  cwd: path.join(__dirname, ".."),
  stdio: "inherit",
  env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCertPath },
});
process.exit(result.status ?? 1);
