export { VirtualCpu, type VirtualCpuOptions } from './virtualCpu.js';
