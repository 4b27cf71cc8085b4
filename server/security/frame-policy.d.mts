export declare const FRAME_OPTIONS: string;
export declare const HSTS: string;
export declare const API_CSP: string;
