export { type Agent, createAgent, decodeEntities, readForm, scopeChoices } from './http-agent';
export {
  authorizeThroughPages,
  basic,
  type CodeRequest,
  type ConsentOptions,
  clientCredentialsToken,
  getCode,
  postToken,
  rfcChallenge,
  rfcVerifier,
  signInForTokens,
} from './oauth-flow';
export { makeTempDir } from './temp-dir';
export { createTestClock, type TestClock } from './test-clock';
