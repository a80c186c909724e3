// The one reader of a declaration: what `--stack NAME` means in every command (the stack's
// settings and the resources it declares), and the files that stand in for a stack; and the
// backend's other stacks, for the providers' one-stack-per-singleton check.
export * from "./proposal";
export * from "./read";
export * from "./backend";
