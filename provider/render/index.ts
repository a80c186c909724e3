// What the commands share to show results to people: reviewer words for properties and values,
// display names of the ids named, text tables and Markdown escaping, the progress chart.
export * from "./adoption";
export * from "./chart";
export * from "./names";
export * from "./overwrites";
export * from "./text";
export * from "./words";
