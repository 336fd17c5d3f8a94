export declare const layers: Record<string, { side: 'board' | 'guest' | 'host' | 'contract' | 'app'; allowed: string[] }>;
export declare const scope: string;
export declare function shortName(npmName: string): string | undefined;
export declare function violations(pkg: string, deps: string[]): string[];
