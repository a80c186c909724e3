#!/usr/bin/env node
// Makes sure Debian's chromium is installed: the report test opens the HTML report in a real
// headless browser and must run (never skip) on a fresh machine. When /usr/bin/chromium is
// missing and this process is root on a system with apt-get, it installs the package (apt's own
// progress goes to stderr); otherwise it fails with what to do. ENTRA_NUDGE_CHROMIUM names another
// browser binary to use instead.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");

const DEFAULT_PATH = "/usr/bin/chromium";

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? "")
    .split(":")
    .filter(Boolean)
    .some((dir) => executable(`${dir}/${command}`));
}

/** Runs a command with its output on stderr (stdout stays clean for callers that parse it). */
function run(command, args) {
  process.stderr.write(`ensure-chromium: ${command} ${args.join(" ")}\n`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", process.stderr, process.stderr],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
}

/** Resolves to the chromium binary's path, installing it first when that is possible. */
function ensureChromium() {
  const wanted = process.env.ENTRA_NUDGE_CHROMIUM || DEFAULT_PATH;
  if (executable(wanted)) return wanted;
  if (process.env.ENTRA_NUDGE_CHROMIUM) {
    throw new Error(
      `ENTRA_NUDGE_CHROMIUM is ${wanted}, which is not an executable file. Point it at a Chromium binary or unset it.`,
    );
  }
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !onPath("apt-get")) {
    throw new Error(
      `${DEFAULT_PATH} is missing and cannot be installed from here (${root ? "no apt-get" : "not root"}). ` +
        "Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set ENTRA_NUDGE_CHROMIUM to a Chromium binary.",
    );
  }
  process.stderr.write(
    `ensure-chromium: ${DEFAULT_PATH} is missing; installing Debian's chromium.\n`,
  );
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  if (!executable(DEFAULT_PATH)) {
    throw new Error(`apt-get installed chromium, but ${DEFAULT_PATH} is still missing.`);
  }
  return DEFAULT_PATH;
}

/**
 * Makes sure `jq` is on PATH: the CI templates' shell steps use it (GitHub's runners have it), and
 * the tests run those steps for real rather than skip them.
 */
function ensureJq() {
  if (onPath("jq")) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !onPath("apt-get")) {
    throw new Error(
      "jq is missing and cannot be installed from here: install it with `sudo apt-get install -y jq`.",
    );
  }
  run("apt-get", ["install", "-y", "--no-install-recommends", "jq"]);
  if (!onPath("jq")) throw new Error("apt-get installed jq, but it is still not on PATH.");
}

module.exports = { ensureChromium, ensureJq };

if (require.main === module) {
  try {
    process.stdout.write(`${ensureChromium()}\n`);
  } catch (error) {
    process.stderr.write(`ensure-chromium: ${error.message}\n`);
    process.exit(1);
  }
}
