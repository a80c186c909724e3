// The policy pack's entry point. The engine runs it with this directory as the working directory;
// the rules are the package's compiled code (provider/policy), so this file holds no logic.
"use strict";
require("../dist/provider/policy/pack.js").startGuardrailsPolicyPack();
