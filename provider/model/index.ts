// The model: pure functions (no I/O, no Pulumi runtime) that the resources, drift, impact and
// export features share — one normalizer per object, one place for defaults, one comparison.
export * from "./types";
export * from "./ids";
export * from "./defaults";
export * from "./validation";
export * from "./compare";
export * from "./campaign";
export * from "./authenticator";
export * from "./passkey";
export * from "./pilotGroup";
export {
  declaredTargets,
  missingTargetProblems,
  newTargets,
  targetTypeProblems,
  type DeclaredTarget,
  type TargetObject,
} from "./targets";
export * from "./check";
export * from "./changes";
export * from "./externalChange";
export * from "./restore";
export * from "./sharedSingleton";
export * from "./cloud";
export * from "./eligibility";
export * from "./methodConfigurations";
export * from "./population";
export * from "./methodLoss";
