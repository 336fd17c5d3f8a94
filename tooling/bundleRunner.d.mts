export declare function bundleRunner(outdir?: string): Promise<string>;
