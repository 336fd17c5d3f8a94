/**
 * What the version and build directives answer (RTEMS 6 <rtems/version.h>,
 * cpukit/sapi/src/version.c, getversionstring.c, getbuildlabel.c, getcopyrightnotice.c,
 * bsps/shared/start/gettargethash-default.c). This executive is not an RTEMS build: it
 * answers the RTEMS release whose Classic API it follows - RTEMS 6.1, the *RTEMS Classic
 * API Guide* 6.1 its README's coverage tables follow - with its own build label,
 * copyright notice and target hash.
 */
import { base64url, sha256 } from './internal/sha256.js';

/** __RTEMS_MAJOR__ of the followed release (RTEMS 6.1's wscript version table). */
export const RTEMS_VERSION_MAJOR = 6;
/** __RTEMS_MINOR__ of the followed release. */
export const RTEMS_VERSION_MINOR = 1;
/** __RTEMS_REVISION__ of the followed release. */
export const RTEMS_VERSION_REVISION = 0;
/** RTEMS_VERSION: "major.minor.revision". */
export const RTEMS_VERSION = `${RTEMS_VERSION_MAJOR}.${RTEMS_VERSION_MINOR}.${RTEMS_VERSION_REVISION}`;

/** The build label (RTEMS_BUILD_LABEL; RTEMS answers "DEFAULT" without one): this executive. */
export const CPUKIT_BUILD_LABEL = '@paravirt/cpukit';

/** This project's copyright notice (the repository's LICENSE), in place of RTEMS's _Copyright_Notice. */
export const CPUKIT_COPYRIGHT_NOTICE = 'Copyright (c) 2026, the paravirt authors';

/**
 * _RTEMS_version (sapi/src/version.c: "rtems-" RTEMS_VERSION " (" CPU_NAME "/"
 * CPU_MODEL_NAME "/" RTEMS_BSP ")"): here the CPU port's name, "paravirt" as the model and
 * the BSP's name, e.g. `rtems-6.1.0 (sparc/paravirt/native-sparc)`.
 */
export function versionString(cpuName: string, bspName: string): string {
  return `rtems-${RTEMS_VERSION} (${cpuName}/paravirt/${bspName})`;
}

/**
 * The target hash: SHA-256 of the UTF-8 text `<CPU port name>/<BSP name>` (`i386/native-i386`,
 * `sparc/virtualpok`), written as base64url without padding (43 characters), as RTEMS's
 * _Hash_Finalize writes its digest. RTEMS's default BSP hashes the CPU counter frequency
 * (gettargethash-default.c); here the pair of names is what tells one target from another,
 * so the hash is the same on every run of the same architecture and BSP.
 */
export function targetHash(cpuName: string, bspName: string): string {
  return base64url(sha256(new TextEncoder().encode(`${cpuName}/${bspName}`)));
}
