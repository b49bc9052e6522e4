/** 32 random bytes as hex, like `secrets.token_hex(32)`. Drawn once, when a fix is applied. */
export function randomSecret(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
