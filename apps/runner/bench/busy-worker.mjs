// The periodic partition of the busy bench module (busy.mjs, busy.yaml).
export { worker as default } from './busy.mjs';
