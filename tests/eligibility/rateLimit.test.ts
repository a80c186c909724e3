// The reports pacer (provider/graph/rateLimit.ts) on a fake clock: never more than 5 requests in
// any 10 s window, measured from the answers, callers served in order; and its setting.
import { expect } from "chai";
import {
  REPORTS_RATE_LIMIT,
  SlidingWindowLimiter,
  isReportPath,
  parseReportRateLimit,
  type LimiterClock,
} from "../../provider/graph";

class FakeClock implements LimiterClock {
  time = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
    // A macrotask, as a real timer is: other callers get to run (and release) meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("reports rate limit", () => {
  it("lets 5 requests through at once, then waits for the window measured from the answers", async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter(REPORTS_RATE_LIMIT, clock);
    const sent: number[] = [];
    for (let i = 0; i < 12; i++) {
      const release = await limiter.acquire();
      sent.push(clock.time);
      clock.time += 100; // each answer takes 100 ms
      release();
    }
    // Any 6 consecutive sends span more than the window after the first's answer.
    for (let i = 5; i < sent.length; i++) {
      expect(sent[i] - (sent[i - 5] + 100)).to.be.greaterThan(REPORTS_RATE_LIMIT.windowMs - 1);
    }
    expect(sent.slice(0, 5)).to.deep.equal([0, 100, 200, 300, 400]);
    expect(limiter.waitedMs).to.be.greaterThan(0);
  });

  it("serves concurrent callers in order and counts in-flight requests", async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ requests: 2, windowMs: 1000 }, clock);
    const order: number[] = [];
    const releases = await Promise.all(
      [0, 1].map(async (i) => {
        const release = await limiter.acquire();
        order.push(i);
        return release;
      }),
    );
    const third = limiter.acquire().then((release) => {
      order.push(2);
      return release;
    });
    // Both slots are in flight: the third waits until one is answered and its window passes.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).to.deep.equal([0, 1]);
    releases[0]();
    releases[1]();
    (await third)();
    expect(order).to.deep.equal([0, 1, 2]);
    expect(clock.time).to.be.greaterThan(1000);
  });

  it("paces only the reports family", () => {
    expect(isReportPath("/reports/authenticationMethods/userRegistrationDetails")).to.equal(true);
    expect(isReportPath("/auditLogs/directoryAudits")).to.equal(true);
    expect(
      isReportPath("https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$skiptoken=x"),
    ).to.equal(true);
    expect(isReportPath("/groups/x/transitiveMembers")).to.equal(false);
    expect(isReportPath("/policies/authenticationMethodsPolicy")).to.equal(false);
  });

  it("reads ENTRA_NUDGE_REPORT_RATE_LIMIT", () => {
    expect(parseReportRateLimit(undefined)).to.equal(undefined);
    expect(parseReportRateLimit("5/10")).to.deep.equal({ requests: 5, windowMs: 10_000 });
    expect(parseReportRateLimit("5/0.5")).to.deep.equal({ requests: 5, windowMs: 500 });
    expect(parseReportRateLimit("off")).to.equal(null);
    expect(() => parseReportRateLimit("fast")).to.throw(/REQUESTS\/SECONDS/);
  });
});
