/**
 * Fault injection, for tests only: not part of the public surface (engine/index.ts), and imported
 * only by the test build's worker (workers/test-faults.ts) and the engine's own tests.
 */
export { exhaustDeviceMemory, loseDevice } from './device-faults';
