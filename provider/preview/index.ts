// The preview summary: a stack's `pulumi preview` as the words a reviewer reads, dangerous changes
// first, with the optional impact numbers.
export * from "./impact";
export * from "./parse";
export * from "./summarize";
export * from "./summary";
