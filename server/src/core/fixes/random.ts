/** 32 random bytes as hex, like `secrets.token_hex(32)`. Drawn once, when a fix is applied. */
export function randomSecret(): string {
  return randomHex(32);
}

/** `count` random bytes in hex, from Web Crypto (loaded on first use, not at start-up). */
export function randomHex(count: number): string {
  const bytes = new Uint8Array(count);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
