#!/usr/bin/env node
// Makes `require("pulumi-entra-nudge/...")` resolve inside this repository, as it does in a user's
// project where the package sits in node_modules. The Pulumi engine runs a dynamic provider's
// serialized text with no file name, so Node's self-reference (which needs a file inside the
// package) does not apply, and the provider shims require the implementation by package name.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function linkSelf() {
  const root = path.join(__dirname, "..");
  const link = path.join(root, "node_modules", "pulumi-entra-nudge");
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    if (fs.readlinkSync(link) === "..") return;
    fs.unlinkSync(link);
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  fs.symlinkSync("..", link, "dir");
}

module.exports = { linkSelf };

if (require.main === module) linkSelf();
