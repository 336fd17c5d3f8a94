export interface Layer {
  side: 'board' | 'guest' | 'host' | 'contract' | 'app';
  allowed: string[];
  testOnly?: string[];
}
export declare const layers: Record<string, Layer>;
export declare const scope: string;
export declare const testFileGlob: string;
export declare function isTestFile(path: string): boolean;
export declare function shortName(npmName: string): string | undefined;
export declare function workspaceSpecifier(specifier: string): { name: string; entry: string } | undefined;
export declare function violations(pkg: string, deps: string[], where?: 'source' | 'test' | 'devDependencies'): string[];
