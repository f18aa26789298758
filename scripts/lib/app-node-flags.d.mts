/** Node flags for the app's process: see app-node-flags.mjs. */
export declare const APP_NODE_FLAGS: readonly string[];
