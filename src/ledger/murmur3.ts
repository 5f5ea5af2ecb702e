/**
 * MurmurHash3 x86_128 (Austin Appleby's public-domain reference), over bytes. Not cryptographic:
 * the ledger uses it for event identities, where it is several times faster than node:crypto for
 * short inputs, and where an identity also carries the event's time (collisions would have to
 * fall in the same microsecond).
 */
export function murmur3x86x128(data: Uint8Array, length: number, seed = 0): [number, number, number, number] {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  let h1 = seed >>> 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const blocks = length & ~15;
  for (let i = 0; i < blocks; i += 16) {
    let k1 = word(data, i);
    let k2 = word(data, i + 4);
    let k3 = word(data, i + 8);
    let k4 = word(data, i + 12);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = (h3 << 15) | (h3 >>> 17);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = (h4 << 13) | (h4 >>> 19);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  const tail = blocks;
  switch (length & 15) {
    case 15: k4 ^= data[tail + 14]! << 16; // falls through
    case 14: k4 ^= data[tail + 13]! << 8; // falls through
    case 13:
      k4 ^= data[tail + 12]!;
      k4 = Math.imul(k4, c4);
      k4 = (k4 << 18) | (k4 >>> 14);
      k4 = Math.imul(k4, c1);
      h4 ^= k4;
    // falls through
    case 12: k3 ^= data[tail + 11]! << 24; // falls through
    case 11: k3 ^= data[tail + 10]! << 16; // falls through
    case 10: k3 ^= data[tail + 9]! << 8; // falls through
    case 9:
      k3 ^= data[tail + 8]!;
      k3 = Math.imul(k3, c3);
      k3 = (k3 << 17) | (k3 >>> 15);
      k3 = Math.imul(k3, c4);
      h3 ^= k3;
    // falls through
    case 8: k2 ^= data[tail + 7]! << 24; // falls through
    case 7: k2 ^= data[tail + 6]! << 16; // falls through
    case 6: k2 ^= data[tail + 5]! << 8; // falls through
    case 5:
      k2 ^= data[tail + 4]!;
      k2 = Math.imul(k2, c2);
      k2 = (k2 << 16) | (k2 >>> 16);
      k2 = Math.imul(k2, c3);
      h2 ^= k2;
    // falls through
    case 4: k1 ^= data[tail + 3]! << 24; // falls through
    case 3: k1 ^= data[tail + 2]! << 16; // falls through
    case 2: k1 ^= data[tail + 1]! << 8; // falls through
    case 1:
      k1 ^= data[tail]!;
      k1 = Math.imul(k1, c1);
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = Math.imul(k1, c2);
      h1 ^= k1;
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function word(data: Uint8Array, i: number): number {
  return data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
