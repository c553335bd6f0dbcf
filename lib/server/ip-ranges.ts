// Which IP addresses a server-side fetch may reach. Anything that is not plainly on the
// public internet is refused, including IPv6 spellings that embed an IPv4 address
// (::ffff:127.0.0.1, 64:ff9b::a9fe:a9fe), since the OS would route those to the embedded host.
import net from "node:net";

type V4Rule = readonly [base: string, prefix: number, reason: string];

const V4_RULES: readonly V4Rule[] = [
  ["0.0.0.0", 8, "this-network"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"], // includes cloud metadata at 169.254.169.254
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay anycast"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // includes broadcast 255.255.255.255
];

function v4ToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

const V4_TABLE = V4_RULES.map(([base, prefix, reason]) => {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { net: (v4ToInt(base) & mask) >>> 0, mask, reason };
});

function v4Reason(n: number): string | null {
  for (const r of V4_TABLE) if (((n & r.mask) >>> 0) === r.net) return r.reason;
  return null;
}

/** 16 bytes of a valid IPv6 address (brackets and zone id already removed). */
function v6Bytes(ip: string): Uint8Array {
  let s = ip;
  const bytes = new Uint8Array(16);
  let tailV4: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tailV4 = s.slice(lastColon + 1).split(".").map(Number);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = s.includes("::") ? s.split("::") : [s, undefined];
  const groups = (x: string | undefined) => (x ? x.split(":").filter((g) => g !== "") : []);
  const l = groups(left);
  const r = groups(right);
  const all = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill("0"), ...r];
  all.forEach((g, k) => {
    const v = parseInt(g, 16);
    bytes[k * 2] = v >> 8;
    bytes[k * 2 + 1] = v & 0xff;
  });
  if (tailV4.length === 4) bytes.set(tailV4, 12);
  return bytes;
}

function prefixMatches(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function embeddedV4(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

type V6Rule = readonly [prefix: readonly number[], bits: number, reason: string];

// Checked in order, after the embedded-IPv4 forms below.
const V6_BLOCKED: readonly V6Rule[] = [
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, "local-use NAT64"],
  [[0x01, 0x00], 64, "discard-only"],
  [[0x20, 0x01, 0x00, 0x00], 32, "Teredo"],
  [[0x20, 0x01, 0x00, 0x10], 28, "ORCHID"],
  [[0x20, 0x01, 0x00, 0x20], 28, "ORCHIDv2"],
  [[0x20, 0x01, 0x0d, 0xb8], 32, "documentation"],
  [[0x3f, 0xff], 20, "documentation"],
  [[0xfc], 7, "unique-local"],
  [[0xfe, 0x80], 10, "link-local"],
  [[0xfe, 0xc0], 10, "site-local"],
  [[0xff], 8, "multicast"],
];

function v6Reason(bytes: Uint8Array): string | null {
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  if (zeros(0, 16)) return "unspecified";
  if (zeros(0, 15) && bytes[15] === 1) return "loopback";
  const embedded = (at: number, what: string) => {
    const r = v4Reason(embeddedV4(bytes, at));
    return r ? `${r} (${what})` : null;
  };
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), ::ffff:0:a.b.c.d (SIIT)
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return embedded(12, "IPv4-mapped");
  if (zeros(0, 12)) return embedded(12, "IPv4-compatible");
  if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0) {
    return embedded(12, "IPv4-translated");
  }
  if (prefixMatches(bytes, [0x00, 0x64, 0xff, 0x9b], 96)) return embedded(12, "NAT64");
  if (prefixMatches(bytes, [0x20, 0x02], 16)) return embedded(2, "6to4");
  for (const [prefix, bits, reason] of V6_BLOCKED) if (prefixMatches(bytes, prefix, bits)) return reason;
  // Only 2000::/3 is allocated for global unicast; everything else is special or unassigned.
  if ((bytes[0]! & 0xe0) !== 0x20) return "not global unicast";
  return null;
}

/** Strips [brackets] and an IPv6 zone id (%eth0). */
export function normalizeIp(ip: string): string {
  let s = ip.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  return zone >= 0 ? s.slice(0, zone) : s;
}

/**
 * Why `ip` must not be fetched from ("loopback", "private", "link-local (IPv4-mapped)", ...),
 * or null when it is a public address. A string that is not an IP address is refused too.
 */
export function forbiddenReason(ip: string): string | null {
  const s = normalizeIp(ip);
  const family = net.isIP(s);
  if (family === 4) return v4Reason(v4ToInt(s));
  if (family === 6) return v6Reason(v6Bytes(s.toLowerCase()));
  return "not an IP address";
}

export function isPublicAddress(ip: string): boolean {
  return forbiddenReason(ip) === null;
}
