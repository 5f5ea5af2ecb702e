/** Forecasting waste at scale from a small trial, and the backoff simulator it is checked with. Pure: randomness is passed in. */
export { createPrng, seedOf, type Prng } from "./prng.js";
export { BACKOFFS, startBackoff, type Backoff, type BackoffSpec, type BackoffState } from "./backoff.js";
export { simulateOcc, type OccOptions, type OccResult } from "./occ-simulator.js";
export { parseStrategy, AS_IN_TRIAL, DEFAULT_RETRY_ON, type Strategy } from "./strategy.js";
export { createTrialCollector, categoryOf, type TrialCollector } from "./collect-trial.js";
export { forecast, type Forecast, type ForecastOptions, type GroupFit, type MoneyBand, type StrategyForecast } from "./forecast.js";
export { trialSize, TARGET_PRECISION, MIN_JOBS, NO_WASTE_JOBS, type TrialSize } from "./trial-size.js";
export { wilson, quantile, Moments, type Interval } from "./stats.js";
export type { AttemptSample, GroupTrial, Category } from "./trial.js";
