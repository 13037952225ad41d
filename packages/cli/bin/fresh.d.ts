/** Whether the compiled command in `dist` still matches its sources (see fresh.js). */
export declare const isBuildFresh: (dist: string) => boolean;
