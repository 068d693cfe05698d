// Which IP addresses a model endpoint may never reach: cloud metadata services (instance credentials).
// Admin-supplied URLs reach the admin's own network on purpose (loopback, private ranges); these do not.
import { isIP } from 'node:net';

/** IPv4 ranges as [first, last] of the 32-bit value. */
const BLOCKED_V4: [number, number][] = [
  // Link-local: 169.254.169.254 (AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack) and its neighbours (AWS 169.254.170.2, ...).
  range('169.254.0.0', 16),
  // Alibaba Cloud's metadata service.
  range('100.100.100.200', 32),
  // "This network": 0.0.0.0 reaches the local host on Linux, a classic way around address checks.
  range('0.0.0.0', 8),
];

/** IPv6 prefixes as [16 bytes, prefix length]. */
const BLOCKED_V6: [Uint8Array, number][] = [
  [v6Bytes('fe80::')!, 10], // link-local
  [v6Bytes('fd00:ec2::254')!, 128], // AWS's IPv6 metadata address
  [v6Bytes('::')!, 128], // unspecified
];

function v4Value(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function range(base: string, bits: number): [number, number] {
  const size = 2 ** (32 - bits);
  const first = v4Value(base) - (v4Value(base) % size);
  return [first, first + size - 1];
}

/** The 16 bytes of an IPv6 address (with an embedded dotted IPv4 tail allowed), or null. */
function v6Bytes(ip: string): Uint8Array | null {
  let text = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v = v4Value(tail[1]!);
    text = text.slice(0, -tail[1]!.length) + `${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  for (const [i, g] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  }
  return bytes;
}

function inPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (prefix[i]! & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 one carries (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96 NAT64), or null. */
function embeddedV4(bytes: Uint8Array): number | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  // ::a.b.c.d with a first octet of 0 is ::1 and its like, not an embedded IPv4 address.
  const compatible = zeros(0, 12) && bytes[12] !== 0;
  const nat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12);
  if (!mapped && !compatible && !nat64) return null;
  return ((bytes[12]! << 24) >>> 0) + (bytes[13]! << 16) + (bytes[14]! << 8) + bytes[15]!;
}

export type AddressCheck = (ip: string) => boolean;

/**
 * A check that refuses the metadata ranges and `extraV4` (CIDRs such as '127.0.0.2/32', for tests), in
 * any spelling: IPv4, IPv4-mapped or -compatible IPv6, NAT64. Anything that is not an IP literal is refused.
 */
export function addressBlocker(extraV4: readonly string[] = []): AddressCheck {
  const ranges = [...BLOCKED_V4, ...extraV4.map((cidr) => range(cidr.split('/')[0]!, Number(cidr.split('/')[1] ?? 32)))];
  const blockedV4 = (v: number) => ranges.some(([first, last]) => v >= first && v <= last);
  return (ip) => {
    const bare = ip.replace(/^\[|\]$/g, '');
    const kind = isIP(bare.replace(/%.*$/, ''));
    if (kind === 4) return blockedV4(v4Value(bare));
    if (kind !== 6) return true;
    const bytes = v6Bytes(bare);
    if (!bytes) return true;
    const v4 = embeddedV4(bytes);
    if (v4 !== null && blockedV4(v4)) return true;
    return BLOCKED_V6.some(([prefix, bits]) => inPrefix(bytes, prefix, bits));
  };
}

/** True for an address a model endpoint must not connect to (cloud metadata services). */
export const isBlockedAddress: AddressCheck = addressBlocker();
