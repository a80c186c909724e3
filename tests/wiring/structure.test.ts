// The structure's figures as rules (scripts/structure.ts measures them): no two rooms, and no two
// files, of the package, the emulator, the benchmarks or the scripts import each other round a
// circle, so each room (and file) can be read and changed after the ones it imports.
import { expect } from "chai";
import { measure } from "../../scripts/structure";
import { projectRoot } from "../support/engine";

describe("structure: the imports run one way", () => {
  const figures = measure(projectRoot);

  it("measures the project (its rooms and the arrows between them)", () => {
    expect(figures.rooms).to.be.greaterThan(20);
    expect(figures.arrows).to.be.greaterThan(50);
  });

  it("no arrow between rooms lies on a circle of rooms (no back-arrow)", () => {
    expect(figures.backArrows).to.deep.equal([]);
  });

  it("no import lies on a circle of files", () => {
    expect(figures.fileCircles).to.deep.equal([]);
  });
});
