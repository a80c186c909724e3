// The one reader of a declaration: what `--stack NAME` means in every command (the stack's
// settings and the resources it declares), and the files that stand in for a stack.
export * from "./proposal";
export * from "./read";
