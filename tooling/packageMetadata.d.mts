export interface Repository {
  web: string;
  git: string;
  branch: string;
}
export interface WorkspacePackage {
  dir: string;
  name: string;
  manifest: Record<string, unknown> & { name: string; version: string; private?: boolean; files?: string[] };
}
export declare const root: string;
export declare function canonicalRepository(): Repository;
export declare function workspacePackages(): WorkspacePackage[];
export declare function privatePackages(): string[];
export declare function expectedMetadata(dir: string, name: string, repository?: Repository): Record<string, unknown>;
export declare function portableTarget(dir: string, target: string, shipped: (path: string) => boolean, repository?: Repository): string | undefined;
export declare function repositoryUrl(path: string, repository?: Repository): string;
export declare function shippedBy(manifest: { files?: string[] }): (path: string) => boolean;
export declare function portableReadme(dir: string, text: string, manifest: { files?: string[] }, repository?: Repository): string;
export declare function metadataProblems(pkg: WorkspacePackage, repository?: Repository): string[];
export declare function syncPackage(pkg: WorkspacePackage, repository?: Repository): void;
