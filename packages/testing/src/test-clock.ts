/** A clock tests can move: milliseconds since the epoch, like `Date.now`. */
export function createTestClock(start = Date.now()) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}

export type TestClock = ReturnType<typeof createTestClock>;
