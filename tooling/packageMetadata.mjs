// What every published package's metadata must be, derived from ONE place: the root
// package.json's `repository` (the project's canonical repository URL) and the changesets
// base branch. tooling/packaging.test.ts checks every package against it; when the URL
// changes, edit the root package.json and run `pnpm sync:packages` (this file with
// --write), which rewrites the per-package fields and the README links.
//
//   node tooling/packageMetadata.mjs           report what differs (exit 1 if anything)
//   node tooling/packageMetadata.mjs --write   fix it
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Keywords every package carries, then each package's own (by folder name). */
const COMMON_KEYWORDS = ['rtems', 'arinc-653', 'paravirtualization', 'hypervisor', 'simulator'];
const OWN_KEYWORDS = {
  machine: ['virtual-time', 'discrete-event', 'board'],
  'cpu-i386': ['i386', 'x86', 'processor-model'],
  'cpu-sparc': ['sparc', 'leon3', 'processor-model'],
  'paravirt-api': ['hypercall', 'vcpu'],
  'kernel-core': ['partitioning', 'separation-kernel'],
  'libcpu-native': ['libcpu', 'interrupts'],
  'libcpu-virtual': ['libcpu', 'interrupts', 'hypercall'],
  cpukit: ['rtos', 'classic-api', 'scheduler'],
  'bsp-native': ['bsp', 'pc386', 'leon3'],
  'bsp-virtualpok': ['bsp', 'virtualpok', 'pok'],
  samples: ['rtems-samples'],
  'pok-kernel': ['pok', 'separation-kernel'],
  'air-kernel': ['air', 'separation-kernel'],
  compose: ['browser'],
  runner: ['cli'],
};

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * The canonical repository, from the root package.json: `web` (https://host/owner/name,
 * for links), `git` (the package.json `repository.url` form) and `branch`.
 */
export function canonicalRepository() {
  const manifest = readJson(join(root, 'package.json'));
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (typeof url !== 'string') throw new Error('package.json: repository.url is missing (the canonical repository URL)');
  const web = url.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/$/, '');
  if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+$/.test(web)) throw new Error(`package.json: repository.url ${url} is not git+https://HOST/OWNER/NAME.git`);
  const changesets = readJson(join(root, '.changeset/config.json'));
  return { web, git: `git+${web}.git`, branch: changesets.baseBranch ?? 'main' };
}

/**
 * Every published workspace package: folder relative to the root (posix), short name,
 * manifest. A `private` one (the playground, a static web app) is not published and has
 * none of this metadata; `privatePackages()` names them.
 */
export function workspacePackages() {
  return allWorkspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** The npm names of the private workspace packages (never packed or published). */
export function privatePackages() {
  return allWorkspacePackages()
    .filter((pkg) => pkg.manifest.private === true)
    .map((pkg) => pkg.manifest.name);
}

function allWorkspacePackages() {
  return ['packages', 'apps'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'package.json')))
          .map((entry) => ({
            dir: `${group}/${entry.name}`,
            name: entry.name,
            manifest: readJson(join(root, group, entry.name, 'package.json')),
          }))
      : [],
  );
}

/** The metadata fields a package must have, exactly. */
export function expectedMetadata(dir, name, repository = canonicalRepository()) {
  return {
    repository: { type: 'git', url: repository.git, directory: dir },
    homepage: `${repository.web}/tree/${repository.branch}/${dir}#readme`,
    bugs: { url: `${repository.web}/issues` },
    keywords: [...COMMON_KEYWORDS, ...(OWN_KEYWORDS[name] ?? [])],
    publishConfig: { access: 'public' },
  };
}

/** Inline markdown links and images: [text](target) / ![alt](target). */
const LINK = /(!?\[[^\]]*\]\()([^)\s]+)(\))/g;

/**
 * Where a README link points, seen from outside the repository. Absolute URLs and anchors
 * are fine; a relative link works only if the file is in the package's tarball
 * (`shipped(path)`), else it becomes a URL on the repository.
 * @returns {string | undefined} the replacement target, undefined if the link is fine
 */
export function portableTarget(dir, target, shipped, repository = canonicalRepository()) {
  if (target.startsWith('#')) return undefined;
  const [path, anchor = ''] = target.split(/(?=#)/);
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    // A link into this repository written for another URL (before the canonical one changed).
    const match = /^https:\/\/[^/]+\/[^/]+\/[^/]+\/(?:blob|tree)\/[^/]+\/(.+)$/.exec(path);
    if (!match || !existsSync(join(root, match[1]))) return undefined;
    const canonical = repositoryUrl(match[1], repository) + anchor;
    return canonical === target ? undefined : canonical;
  }
  const fromRoot = normalize(join(dir, path)).replaceAll('\\', '/');
  const inPackage = !relative(dir, fromRoot).startsWith('..');
  if (inPackage && shipped(relative(dir, fromRoot).replaceAll('\\', '/'))) return undefined;
  return repositoryUrl(fromRoot, repository) + anchor;
}

/** The web URL of a file or folder of the repository (path relative to the root). */
export function repositoryUrl(path, repository = canonicalRepository()) {
  return `${repository.web}/${isDirectory(join(root, path)) ? 'tree' : 'blob'}/${repository.branch}/${path}`;
}

function isDirectory(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Whether `path` (relative to the package) is in its tarball, from `files` (plus what npm always ships). */
export function shippedBy(manifest) {
  const files = manifest.files ?? [];
  return (path) =>
    /^(README|LICENSE|LICENCE|CHANGELOG)(\.md)?$/i.test(path) ||
    path === 'package.json' ||
    files.some((entry) => path === entry || path.startsWith(`${entry.replace(/\/$/, '')}/`));
}

/** The README with every non-portable link rewritten. */
export function portableReadme(dir, text, manifest, repository = canonicalRepository()) {
  const shipped = shippedBy(manifest);
  return text.replace(LINK, (whole, open, target, close) => {
    const replacement = portableTarget(dir, target, shipped, repository);
    return replacement === undefined ? whole : `${open}${replacement}${close}`;
  });
}

/**
 * What `files` must list: the build, and the documents a user reads on npm. (npm-packlist
 * adds README and LICENSE by itself but not every tool does for CHANGELOG; the root LICENSE
 * is added by pnpm pack/publish, see the README's Development section.)
 */
const REQUIRED_FILES = ['dist', 'README.md', 'CHANGELOG.md'];

function missingFiles(manifest) {
  return REQUIRED_FILES.filter((file) => !(manifest.files ?? []).includes(file));
}

/** Every problem with one package's metadata and README, as messages. */
export function metadataProblems(pkg, repository = canonicalRepository()) {
  const problems = [];
  const expected = expectedMetadata(pkg.dir, pkg.name, repository);
  for (const [field, value] of Object.entries(expected)) {
    if (JSON.stringify(pkg.manifest[field]) !== JSON.stringify(value)) {
      problems.push(`${pkg.dir}/package.json: ${field} should be ${JSON.stringify(value)} (pnpm sync:packages)`);
    }
  }
  const missing = missingFiles(pkg.manifest);
  if (missing.length > 0) problems.push(`${pkg.dir}/package.json: files should list ${missing.join(', ')} (pnpm sync:packages)`);
  const readmePath = join(root, pkg.dir, 'README.md');
  if (existsSync(readmePath)) {
    const text = readFileSync(readmePath, 'utf8');
    for (const [, , target] of text.matchAll(LINK)) {
      const path = target.split('#')[0];
      if (path && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !existsSync(join(root, pkg.dir, path))) {
        problems.push(`${pkg.dir}/README.md: link ${target} points at nothing in the repository`);
      }
      const replacement = portableTarget(pkg.dir, target, shippedBy(pkg.manifest), repository);
      if (replacement !== undefined) problems.push(`${pkg.dir}/README.md: link ${target} breaks outside the repository; use ${replacement} (pnpm sync:packages)`);
    }
  }
  return problems;
}

/** Writes the expected fields (in a stable place: after `license`) and portable README links. */
export function syncPackage(pkg, repository = canonicalRepository()) {
  const path = join(root, pkg.dir, 'package.json');
  // Read again right before writing: other fields may have changed since workspacePackages().
  const manifest = readJson(path);
  const expected = expectedMetadata(pkg.dir, pkg.name, repository);
  const out = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (key in expected) continue;
    out[key] = value;
    if (key === 'license') Object.assign(out, { repository: expected.repository, homepage: expected.homepage, bugs: expected.bugs, keywords: expected.keywords });
  }
  for (const [key, value] of Object.entries(expected)) if (!(key in out)) out[key] = value;
  out.files = [...(out.files ?? []), ...missingFiles(out)];
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
  const readmePath = join(root, pkg.dir, 'README.md');
  if (existsSync(readmePath)) {
    const text = readFileSync(readmePath, 'utf8');
    const portable = portableReadme(pkg.dir, text, out, repository);
    if (portable !== text) writeFileSync(readmePath, portable);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  const repository = canonicalRepository();
  let count = 0;
  for (const pkg of workspacePackages()) {
    const problems = metadataProblems(pkg, repository);
    if (problems.length === 0) continue;
    count += problems.length;
    if (write) syncPackage(pkg, repository);
    else for (const problem of problems) console.log(problem);
  }
  console.log(write ? `synced (${count} difference(s) fixed)` : `${count} difference(s)`);
  process.exit(!write && count > 0 ? 1 : 0);
}
