/**
 * Version of the paravirtualization API (like vercel/ai's `specificationVersion`): bumped
 * on any incompatible change to hypercall numbers, argument layouts, status codes, the
 * vCPU page or the virtual interrupt lines. Guests read it with Hypercall.INFO_API_VERSION
 * and refuse to run on a hypervisor with a different major version.
 */
export const API_VERSION = 1;
