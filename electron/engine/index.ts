/**
 * The engine: everything the CLI, the Electron shell and browser mode use to drive Docker (or Podman)
 * with the probe. See session-api.ts for the run session contract.
 */
export * from './session-api.js';
export { startRun, startCompose } from './session.js';
export { connectEngine, engineStatus, resolveEndpoint, EngineError, type EngineConnection, type EngineEndpoint, type EngineInfo, type EngineErrorCode } from './connection.js';
export { listImages, validateReference, pullImage } from './images.js';
export { sweepLeftovers } from './cleanup.js';
