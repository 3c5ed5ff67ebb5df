/** Types of chromium.mjs, for the TypeScript scripts that launch the browser. */
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
