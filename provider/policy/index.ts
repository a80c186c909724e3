// The guardrails policy pack: its rules as pure functions (tested without an engine), their
// settings, and the @pulumi/policy wiring. A policy pack's entry point calls
// startGuardrailsPolicyPack(); policy/ in this package is one, ready to use.
export * from "./config";
export * from "./rules";
export * from "./pack";
