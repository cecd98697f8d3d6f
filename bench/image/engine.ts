// The engine under test, loaded from src/node.ts.
export interface Detection {
  found: boolean;
  payload: unknown | null;
  score: number;
  bitErrors?: number;
  candidates?: number;
  [k: string]: unknown;
}

export interface EngineApi {
  kind: 'engine';
  embedImage(rgba: Uint8ClampedArray, width: number, height: number, label: unknown, options?: { key?: Uint8Array | null; strength?: number }): Promise<{ rgba: Uint8ClampedArray; payload: unknown; psnr: number }>;
  detectImage(rgba: Uint8ClampedArray, width: number, height: number, options?: { key?: Uint8Array | null }): Promise<Detection>;
  createLabel(fields: { producer: string }): unknown;
  payloadFromLabel(label: unknown, keyed: boolean): unknown;
  preferCoreFlavor?(flavor: string | null): void;
}

export const PRODUCER = '001191440300708461136T1XGW3';

let cached: Promise<EngineApi> | null = null;

export function loadEngine(): Promise<EngineApi> {
  cached ??= (async () => {
    const mod = (await import('../../src/node.ts')) as Record<string, unknown>;
    if (typeof mod.embedImage !== 'function' || typeof mod.detectImage !== 'function') {
      throw new Error('src/node.ts does not export embedImage/detectImage');
    }
    return { kind: 'engine', ...(mod as object) } as unknown as EngineApi;
  })();
  return cached;
}

/** Error code of a typed AigcError, else the message head. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 80);
}
