// SHA-256 for names and digests: cluster names, run-command names, profile hashes, script digests. Builders run
// inside orchestrations, which may not import Node built-ins (node:crypto), so the digest comes from @noble/hashes:
// an audited, maintained, dependency-free pure-JS implementation that is deterministic and runs anywhere.
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256(input: string | Uint8Array): Uint8Array {
  return nobleSha256(typeof input === "string" ? utf8ToBytes(input) : input);
}

/** Lower-case hex SHA-256. */
export function sha256Hex(input: string | Uint8Array): string {
  return bytesToHex(sha256(input));
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * The first `length` characters of the RFC 4648 base32 encoding (lower case, no padding) of SHA-256(input):
 * 5 bits per character, letters and digits 2–7 only, so it is safe in DNS labels and resource names.
 */
export function shortHash(input: string, length = 10): string {
  if (!Number.isInteger(length) || length < 1 || length > 51) throw new RangeError(`shortHash length ${length} out of 1..51`);
  const digest = sha256(input);
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}
