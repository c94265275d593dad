import { describe, expect, test } from "vitest";
import { createKernels } from "./index.js";
import { chooseRoute, supports, type Route } from "./routes.js";
import "./test-fixtures.js";

describe("choosing a route", () => {
  const only =
    (...routes: Route[]) =>
    (route: Route) =>
      routes.includes(route);

  test("takes the wanted route when the runtime has it", () => {
    expect(chooseRoute("relaxed", only("relaxed", "simd", "js"))).toBe("relaxed");
    expect(chooseRoute("simd", only("relaxed", "simd", "js"))).toBe("simd");
    expect(chooseRoute("js", only("relaxed", "simd", "js"))).toBe("js");
  });

  test("falls back to plain SIMD without relaxed SIMD, and to TypeScript without SIMD", () => {
    expect(chooseRoute("relaxed", only("simd", "js"))).toBe("simd");
    expect(chooseRoute("relaxed", only("js"))).toBe("js");
    expect(chooseRoute("simd", only("js"))).toBe("js");
    expect(chooseRoute("relaxed", only())).toBe("js");
  });

  test("the probes agree with this runtime: Node 20 has SIMD, and relaxed SIMD under the flag set by the fixtures", () => {
    expect(supports("js")).toBe(true);
    expect(supports("simd")).toBe(true);
    expect(supports("relaxed")).toBe(true);
  });

  test("createKernels runs the fastest supported route by default", async () => {
    expect((await createKernels()).route).toBe(chooseRoute("relaxed"));
  });
});
