// Learning-rate schedules: pure functions of the step, no TF.js (the UI draws them live).
export { check, type Schedule } from './schedule';
export { constantSchedule } from './constant';
export { piecewiseSchedule, type PiecewiseOptions } from './piecewise';
export { exponentialSchedule, decayRateFor, type ExponentialOptions } from './exponential';
export { cosineSchedule, type CosineOptions } from './cosine';
export { linearSchedule, withWarmup, type LinearOptions } from './warmup';
export { join } from './join';
export { wsdSchedule, DECAY_SHAPES, type DecayShape, type WsdOptions } from './wsd';
export {
  powerSchedule,
  powerLr,
  powerDecay,
  calibratePowerA,
  type PowerOptions,
  type PowerLawOptions,
} from './power';
export { oneCycleSchedule, type OneCycleOptions } from './one-cycle';
export { scaleSchedule } from './scale';
export {
  ScheduleConfigSchema,
  SCHEDULES,
  SCHEDULE_DEFAULTS,
  parseScheduleConfig,
  type ScheduleConfig,
  type ScheduleConfigOf,
  type ScheduleKind,
} from './schema';
export { SCHEDULE_INFO, type ScheduleInfo } from './info';
