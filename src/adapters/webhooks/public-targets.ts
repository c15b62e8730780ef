import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach: this machine, private networks, link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, benchmarking, multicast and reserved ranges. An
 * IPv4-mapped IPv6 address is judged by its IPv4 address.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-compatible (deprecated) and NAT64 addresses carry an IPv4 address that may be private.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/**
 * Whether an IP address is publicly routable, so a webhook may be sent to it.
 * @example isPublicAddress('169.254.169.254') // false
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return !NOT_PUBLIC.check(mapped, 'ipv4');
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook may not go to `address`. */
const refusal = (host: string, address: string) =>
  `${host} resolves to ${address}, a private, loopback or link-local address; webhooks go to public addresses only`;

/**
 * A `lookup` for http.request that resolves as usual, then refuses any answer holding an address
 * that is not public: the address checked is the one connected to, so a name that resolves to a
 * public address when the endpoint is created and to a private one later is still refused.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) {
      const e = Object.assign(new Error(refusal(hostname, bad.address)), { code: 'ENOTPUBLIC' });
      return callback(e, '', 0);
    }
    if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

/**
 * What is wrong with sending to `url`'s host, or null: an IP literal or any address the name
 * resolves to that is not public. A name that does not resolve now passes: each delivery is
 * checked again when it connects.
 * @example await checkPublicTarget('https://10.0.0.5/hook') // '10.0.0.5 resolves to 10.0.0.5, ...'
 */
export async function checkPublicTarget(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return isPublicAddress(host) ? null : refusal(host, host);
  const addresses = await new Promise<{ address: string }[]>((resolve) =>
    lookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  return bad ? refusal(host, bad.address) : null;
}
