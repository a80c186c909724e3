// Drift detection and preview summaries: built on the providers' reads and the model's one
// comparison; formatting for terminals, JSON consumers and Markdown (job summaries, comments).
export * from "./declaration";
export * from "./detect";
export * from "./errors";
export * from "./format";
export * from "./impact";
export * from "./pool";
export * from "./preview";
export * from "./summary";
export * from "./words";
