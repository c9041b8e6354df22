import { TOKEN_STATE_TTL_MS } from '../../src/oauth/token-state-cache';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The answer to `ask` once a change made outside the server (another instance, the CLI) at
 * `since` (`performance.now()`) must show in its Matomo API: the Bearer check remembers a token
 * for at most `TOKEN_STATE_TTL_MS`. Asks until `refused` holds or the bound has passed; the answer
 * to a request started after the bound is the one the bound promises.
 */
export async function answerOnceBoundPassed<T>(
  since: number,
  ask: () => Promise<T>,
  refused: (answer: T) => boolean,
): Promise<T> {
  for (;;) {
    const started = performance.now();
    const answer = await ask();
    if (refused(answer) || started - since > TOKEN_STATE_TTL_MS + 50) return answer;
    await sleep(25);
  }
}
