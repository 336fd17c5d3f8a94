// The interrupt-driven partition of the busy bench module (busy.mjs, busy.yaml).
export { interruptDriven as default } from './busy.mjs';
