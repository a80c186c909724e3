// Drift: a stack's declaration compared with what the tenant holds, through the providers' reads
// and the model's one comparison; formatted for terminals, JSON consumers and Markdown.
export * from "./detect";
export * from "./format";
