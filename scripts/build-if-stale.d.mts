export declare const root: string;
/** Why a build is needed, or undefined when dist/ is up to date. */
export declare function staleReason(): string | undefined;
/** Runs `npm run build` when needed; throws when the build fails. Answers whether it built. */
export declare function buildIfStale(log?: (line: string) => void): boolean;
