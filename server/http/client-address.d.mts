export declare const CLIENT_ADDRESS_HEADER: string;
export type TrustedProxies = { hops: number; ranges?: undefined } | { ranges: [unknown, number][]; hops?: undefined };
export declare function parseTrustedProxies(setting: string | undefined): TrustedProxies;
export declare function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: TrustedProxies): string | null;
