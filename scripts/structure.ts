// The structure in figures, from the imports alone: rooms (the package's and the emulator's
// top-level folders and files, and each other source folder), the arrows between rooms, the arrows
// that close a circle (a room that reaches back to one that reaches it), the circles between files,
// and the lines in each room. `node dist/scripts/structure.js [--json]` from the repository.
import * as fs from "node:fs";
import * as path from "node:path";

/** The folders whose imports are measured; tests and examples only use the others. */
export const MEASURED_DIRS = ["provider", "emulator", "bench", "scripts", "policy"];
/** Folders whose sub-folders (and loose files) are rooms of their own. */
const SPLIT_DIRS = new Set(["provider", "emulator"]);

export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every module specifier the file names: import/export ... from, import(), require(). */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

/** The source file a relative specifier names, or undefined (another package, or not found). */
export function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(file), specifier).replace(/\.(js|ts)$/, "");
  for (const candidate of [`${base}.ts`, `${base}.js`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The room a file lives in, e.g. "provider/drift", "provider/config", "bench". */
export function roomOf(root: string, file: string): string {
  const parts = path.relative(root, file).split(path.sep);
  if (!SPLIT_DIRS.has(parts[0]) || parts.length < 2) return parts[0];
  // A loose file is a room with its own name; cli.ts and cli/ are one room.
  return `${parts[0]}/${parts[1].replace(/\.(ts|js)$/, "")}`;
}

export interface Structure {
  rooms: number;
  arrows: number;
  /** Arrows between rooms that lie on a circle of rooms. */
  backArrows: string[];
  /** Imports between files that lie on a circle of files. */
  fileCircles: string[];
  linesByRoom: Record<string, number>;
}

/** Arrows (from → to) that lie on a cycle: both ends in one strongly connected component. */
function arrowsOnCircles(edges: Map<string, Set<string>>): [string, string][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, components);
      } while (member !== node);
      components++;
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  const found: [string, string][] = [];
  for (const [from, tos] of edges) {
    for (const to of tos) {
      if (from !== to && component.get(from) === component.get(to)) found.push([from, to]);
    }
  }
  return found.sort();
}

export function measure(root: string): Structure {
  const files = MEASURED_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir)));
  const fileEdges = new Map<string, Set<string>>();
  const roomEdges = new Map<string, Set<string>>();
  const linesByRoom: Record<string, number> = {};
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const room = roomOf(root, file);
    linesByRoom[room] = (linesByRoom[room] ?? 0) + text.split("\n").length - 1;
    if (!roomEdges.has(room)) roomEdges.set(room, new Set());
    const rel = path.relative(root, file);
    if (!fileEdges.has(rel)) fileEdges.set(rel, new Set());
    for (const specifier of specifiersOf(text)) {
      const to = resolveSpecifier(file, specifier);
      if (!to) continue;
      fileEdges.get(rel)!.add(path.relative(root, to));
      const toRoom = roomOf(root, to);
      if (toRoom !== room) roomEdges.get(room)!.add(toRoom);
    }
  }
  const arrows = [...roomEdges.values()].reduce((sum, tos) => sum + tos.size, 0);
  return {
    rooms: roomEdges.size,
    arrows,
    backArrows: arrowsOnCircles(roomEdges).map(([a, b]) => `${a} → ${b}`),
    fileCircles: arrowsOnCircles(fileEdges).map(([a, b]) => `${a} → ${b}`),
    linesByRoom,
  };
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..", "..");
  const figures = measure(fs.existsSync(path.join(root, "provider")) ? root : process.cwd());
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    const providerRooms = Object.keys(figures.linesByRoom).filter((r) => r.startsWith("provider/"));
    console.log(`rooms: ${figures.rooms} (provider/: ${providerRooms.length})`);
    console.log(`arrows between rooms: ${figures.arrows}`);
    console.log(`back-arrows (on a circle of rooms): ${figures.backArrows.length}`);
    for (const arrow of figures.backArrows) console.log(`  ${arrow}`);
    console.log(`imports on a circle of files: ${figures.fileCircles.length}`);
    for (const arrow of figures.fileCircles) console.log(`  ${arrow}`);
    for (const room of ["provider/drift", "provider/preview", "provider/present"]) {
      if (figures.linesByRoom[room]) console.log(`lines in ${room}/: ${figures.linesByRoom[room]}`);
    }
  }
}
